"""Objections: a subject (his own records) or the source agency (records it submitted)
disputes a record. The record is disputed while the objection is open or escalated; the review
deadline follows the pack that lists the record's category, in working days where the pack
says so. The source agency decides: corrected (the record gets status
``corrected`` today), upheld, or escalated (still open, at the next level). Every step is one
transaction, appended to the audit log and emitted as a ``restricted`` feed event.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, insert, select, update

from socialcredit.core.access import Principal
from socialcredit.core.pack.model import Rulebook
from socialcredit.core.records import record_id
from socialcredit.services.decisions.holder import refresh_after_write
from socialcredit.services.dueprocess.deadlines import review_deadline
from socialcredit.services.errors import Refused
from socialcredit.services.records.writes import (
    add_status,
    api_batch,
    find_record,
    iso,
    jsonable,
    log,
    log_reads,
    may_see,
    not_in_future,
    own_record,
    record_event,
    record_summary,
)
from socialcredit.store import tables as t

OPEN = ("open", "escalated")
OUTCOMES = ("corrected", "upheld", "escalated")


@dataclass(frozen=True)
class RecordRef:
    """A record named by its id, or by its source document (category, doc_no, agency)."""

    record_id: str | None = None
    category: str | None = None
    doc_no: str | None = None
    agency: str | None = None

    def resolve(self) -> str:
        if self.record_id:
            return self.record_id
        return record_id(self.category or "", self.agency or "", self.doc_no or "")


def file_objection(
    engine: Engine,
    book: Rulebook,
    caller: Principal,
    ref: RecordRef,
    reason: str,
    filed_on: dt.date | None,
    today: dt.date,
) -> dict[str, Any]:
    """File an objection; return it with its review deadline."""
    day = _filing_day(caller, filed_on, today)
    with engine.begin() as db:
        record = own_record(db, caller, ref.resolve(), "dispute")
        if day < record.decided_on:
            raise Refused(422, "invalid", f"filed_on {day} is before the record's decision")
        _no_open_duplicate(db, record.id, caller.actor)
        deadline = review_deadline(book, record.category, record.decided_on, day)
        new_id = _insert(db, caller, record, day, reason, deadline)
        due = deadline["due_on"] or "not set by the pack"
        log(db, book, caller, record, "objection.file", f"objection {new_id}: review due {due}")
        payload = {"objection": new_id, "due_on": iso(deadline["due_on"])}
        record_event(db, "objection.filed", record, "restricted", payload)
        return _view(db, new_id)


def _filing_day(caller: Principal, filed_on: dt.date | None, today: dt.date) -> dt.date:
    """The day the objection counts as filed: today, or for an agency the day a written
    objection was received."""
    if caller.role not in ("subject", "agency"):
        raise Refused(403, "forbidden", "a subject or the record's source agency files objections")
    if filed_on is not None and caller.role == "subject" and filed_on != today:
        raise Refused(
            422,
            "invalid",
            "a subject files today; filed_on is for an agency "
            "recording a written objection it received",
        )
    not_in_future(today, filed_on=filed_on)
    return filed_on or today


def _insert(
    db: Connection,
    caller: Principal,
    record: Any,
    day: dt.date,
    reason: str,
    deadline: dict[str, Any],
) -> int:
    values = {
        "record_id": record.id,
        "subject_id": record.subject_id,
        "agency": record.agency,
        "filed_by": caller.actor,
        "filed_on": day,
        "filed_at": dt.datetime.now(dt.UTC),
        "reason": reason,
        "status": "open",
        "due_on": deadline["due_on"],
        "deadline": jsonable(deadline),
        "decisions": [],
    }
    inserted = db.execute(insert(t.objections).values(**values)).inserted_primary_key
    assert inserted is not None
    return int(inserted[0])


def decide_objection(
    engine: Engine,
    book: Rulebook,
    caller: Principal,
    objection_id: int,
    outcome: str,
    reason: str,
    today: dt.date,
) -> dict[str, Any]:
    """Decide an open (or escalated) objection: corrected, upheld or escalated."""
    if caller.role != "agency":  # auditors read, administrators manage keys: neither decides
        raise Refused(403, "forbidden", "the source agency decides objections")
    if outcome not in OUTCOMES:
        raise Refused(422, "invalid", f"outcome should be one of {', '.join(OUTCOMES)}")
    with engine.begin() as db:
        row = _open_objection(db, caller, objection_id, outcome)
        step = _step(caller, outcome, reason, today)
        done = db.execute(
            update(t.objections)
            .where(t.objections.c.id == objection_id, t.objections.c.status == row.status)
            .values(status=outcome, decisions=[*row.decisions, step])
        ).rowcount
        if not done:
            raise Refused(409, "conflict", f"objection {objection_id} was decided meanwhile")
        record = find_record(db, row.record_id)
        assert record is not None  # a foreign key keeps it
        if outcome == "corrected":
            batch = api_batch(db, f"objection {objection_id} corrected", caller.actor)
            add_status(db, book, record, "corrected", today, batch)
        log(db, book, caller, record, "objection.decide", f"objection {objection_id}: {outcome}")
        payload = {"objection": objection_id, "outcome": outcome}
        record_event(db, "objection.decided", record, "restricted", payload)
        view = _view(db, objection_id)
    refresh_after_write(engine, [record.subject_id])  # the next decision reflects it
    return view


def _step(caller: Principal, outcome: str, reason: str, today: dt.date) -> dict[str, Any]:
    """One outcome as the objection keeps it: when, on which day, by whom, what and why."""
    return {
        "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "on": today.isoformat(),
        "by": caller.actor,
        "outcome": outcome,
        "reason": reason,
    }


def _open_objection(db: Connection, caller: Principal, objection_id: int, outcome: str) -> Any:
    """The objection, if it exists, is the caller's agency's to decide, and is still open."""
    row = db.execute(select(t.objections).where(t.objections.c.id == objection_id)).first()
    if row is None:
        raise Refused(404, "not_found", f"no objection {objection_id}")
    if caller.agency != row.agency:
        raise Refused(403, "forbidden", "only the record's source agency decides this")
    if row.status not in OPEN or (row.status == "escalated" and outcome == "escalated"):
        raise Refused(409, "conflict", f"objection {objection_id} is {row.status}")
    return row


def get_objection(
    engine: Engine, book: Rulebook, caller: Principal, objection_id: int
) -> dict[str, Any]:
    with engine.begin() as db:
        row = db.execute(select(t.objections).where(t.objections.c.id == objection_id)).first()
        if row is None:
            raise Refused(404, "not_found", f"no objection {objection_id}")
        if not may_see(caller, row.subject_id, row.agency):
            raise Refused(403, "forbidden", "this key may not read this objection")
        log_reads(db, book, caller, "objection.read", {row.subject_id: 1})
        return _view(db, objection_id)


def list_objections(
    engine: Engine,
    book: Rulebook,
    caller: Principal,
    subject: str | None,
    record: str | None,
    status: str | None,
    after: int,
    limit: int,
) -> dict[str, Any]:
    """The objections the caller may read, oldest first, after the id ``after``."""
    if caller.role == "public":
        raise Refused(403, "forbidden", "objections are for the subject, agencies and auditors")
    if caller.role == "subject":
        if subject is not None and subject != caller.subject:
            raise Refused(403, "forbidden", "a subject key reads only its own objections")
        subject = caller.subject
    c = t.objections.c
    query = select(t.objections).where(c.id > after).order_by(c.id)
    if caller.role == "agency" and "restricted" not in caller.disclosures:
        query = query.where(c.agency == caller.agency)
    for column, value in ((c.subject_id, subject), (c.record_id, record), (c.status, status)):
        if value is not None:
            query = query.where(column == value)
    with engine.begin() as db:
        ids = [row.id for row in db.execute(query.limit(limit))]
        found = [_view(db, i) for i in ids]
        log_reads(db, book, caller, "objection.read", Counter(o["subject"] for o in found))
    return {"objections": found, "next": ids[-1] if ids else after}


def disputed(db: Connection, record_ids: list[str]) -> set[str]:
    """Which of these records an open (or escalated) objection disputes."""
    c = t.objections.c
    query = select(c.record_id).where(c.record_id.in_(record_ids), c.status.in_(OPEN))
    return {row.record_id for row in db.execute(query)}


def _no_open_duplicate(db: Connection, rid: str, actor: str) -> None:
    c = t.objections.c
    query = select(c.id).where(c.record_id == rid, c.filed_by == actor, c.status.in_(OPEN))
    found = db.execute(query).first()
    if found is not None:
        raise Refused(409, "conflict", f"objection {found.id} of yours on this record is open")


def _view(db: Connection, objection_id: int) -> dict[str, Any]:
    query = (
        select(t.objections, t.records.c.category, t.records.c.doc_no)
        .join(t.records, t.records.c.id == t.objections.c.record_id)
        .where(t.objections.c.id == objection_id)
    )
    row = db.execute(query).one()
    return {
        "id": row.id,
        "record": record_summary(row),
        "subject": row.subject_id,
        "status": row.status,
        "disputed": row.status in OPEN,
        "filed_by": row.filed_by,
        "filed_on": row.filed_on.isoformat(),
        "reason": row.reason,
        "review": {
            "due_on": iso(row.due_on),
            **{k: v for k, v in row.deadline.items() if k != "due_on"},
        },
        "decisions": row.decisions,
    }
