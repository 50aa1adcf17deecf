"""Ingesting an agency file: every row validated against the catalog, valid rows kept,
rejected rows reported with their reasons, and loading the same file twice adds nothing.

A row whose source document (category, agency, doc_no) is already stored is a duplicate when
nothing changed, a status update when it carries a new status (performed, revoked...), and a
correction when its fields differ (the original values are kept).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, delete, insert, select, text, update

from socialcredit.core.pack.model import Rulebook
from socialcredit.io.mapped import ReadNotes
from socialcredit.io.mappings import Mapping, check
from socialcredit.io.readers import Row, check_readable, read_data, read_rows
from socialcredit.services.records.loader import Loader
from socialcredit.services.records.outcomes import IngestReport
from socialcredit.store import tables as t

CHUNK = 2000


@dataclass(frozen=True)
class Batch:
    """What is loaded: its name in reports, the bytes its identity is a hash of, its rows."""

    name: str
    label: str
    digest: Callable[[Any], None]
    rows: Callable[[], Iterator[tuple[int, Row]]]
    notes: ReadNotes = field(default_factory=ReadNotes)  # how it was read (encoding, mapping)

    @classmethod
    def of_file(
        cls,
        path: Path,
        book: Rulebook | None = None,
        mapping: Mapping | None = None,
        encoding: str = "auto",
    ) -> Batch:
        """A file on this machine; ``mapping`` (checked against ``book``'s catalog) reads the
        agency's own layout; ``encoding`` of a CSV file is ``auto`` (detected) or declared."""
        check_readable(path)
        if mapping is not None and book is not None:
            check(mapping, book)
        dates = mapping.date_keys(book) if mapping and book else ()
        notes = ReadNotes()
        return cls(
            str(path),
            path.name,
            lambda hasher: _hash_file(hasher, path),
            lambda: read_rows(path, notes, mapping, dates, encoding),
            notes,
        )

    @classmethod
    def of_body(cls, data: bytes, fmt: str, name: str) -> Batch:
        """A body already in memory (an upload), in ``fmt`` (csv or jsonl)."""
        return cls(
            name, name, lambda hasher: hasher.update(data), lambda: read_data(data, fmt, name)
        )


def _hash_file(hasher: Any, path: Path) -> None:
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            hasher.update(block)


def batch_id(batch: Batch, agency: str, category: str | None) -> str:
    digest = hashlib.sha256(f"{agency}\x1f{category or ''}\x1f".encode())
    batch.digest(digest)
    return digest.hexdigest()


def ingest_file(
    engine: Engine,
    book: Rulebook,
    path: Path,
    agency: str,
    category: str | None = None,
    progress: Callable[[int], None] | None = None,
    allowed: frozenset[str] | None = None,
    mapping: Mapping | None = None,
    encoding: str = "auto",
) -> IngestReport:
    """Load one agency file in one transaction; return the per-row report.

    ``allowed``: the categories the submitter may submit (an API key's scope); None = any.
    ``mapping``: the agency's own layout (io.mappings), checked against the catalog first.
    ``encoding``: of a CSV file, ``auto`` (detected) or declared.
    """
    batch = Batch.of_file(path, book, mapping, encoding)
    with engine.begin() as db:
        return ingest_batch(db, book, batch, agency, category, progress, allowed)


def ingest_batch(
    db: Connection,
    book: Rulebook,
    batch: Batch,
    agency: str,
    category: str | None = None,
    progress: Callable[[int], None] | None = None,
    allowed: frozenset[str] | None = None,
) -> IngestReport:
    """Load one batch in the caller's transaction ``db``; return the per-row report."""
    report = IngestReport(batch_id(batch, agency, category), batch.name, agency)
    _serialise(db)
    if not _open(db, report, batch):
        report.already_loaded = True
        return report
    loader = Loader(db, book, agency, category, report, allowed)
    for chunk in _chunks(batch.rows(), CHUNK):
        loader.load(chunk)
        if progress:
            progress(len(chunk))
    _close(db, report)
    report.reading = batch.notes.as_dict()
    if not report.outcomes:
        report.warnings.append(
            f"{batch.label}: no data rows (the file is empty or holds only a header); "
            "nothing was loaded"
        )
    return report


def _open(db: Connection, report: IngestReport, batch: Batch) -> bool:
    """Record the batch as received; False when it is already loaded whole. A batch counts
    as loaded only for the rows it stored: one seen before with rejected rows (or none) is
    read again, its stored rows then counting as duplicates and its old rejections replaced
    (a body first sent in the wrong format, by a key outside its scope, or before its pack
    was loaded, loads when it comes back right)."""
    received = dt.datetime.now(dt.UTC)
    c = t.batches.c
    seen = db.execute(select(c.rows, c.rejected).where(c.id == report.batch_id)).first()
    if seen is not None and seen.rows > 0 and seen.rejected == 0:
        return False
    if seen is not None:
        db.execute(delete(t.rejections).where(t.rejections.c.batch_id == report.batch_id))
        db.execute(
            update(t.batches)
            .where(c.id == report.batch_id)
            .values(file_name=batch.label, received_at=received)
        )
        return True
    db.execute(
        insert(t.batches).values(
            id=report.batch_id,
            agency=report.agency,
            file_name=batch.label,
            received_at=received,
            rows=0,
            accepted=0,
            rejected=0,
        )
    )
    return True


def _close(db: Connection, report: IngestReport) -> None:
    db.execute(
        update(t.batches)
        .where(t.batches.c.id == report.batch_id)
        .values(
            rows=len(report.outcomes),
            accepted=len(report.outcomes) - len(report.rejected),
            rejected=len(report.rejected),
        )
    )


INGEST_LOCK = 7_202_611  # the PostgreSQL advisory lock that serialises ingestion


def _serialise(db: Connection) -> None:
    """One ingestion at a time per database: each checks what exists, then inserts what is
    missing, so two overlapping batches must not interleave. PostgreSQL takes an advisory
    lock until the transaction ends; SQLite takes its write lock at once."""
    if db.dialect.name == "postgresql":
        db.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": INGEST_LOCK})
    elif db.dialect.name == "sqlite":
        db.execute(text("UPDATE batches SET rows = rows WHERE 0"))


def _chunks(rows: Iterable[tuple[int, Row]], size: int) -> Iterator[list[tuple[int, Row]]]:
    iterator = iter(rows)
    while chunk := list(islice(iterator, size)):
        yield chunk
