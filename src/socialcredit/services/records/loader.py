"""Loading one chunk of an agency's rows: the chunk validated against the catalog by column
(``columns.read_by_column``), the rows a column check does not pass one by one by
``core.records.read_row``, which gives their reasons; then the chunk written with a few bulk
statements (``store.bulk``: COPY on PostgreSQL, one prepared executemany on SQLite) for
subjects, records, statuses, relations and rejections, then the corrections and the chunk's
feed events."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, select, update

from socialcredit.core.facts import STATUSES
from socialcredit.core.pack.model import Rulebook
from socialcredit.core.records import RowRejected, Submission, read_row, record_id
from socialcredit.io.readers import BadRow, Row
from socialcredit.services.records.bounds import future_dates, latest_day
from socialcredit.services.records.columns import read_by_column
from socialcredit.services.records.ingest_events import chunk_events
from socialcredit.services.records.names import name_change
from socialcredit.services.records.outcomes import IngestReport, RowOutcome
from socialcredit.services.records.stored import jsonable
from socialcredit.store import tables as t
from socialcredit.store.bulk import insert_rows
from socialcredit.store.events import publish


@dataclass
class Writes:
    """What one chunk writes, gathered first and then sent as a few multi-row statements."""

    subjects: dict[str, dict[str, Any]] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    name_changes: list[dict[str, Any]] = field(default_factory=list)
    records: list[dict[str, Any]] = field(default_factory=list)
    corrections: dict[str, dict[str, Any]] = field(default_factory=dict)
    statuses: list[dict[str, Any]] = field(default_factory=list)
    relations: dict[tuple[Any, ...], dict[str, Any]] = field(default_factory=dict)
    rejections: list[dict[str, Any]] = field(default_factory=list)


class Loader:
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
        self.writes = Writes()
        self.latest = latest_day()

    def load(self, chunk: list[tuple[int, Row]]) -> None:
        self.writes = Writes()
        readable: list[tuple[int, dict[str, Any]]] = []
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
            readable.append((number, row))
        by_column = read_by_column(self.book, [r for _, r in readable], self.agency, self.latest)
        parsed: list[tuple[int, dict[str, Any], Submission | RowRejected]] = [
            (number, row, submission or self._read(row))
            for (number, row), submission in zip(readable, by_column, strict=True)
        ]
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

    def _read(self, row: dict[str, Any]) -> Submission | RowRejected:
        try:
            submission = read_row(self.book, row, self.agency)
        except RowRejected as error:
            return error
        late = future_dates(submission.record, self.latest)
        return RowRejected(late) if late else submission

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
        stored_fields = jsonable(record.fields)
        if record.id not in existing:
            self._subject(submission, known_subjects)
            self._new_record(submission, stored_fields)
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

    def _new_record(self, submission: Submission, stored_fields: dict[str, Any]) -> None:
        record = submission.record
        self.writes.records.append(
            {
                "id": record.id,
                "subject_id": record.subject,
                "category": record.category,
                "agency": record.agency,
                "doc_no": record.doc_no,
                "decided_on": record.decided_on,
                "fields": stored_fields,
                "original": jsonable(submission.original),
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

    def _subject(self, submission: Submission, known: dict[str, str | None]) -> None:
        """A new subject, or a name given by a registration source (``records.names``)."""
        subject = submission.subject
        batch = self.report.batch_id
        change = name_change(self.book, submission, known.get(subject.id), batch)
        if subject.id not in known:
            self.writes.subjects[subject.id] = {
                "id": subject.id,
                "kind": subject.kind,
                "name": subject.name,
                "birth_date": subject.birth_date,
                "region": subject.region,
            }
        elif change is not None and subject.id in self.writes.subjects:
            self.writes.subjects[subject.id]["name"] = subject.name
        elif change is not None:
            self.writes.names[subject.id] = change["name"]
        if change is not None:
            known[subject.id] = change["name"]
            self.writes.name_changes.append(change)
        known.setdefault(subject.id, subject.name)

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
        if day > self.latest:
            reason = (
                f"status_date {day} is in the future (the latest day accepted is {self.latest})"
            )
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
                "raw": jsonable(raw),
            }
        )
        self.report.outcomes.append(RowOutcome(number, "rejected", reasons))

    def _flush(self) -> None:
        """Write the chunk: subjects before the records that name them, records before statuses."""
        w, db = self.writes, self.db
        if w.subjects:
            insert_rows(db, t.subjects, list(w.subjects.values()))
        for subject_id, name in w.names.items():
            db.execute(update(t.subjects).where(t.subjects.c.id == subject_id).values(name=name))
        if w.name_changes:
            insert_rows(db, t.subject_names, w.name_changes)
        if w.records:
            insert_rows(db, t.records, w.records)
        for record_id_, fields in w.corrections.items():
            db.execute(update(t.records).where(t.records.c.id == record_id_).values(fields=fields))
        if w.statuses:
            insert_rows(db, t.record_status, w.statuses)
        new_relations = self._new_relations(w.relations)
        if new_relations:
            insert_rows(db, t.relations, new_relations)
        if w.rejections:
            insert_rows(db, t.rejections, w.rejections)
        events = chunk_events(db, self.book, self.agency, w)
        if events:
            publish(db, events)

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
