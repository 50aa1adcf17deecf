"""The use case "submit records": an agency's batch (an API body, a portal upload, or a file
loaded at the command line) ingested and logged in one transaction."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from socialcredit.core.access import Principal
from socialcredit.io.mappings import Mapping
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
    fmt = FORMATS.get(kind.split(";")[0].strip().lower())
    if fmt is None:
        raise Refused(415, "unsupported_media_type", "send CSV or JSON Lines (.csv, .jsonl)")
    return fmt


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
