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

from sqlalchemy import Connection, Engine, insert, select, text, update

from socialcredit.core.facts import STATUSES, Subject
from socialcredit.core.pack.model import Rulebook
from socialcredit.core.records import RowRejected, Submission, read_row, record_id
from socialcredit.io.readers import BadRow, Row, check_readable, read_data, read_rows
from socialcredit.store import tables as t

CHUNK = 2000


@dataclass
class RowOutcome:
    row: int
    outcome: str  # accepted, updated, corrected, duplicate, rejected
    reasons: list[str] = field(default_factory=list)
    record_id: str | None = None


@dataclass
class IngestReport:
    batch_id: str
    file: str
    agency: str
    already_loaded: bool = False
    outcomes: list[RowOutcome] = field(default_factory=list)

    def count(self, outcome: str) -> int:
        return sum(1 for o in self.outcomes if o.outcome == outcome)

    @property
    def rejected(self) -> list[RowOutcome]:
        return [o for o in self.outcomes if o.outcome == "rejected"]

    def as_dict(self) -> dict[str, Any]:
        counts = {
            k: self.count(k) for k in ("accepted", "updated", "corrected", "duplicate", "rejected")
        }
        return {
            "batch": self.batch_id,
            "file": self.file,
            "agency": self.agency,
            "already_loaded": self.already_loaded,
            "rows": len(self.outcomes),
            **counts,
            "rejections": [{"row": o.row, "reasons": o.reasons} for o in self.rejected],
        }


@dataclass(frozen=True)
class Batch:
    """What is loaded: its name in reports, the bytes its identity is a hash of, its rows."""

    name: str
    label: str
    digest: Callable[[Any], None]
    rows: Callable[[], Iterator[tuple[int, Row]]]

    @classmethod
    def of_file(cls, path: Path) -> Batch:
        check_readable(path)
        return cls(
            str(path), path.name, lambda hasher: _hash_file(hasher, path), lambda: read_rows(path)
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
) -> IngestReport:
    """Load one agency file in one transaction; return the per-row report.

    ``allowed``: the categories the submitter may submit (an API key's scope); None = any.
    """
    batch = Batch.of_file(path)
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
    if db.execute(select(t.batches.c.id).where(t.batches.c.id == report.batch_id)).first():
        report.already_loaded = True
        return report
    received = dt.datetime.now(dt.UTC)
    db.execute(
        insert(t.batches).values(
            id=report.batch_id,
            agency=agency,
            file_name=batch.label,
            received_at=received,
            rows=0,
            accepted=0,
            rejected=0,
        )
    )
    loader = _Loader(db, book, agency, category, report, allowed)
    for chunk in _chunks(batch.rows(), CHUNK):
        loader.load(chunk)
        if progress:
            progress(len(chunk))
    db.execute(
        update(t.batches)
        .where(t.batches.c.id == report.batch_id)
        .values(
            rows=len(report.outcomes),
            accepted=len(report.outcomes) - len(report.rejected),
            rejected=len(report.rejected),
        )
    )
    return report


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


@dataclass
class _Writes:
    """What one chunk writes, gathered first and then sent as a few multi-row statements."""

    subjects: dict[str, dict[str, Any]] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    records: list[dict[str, Any]] = field(default_factory=list)
    corrections: dict[str, dict[str, Any]] = field(default_factory=dict)
    statuses: list[dict[str, Any]] = field(default_factory=list)
    relations: dict[tuple[Any, ...], dict[str, Any]] = field(default_factory=dict)
    rejections: list[dict[str, Any]] = field(default_factory=list)


