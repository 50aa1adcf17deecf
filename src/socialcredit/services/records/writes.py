"""Writing to a record on behalf of a decision made through the API (an objection's outcome,
a credit repair): the batch that stands for the decision, status changes and feed events, and
and the audit entry."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from sqlalchemy import Connection, insert, select

from socialcredit.core.access import Principal
from socialcredit.core.pack.model import Rulebook
from socialcredit.services.errors import Refused
from socialcredit.store import tables as t
from socialcredit.store.audit_log import append
from socialcredit.store.events import publish
from socialcredit.store.public_reads import log_read


def may_see(caller: Principal, subject_id: str, agency: str) -> bool:
    """Objections and repairs read like restricted records (Principal.may_read); the record's
    source agency also sees those it must decide (a due-process duty, whatever its scope)."""
    if caller.role == "public":
        return False
    return caller.may_read("restricted", subject_id) or (
        caller.role == "agency" and caller.agency == agency
    )


def acts_for(caller: Principal, record: Any) -> bool:
    """May the caller object to or apply for the repair of this record? Its subject (a
    subject key of his own) or its source agency (an agency key of that agency)."""
    if caller.role == "subject":
        return bool(caller.subject == record.subject_id)
    return caller.role == "agency" and caller.agency == record.agency


def own_record(db: Connection, caller: Principal, rid: str, what: str) -> Any:
    """The stored record ``rid`` if the caller acts for it; refused (403) otherwise, in
    words that do not tell whether such a record exists. ``what``: "dispute", "apply for"."""
    record = find_record(db, rid)
    if record is None or not acts_for(caller, record):
        raise Refused(
            403,
            "forbidden",
            f"this key may {what} only the records of its "
            "subject or of its agency (there is no such record of yours)",
        )
    return record


def not_in_future(today: dt.date, **days: dt.date | None) -> None:
    """Refuse (422) any of the named dates that comes after ``today``."""
    for name, day in days.items():
        if day is not None and day > today:
            raise Refused(422, "invalid", f"{name} {day} is in the future")


def record_summary(row: Any) -> dict[str, Any]:
    """The record an objection or repair is about, from a row joined with ``records``."""
    return {
        "id": row.record_id,
        "category": row.category,
        "agency": row.agency,
        "doc_no": row.doc_no,
    }


def find_record(db: Connection, rid: str) -> Any:
    """The stored record row (id, subject_id, category, agency, doc_no, fields...) or None."""
    return db.execute(select(t.records).where(t.records.c.id == rid)).first()


def api_batch(db: Connection, source: str, actor: str) -> str:
    """A batch that stands for one decision made through the API, for the rows it writes."""
    now = dt.datetime.now(dt.UTC)
    batch = hashlib.sha256(f"api\x1f{source}\x1f{now.isoformat()}".encode()).hexdigest()
    db.execute(
        insert(t.batches).values(
            id=batch,
            agency=actor[:64],
            file_name=f"api: {source}",
            received_at=now,
            rows=1,
            accepted=1,
            rejected=0,
        )
    )
    return batch


def add_status(
    db: Connection, book: Rulebook, record: Any, status: str, day: dt.date, batch: str
) -> bool:
    """Give the record a status from ``day`` (once), with its ``record.status`` event."""
    c = t.record_status.c
    known = select(c.id).where(c.record_id == record.id, c.status == status, c.date == day)
    if db.execute(known).first() is not None:
        return False
    db.execute(
        insert(t.record_status).values(record_id=record.id, status=status, date=day, batch_id=batch)
    )
    disclosure = book.categories[record.category][1].disclosure
    payload = {"status": status, "date": day.isoformat()}
    record_event(db, "record.status", record, disclosure, payload)
    return True


def record_event(
    db: Connection, kind: str, record: Any, disclosure: str, extra: dict[str, Any]
) -> None:
    """A feed event about a record; its source agency is in the payload, so that it sees it."""
    publish(
        db,
        dict(
            at=dt.datetime.now(dt.UTC),
            kind=kind,
            subject_id=record.subject_id,
            category=record.category,
            disclosure=disclosure,
            agency=record.agency,
            payload={"record": record.id, "agency": record.agency, **extra},
        ),
    )


def iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def jsonable(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [jsonable(v) for v in value]
    return value


def log(
    db: Connection, book: Rulebook, caller: Principal, record: Any, action: str, result: str
) -> None:
    """Append the step to the audit log, under the record's subject."""
    entry = {
        "actor": caller.actor,
        "action": action,
        "subject": record.subject_id,
        "result": f"record {record.id}: {result}",
        "revisions": book.revisions(),
    }
    append(db, entry)


def log_reads(
    db: Connection, book: Rulebook, caller: Principal, action: str, shown: dict[str, int]
) -> None:
    """Log a read of objections or repairs: one entry per subject, with how many were shown."""
    for subject, count in sorted(shown.items()):
        entry = {
            "actor": caller.actor,
            "action": action,
            "subject": subject,
            "result": f"{count} shown",
            "revisions": book.revisions(),
        }
        log_read(db, entry)
