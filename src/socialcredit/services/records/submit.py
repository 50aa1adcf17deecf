"""The use case "submit records": an agency's batch (an API body, a portal upload, or a file
loaded at the command line) ingested and logged in one transaction."""

from __future__ import annotations

import dataclasses
import tempfile
from collections.abc import Callable
from pathlib import Path

from socialcredit.core.access import Principal
from socialcredit.io.mapped import LayoutMismatch
from socialcredit.io.mappings import Mapping, MappingError, check, shipped_mapping
from socialcredit.io.readers import UnreadableFile
from socialcredit.services.audit import audit
from socialcredit.services.context import Context
from socialcredit.services.decisions.holder import refresh_after_write
from socialcredit.services.errors import Refused, forbidden
from socialcredit.services.records.ingest import Batch, ingest_batch
from socialcredit.services.records.outcomes import IngestReport

FORMATS = {
    "application/x-ndjson": "jsonl",
    "application/jsonl": "jsonl",
    "text/csv": "csv",
    ".csv": "csv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
}


def body_format(kind: str) -> str:
    """The format of a body from its media type (or an upload's suffix); 415 for others."""
    return _known(kind, FORMATS, "send CSV or JSON Lines (.csv, .jsonl)")


def _known(kind: str, table: dict[str, str], refusal: str) -> str:
    """``table``'s entry for a media type (parameters and case ignored) or a suffix; 415."""
    found = table.get(kind.split(";")[0].strip().lower())
    if found is None:
        raise Refused(415, "unsupported_media_type", refusal)
    return found


def submit_records(
    ctx: Context, caller: Principal, data: bytes, kind: str, name: str = "the body"
) -> IngestReport:
    """Ingest an agency key's batch (``kind``: a media type or a file suffix), within the
    key's categories; the submission is logged with the batch's counts."""
    if caller.role != "agency" or caller.agency is None:
        raise forbidden("only an agency key may submit records")
    fmt = body_format(kind)
    if len(data) > ctx.max_body_bytes:
        raise Refused(413, "too_large", f"the body is over {ctx.max_body_bytes} bytes")
    batch = Batch.of_body(data, fmt, name)
    with ctx.engine.begin() as db:
        report = ingest_batch(db, ctx.book, batch, caller.agency, allowed=caller.categories)
        audit(db, caller, "records.submit", result=_counts(report))
    refresh_after_write(ctx.engine)  # the next decision reflects the batch
    return report


MAPPED_SUFFIXES = {
    "text/csv": ".csv",
    ".csv": ".csv",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
    ".xlsx": ".xlsx",
}


def mapped_suffix(kind: str) -> str:
    """The file suffix of a body read through a mapping (CSV or a workbook); 415 for others."""
    return _known(kind, MAPPED_SUFFIXES, "a mapping reads CSV or .xlsx workbooks")


def submit_mapped(
    ctx: Context, caller: Principal, data: bytes, kind: str, mapping: str, name: str = "the body"
) -> IngestReport:
    """Ingest an agency key's batch written in its own layout, read through the shipped
    mapping named ``mapping`` (the encoding detected, cells NFKC-normalised; the report's
    ``reading`` says what was done); the mapping must be for the key's agency."""
    if caller.role != "agency" or caller.agency is None:
        raise forbidden("only an agency key may submit records")
    suffix = mapped_suffix(kind)
    if len(data) > ctx.max_body_bytes:
        raise Refused(413, "too_large", f"the body is over {ctx.max_body_bytes} bytes")
    layout = _agency_mapping(ctx, caller, mapping)
    with tempfile.TemporaryDirectory(prefix="socialcredit-upload-") as folder:
        path = Path(folder) / f"upload{suffix}"
        path.write_bytes(data)
        batch = dataclasses.replace(Batch.of_file(path, ctx.book, layout), name=name, label=name)
        try:
            with ctx.engine.begin() as db:
                report = ingest_batch(db, ctx.book, batch, caller.agency, allowed=caller.categories)
                audit(db, caller, "records.submit", result=f"{mapping}: {_counts(report)}")
        except (UnreadableFile, LayoutMismatch) as error:  # named by the upload, not the copy
            raise Refused(422, "unreadable", str(error).replace(str(path), name)) from None
    return report


def _agency_mapping(ctx: Context, caller: Principal, name: str) -> Mapping:
    try:
        layout = shipped_mapping(name)
        check(layout, ctx.book)
    except MappingError as error:
        raise Refused(422, "invalid_mapping", str(error)) from None
    if layout.spec.agency != caller.agency:
        raise forbidden(f"the mapping {name!r} is for the agency {layout.spec.agency!r}")
    return layout


def ingest_local_file(
    ctx: Context,
    caller: Principal,
    path: Path,
    agency: str,
    category: str | None = None,
    progress: Callable[[int], None] | None = None,
    mapping: Mapping | None = None,
) -> IngestReport:
    """Load an agency's file from this machine (the command line: any category the packs
    define), read through the agency's own layout when ``mapping`` is given; the load is
    logged with the batch's counts."""
    if caller.role != "admin":
        raise forbidden("loading a file for an agency is for the operator of the store")
    batch = Batch.of_file(path, ctx.book, mapping)
    with ctx.engine.begin() as db:
        report = ingest_batch(db, ctx.book, batch, agency, category, progress)
        audit(db, caller, "records.ingest", result=f"{agency}: {_counts(report)}")
    refresh_after_write(ctx.engine)  # the next decision reflects the file
    return report


def _counts(report: IngestReport) -> str:
    if report.already_loaded:
        return f"batch {report.batch_id[:12]}: already loaded"
    accepted, rejected = report.count("accepted"), report.count("rejected")
    return f"batch {report.batch_id[:12]}: {accepted} accepted, {rejected} rejected"