class _Loader:
    """Validates one chunk of rows at a time, then writes it with multi-row statements."""

    def __init__(
        self,
        db: Connection,
        book: Rulebook,
        agency: str,
        category: str | None,
        report: IngestReport,
        allowed: frozenset[str] | None = None,
    ) -> None:
        self.db, self.book, self.agency, self.category = db, book, agency, category
        self.report, self.allowed = report, allowed
        self.writes = _Writes()

    def load(self, chunk: list[tuple[int, Row]]) -> None:
        self.writes = _Writes()
        parsed: list[tuple[int, dict[str, Any], Submission | RowRejected]] = []
        for number, row in chunk:
            if isinstance(row, BadRow):
                self._reject(number, [row.reason], {"raw": row.raw})
                continue
            if self.category and not row.get("category"):
                row = {**row, "category": self.category}
            if not self._permitted(row):
                reason = f"this key may not submit category {row.get('category')!r}"
                self._reject(number, [reason], row)
                continue
            try:
                parsed.append((number, row, read_row(self.book, row, self.agency)))
            except RowRejected as error:
                parsed.append((number, row, error))
        ids = [_source_id(row, self.agency) for _, row, _ in parsed]
        existing = self._existing({i for i in ids if i})
        submissions = [r for _, _, r in parsed if isinstance(r, Submission)]
        known_subjects = self._known_subjects({s.subject.id for s in submissions})
        for (number, row, result), rid in zip(parsed, ids, strict=True):
            if isinstance(result, Submission):
                self._store(number, result, existing, known_subjects)
            elif rid in existing and row.get("status") in STATUSES[1:]:
                self._status_only(number, row, rid, existing)
            else:
                self._reject(number, result.reasons, row)
        self._flush()

    def _permitted(self, row: dict[str, Any]) -> bool:
        if self.allowed is None or "*" in self.allowed:
            return True
        return str(row.get("category") or "").strip() in self.allowed

    def _existing(self, ids: set[str]) -> dict[str, dict[str, Any]]:
        if not ids:
            return {}
        records = select(t.records.c.id, t.records.c.fields).where(t.records.c.id.in_(ids))
        found = {r.id: {"fields": r.fields, "statuses": set()} for r in self.db.execute(records)}
        statuses = select(
            t.record_status.c.record_id, t.record_status.c.status, t.record_status.c.date
        ).where(t.record_status.c.record_id.in_(ids))
        for s in self.db.execute(statuses):
            found[s.record_id]["statuses"].add((s.status, s.date))
        return found

    def _known_subjects(self, ids: set[str]) -> dict[str, str | None]:
        if not ids:
            return {}
        query = select(t.subjects.c.id, t.subjects.c.name).where(t.subjects.c.id.in_(ids))
        return {row.id: row.name for row in self.db.execute(query)}

    def _store(
        self,
        number: int,
        submission: Submission,
        existing: dict[str, dict[str, Any]],
        known_subjects: dict[str, str | None],
    ) -> None:
        record = submission.record
        stored_fields = _jsonable(record.fields)
        if record.id not in existing:
            self._subject(submission.subject, known_subjects)
            self.writes.records.append(
                {
                    "id": record.id,
                    "subject_id": record.subject,
                    "category": record.category,
                    "agency": record.agency,
                    "doc_no": record.doc_no,
                    "decided_on": record.decided_on,
                    "fields": stored_fields,
                    "original": _jsonable(submission.original),
                    "batch_id": self.report.batch_id,
                }
            )
            for relation in submission.relations:
                key = (relation.org, relation.role, relation.person, relation.since)
                self.writes.relations[key] = {
                    "org_id": relation.org,
                    "role": relation.role,
                    "person_id": relation.person,
                    "since": relation.since,
                    "until": relation.until,
                    "record_id": record.id,
                }
            existing[record.id] = {"fields": stored_fields, "statuses": set()}
            outcome = "accepted"
        elif existing[record.id]["fields"] != stored_fields:
            self.writes.corrections[record.id] = stored_fields
            self._add_status(record.id, "corrected", record.decided_on, existing)
            existing[record.id]["fields"] = stored_fields
            outcome = "corrected"
        else:
            outcome = "duplicate"
        for change in record.history:
            added = self._add_status(record.id, change.status, change.on, existing)
            if added and outcome == "duplicate":
                outcome = "updated"
        self.report.outcomes.append(RowOutcome(number, outcome, record_id=record.id))

    def _subject(self, subject: Subject, known: dict[str, str | None]) -> None:
        if subject.id not in known:
            known[subject.id] = subject.name
            self.writes.subjects[subject.id] = {
                "id": subject.id,
                "kind": subject.kind,
                "name": subject.name,
                "birth_date": subject.birth_date,
                "region": subject.region,
            }
        elif subject.name and known[subject.id] != subject.name:
            known[subject.id] = subject.name
            if subject.id in self.writes.subjects:
                self.writes.subjects[subject.id]["name"] = subject.name
            else:
                self.writes.names[subject.id] = subject.name

    def _status_only(
        self, number: int, row: dict[str, Any], rid: str, existing: dict[str, dict[str, Any]]
    ) -> None:
        raw = row.get("status_date")
        try:
            day = dt.date.fromisoformat(str(raw or "").strip())
        except ValueError:
            reason = f"status_date should be a date written YYYY-MM-DD, not {raw!r}"
            self._reject(number, [reason], row)
            return
        added = self._add_status(rid, str(row["status"]), day, existing)
        outcome = "updated" if added else "duplicate"
        self.report.outcomes.append(RowOutcome(number, outcome, record_id=rid))

    def _add_status(
        self, rid: str, status: str, day: dt.date, existing: dict[str, dict[str, Any]]
    ) -> bool:
        known = existing[rid]["statuses"]
        if (status, day) in known:
            return False
        known.add((status, day))
        self.writes.statuses.append(
            {"record_id": rid, "status": status, "date": day, "batch_id": self.report.batch_id}
        )
        return True

    def _reject(self, number: int, reasons: list[str], raw: dict[str, Any]) -> None:
        self.writes.rejections.append(
            {
                "batch_id": self.report.batch_id,
                "row_no": number,
                "reasons": reasons,
                "raw": _jsonable(raw),
            }
        )
        self.report.outcomes.append(RowOutcome(number, "rejected", reasons))

    def _flush(self) -> None:
        """Write the chunk: subjects before the records that name them, records before statuses."""
        w, db = self.writes, self.db
        if w.subjects:
            db.execute(insert(t.subjects), list(w.subjects.values()))
        for subject_id, name in w.names.items():
            db.execute(update(t.subjects).where(t.subjects.c.id == subject_id).values(name=name))
        if w.records:
            db.execute(insert(t.records), w.records)
        for record_id_, fields in w.corrections.items():
            db.execute(update(t.records).where(t.records.c.id == record_id_).values(fields=fields))
        if w.statuses:
            db.execute(insert(t.record_status), w.statuses)
        new_relations = self._new_relations(w.relations)
        if new_relations:
            db.execute(insert(t.relations), new_relations)
        if w.rejections:
            db.execute(insert(t.rejections), w.rejections)
        events = self._events()
        if events:
            db.execute(insert(t.events), events)

    def _events(self) -> list[dict[str, Any]]:
        """Feed events for what this chunk changed, each with its category's disclosure."""
        w, now = self.writes, dt.datetime.now(dt.UTC)
        changed = {s["record_id"] for s in w.statuses} | set(w.corrections)
        known = {r["id"]: (r["subject_id"], r["category"]) for r in w.records}
        missing = changed - set(known)
        if missing:
            query = select(t.records.c.id, t.records.c.subject_id, t.records.c.category)
            for row in self.db.execute(query.where(t.records.c.id.in_(missing))):
                known[row.id] = (row.subject_id, row.category)
        events = [
            self._event(now, "record.accepted", r["id"], known, {"doc_no": r["doc_no"]})
            for r in w.records
        ]
        events += [self._event(now, "record.corrected", rid, known, {}) for rid in w.corrections]
        events += [
            self._event(
                now,
                "record.status",
                s["record_id"],
                known,
                {"status": s["status"], "date": s["date"].isoformat()},
            )
            for s in w.statuses
        ]
        return events

    def _event(
        self,
        now: dt.datetime,
        kind: str,
        rid: str,
        known: dict[str, tuple[str, str]],
        extra: dict[str, Any],
    ) -> dict[str, Any]:
        subject, category = known[rid]
        disclosure = self.book.categories[category][1].disclosure
        return {
            "at": now,
            "kind": kind,
            "subject_id": subject,
            "category": category,
            "disclosure": disclosure,
            "agency": self.agency,
            "payload": {"record": rid, "agency": self.agency, **extra},
        }

    def _new_relations(
        self, planned: dict[tuple[Any, ...], dict[str, Any]]
    ) -> list[dict[str, Any]]:
        if not planned:
            return []
        orgs = {key[0] for key in planned}
        query = select(
            t.relations.c.org_id, t.relations.c.role, t.relations.c.person_id, t.relations.c.since
        ).where(t.relations.c.org_id.in_(orgs))
        stored = {tuple(row) for row in self.db.execute(query)}
        return [values for key, values in planned.items() if key not in stored]


def _source_id(row: dict[str, Any], agency: str) -> str | None:
    category, doc_no = row.get("category"), row.get("doc_no")
    if not category or not doc_no:
        return None
    return record_id(str(category).strip(), agency, str(doc_no).strip())


def _jsonable(values: dict[str, Any]) -> dict[str, Any]:
    """Values as JSON can store them: dates as ISO text, anything unusual as its text."""
    return {str(key): _plain(value) for key, value in values.items()}


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return _jsonable(value)
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return str(value)
