"""List entries as a caller may see them, on a date.

Two bases. ``run`` (the default) reads the entries of the latest label run (``socialcredit
label``) and filters them by date: fast, and exact for dates up to the run's own ``as_of``;
for a later date it misses records and status changes that came after the run (the answer
says so in ``note``). ``live`` evaluates the list now, from the records in the store, for
exactly the date asked: always current, but it reads every record (seconds on a large store).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any, Literal

from sqlalchemy import Connection, Select, func, or_, select

from socialcredit.core.access import Principal
from socialcredit.core.engine.lists import Entry, entries_for
from socialcredit.core.pack.model import Rulebook
from socialcredit.services.access.visibility import may_read, record_condition, shown_to
from socialcredit.services.lists.definitions import UnknownList
from socialcredit.services.records.facts import load_all
from socialcredit.store import tables as t
from socialcredit.store.audit_log import append_many
from socialcredit.store.public_reads import log_read as log_public_read

Basis = Literal["run", "live"]
PUBLIC_COLUMNS = (
    "list", "pack", "rule_version", "subject", "subject_kind", "name",
    "starts", "planned_end", "ends", "active", "removed_by", "reason",
)  # fmt: skip
RECORD_COLUMNS = ("record_id", "category", "agency", "doc_no", "decided_on")
COLUMNS = (*PUBLIC_COLUMNS, *RECORD_COLUMNS)


@dataclass(frozen=True)
class EntryQuery:
    """Which entries: of ``list_id``, on ``as_of`` (None: the run's date, or today when
    live); only those active on that date, or every entry started by then."""

    list_id: str
    as_of: dt.date | None = None
    active: bool = True
    basis: Basis = "run"


@dataclass
class EntrySet:
    """The entries the caller may see (``rows``: one page, or all; unmasked, every column:
    ``present`` them), and where they come from."""

    list_id: str
    as_of: dt.date
    basis: Basis
    run: dict[str, Any] | None
    total: int
    rows: list[dict[str, Any]]

    @property
    def note(self) -> str:
        if self.basis == "live":
            return f"evaluated live from the records in the store, as of {self.as_of}"
        if self.run is None:
            return "no label run yet: run `socialcredit label`, or ask with basis=live"
        labelled = self.run["as_of"]
        note = f"entries of label run {self.run['id']} (labelled as of {labelled})"
        if self.as_of.isoformat() > labelled:
            note += (
                f", filtered for {self.as_of}: records and status changes after {labelled} "
                "are not reflected; ask with basis=live for a current answer"
            )
        return note

    def describe(self) -> dict[str, Any]:
        return {
            "list": self.list_id,
            "as_of": self.as_of.isoformat(),
            "basis": self.basis,
            "run": self.run,
            "note": self.note,
            "total": self.total,
        }


def latest_run(db: Connection) -> dict[str, Any] | None:
    row = db.execute(select(t.label_runs).order_by(t.label_runs.c.id.desc()).limit(1)).first()
    if row is None:
        return None
    return {
        "id": row.id,
        "as_of": row.as_of.isoformat(),
        "finished_at": row.finished_at.isoformat(),
        "revisions": row.revisions,
    }


def find_entries(
    db: Connection,
    book: Rulebook,
    caller: Principal,
    query: EntryQuery,
    offset: int = 0,
    limit: int | None = None,
) -> EntrySet:
    """The entries the caller may see, ``limit`` of them from ``offset`` (all when None);
    raises ``UnknownList``. Read-only: log what is shown with ``log_read``. The public sees
    only entries in force: a deleted or expired listing is no longer published."""
    if query.list_id not in book.lists:
        raise UnknownList(query.list_id)
    if caller.role == "public":
        query = replace(query, active=True)
    if query.basis == "live":
        return _live(db, book, caller, query, offset, limit)
    run = latest_run(db)
    as_of = query.as_of or (dt.date.fromisoformat(run["as_of"]) if run else dt.date.today())
    if run is None:
        return EntrySet(query.list_id, as_of, "run", None, 0, [])
    base = _run_query(book, caller, query, run["id"], as_of)
    total = int(db.execute(select(func.count()).select_from(base.subquery())).scalar_one())
    e = t.list_entries.c
    page = base.order_by(e.starts, e.subject_id, e.id).offset(offset)
    if limit is not None:
        page = page.limit(limit)
    rows = [_stored_row(row, as_of) for row in db.execute(page)]
    return EntrySet(query.list_id, as_of, "run", run, total, rows)


def log_read(
    db: Connection, caller: Principal, action: str, found: EntrySet, purpose: str | None
) -> None:
    """One audit entry per subject whose entries were shown (its access log shows them)."""
    revisions = found.run["revisions"] if found.run else None
    source = f"run {found.run['id']}" if found.run else found.basis
    result = f"entries of {found.list_id} as of {found.as_of} ({source}) shown"
    logged = [
        {
            "actor": caller.actor,
            "action": action,
            "subject": subject,
            "purpose": purpose,
            "result": result,
            "revisions": revisions,
        }
        for subject in sorted({row["subject"] for row in found.rows})
    ]
    if caller.role == "public":  # counted, not chained (store.public_reads)
        for entry in logged:
            log_public_read(db, entry)
    else:
        append_all(db, logged)


def append_all(db: Connection, entries: Iterable[dict[str, Any]]) -> None:
    """Append entries to the audit chain in order, in one statement."""
    append_many(db, entries)


def _run_query(
    book: Rulebook, caller: Principal, query: EntryQuery, run_id: int, as_of: dt.date
) -> Select[Any]:
    e, r, s = t.list_entries, t.records, t.subjects
    base = (
        select(e, r.c.category, r.c.agency, r.c.doc_no, r.c.decided_on, s.c.kind, s.c.name)
        .select_from(e.outerjoin(r, r.c.id == e.c.record_id).outerjoin(s, s.c.id == e.c.subject_id))
        .where(e.c.run_id == run_id, e.c.list_id == query.list_id, e.c.starts <= as_of)
    )
    if query.active:
        base = base.where(or_(e.c.ends.is_(None), e.c.ends > as_of))
    condition = record_condition(book, caller, e.c.subject_id)
    return base if condition is None else base.where(condition)


def _live(
    db: Connection,
    book: Rulebook,
    caller: Principal,
    query: EntryQuery,
    offset: int,
    limit: int | None,
) -> EntrySet:
    as_of = query.as_of or dt.date.today()
    facts = load_all(db, book)
    kinds = book.lists[query.list_id][0].definition.subject_kinds
    found: list[Entry] = []
    for subject_id in facts.records:
        subject = facts.subject(subject_id)
        if subject.kind not in kinds:
            continue
        for entry in entries_for(book, subject, facts.records_of(subject_id), as_of):
            record = entry.record
            if entry.list_id != query.list_id or entry.starts > as_of:
                continue
            if query.active and not entry.active_on(as_of):
                continue
            if may_read(book, caller, record.category, subject_id):
                found.append(entry)
    found.sort(key=lambda e: (e.starts, e.subject, e.record.id))
    chosen = found[offset : None if limit is None else offset + limit]
    rows = [_live_row(e, facts.subject(e.subject), as_of) for e in chosen]
    return EntrySet(query.list_id, as_of, "live", None, len(found), rows)


def _stored_row(row: Any, as_of: dt.date) -> dict[str, Any]:
    return {
        "list": row.list_id,
        "pack": row.pack_id,
        "rule_version": row.rule_version,
        "subject": row.subject_id,
        "subject_kind": row.kind,
        "name": row.name,
        "starts": row.starts,
        "planned_end": row.planned_end,
        "ends": row.ends,
        "active": row.starts <= as_of and (row.ends is None or as_of < row.ends),
        "removed_by": row.removed_by,
        "reason": row.reason,
        "record_id": row.record_id,
        "category": row.category,
        "agency": row.agency,
        "doc_no": row.doc_no,
        "decided_on": row.decided_on,
    }


def _live_row(entry: Entry, subject: Any, as_of: dt.date) -> dict[str, Any]:
    record = entry.record
    return {
        "list": entry.list_id,
        "pack": entry.rule.pack.id,
        "rule_version": entry.rule.version.in_force,
        "subject": entry.subject,
        "subject_kind": subject.kind,
        "name": subject.name,
        "starts": entry.starts,
        "planned_end": entry.planned_end,
        "ends": entry.ends,
        "active": entry.active_on(as_of),
        "removed_by": entry.removed_by,
        "reason": entry.reason,
        "record_id": record.id,
        "category": record.category,
        "agency": record.agency,
        "doc_no": record.doc_no,
        "decided_on": record.decided_on,
    }


def present(row: dict[str, Any], caller: Principal) -> dict[str, Any]:
    """The row as the caller may see it: the public gets no record details beyond the list's
    reason, and persons' identity numbers masked."""
    if caller.role != "public":
        return row
    return shown_to(caller, {k: row[k] for k in PUBLIC_COLUMNS})


def columns_for(caller: Principal) -> tuple[str, ...]:
    return PUBLIC_COLUMNS if caller.role == "public" else COLUMNS
