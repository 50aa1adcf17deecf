"""Credit repair: an application is checked against the pack's conditions
(``services.dueprocess.repair_eligibility``) and approved or refused with the reasons, in one
transaction.

Who: the subject for his own records and the record's source agency ("whoever designates,
repairs"); auditors and administrators read applications but do not grant them. A record that
cn-credit-repair publishes is repaired by application: on approval the application is written
into the fields that pack reads (a correction of the record, as the pack's description says
the agency would submit it), the performance of the obligations becomes the record's
``performed`` status if it was not yet, and the record gets status ``repaired`` on the day
publication stops. Records of other packs (the early deletion of cn-judgment-defaulters...)
are repaired by status ``repaired``, which only the source agency may grant; a subject's own
application follows cn-credit-repair's rules only. Decisions and credit files read the store,
so they reflect an approval at once; every application is logged and fed (``repair.decided``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Connection, Engine, insert, select, update

from socialcredit.core.access import Principal
from socialcredit.core.facts import Record
from socialcredit.core.identifiers import parse_id
from socialcredit.core.pack.model import Rulebook
from socialcredit.services.decisions.holder import refresh_after_write
from socialcredit.services.dueprocess.repair_eligibility import (
    REPAIR_PACK,
    Application,
    Assessment,
    assess,
    route_for,
)
from socialcredit.services.errors import Refused
from socialcredit.services.records.facts import load_subject
from socialcredit.services.records.writes import (
    add_status,
    api_batch,
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


def apply_for_repair(
    engine: Engine,
    book: Rulebook,
    caller: Principal,
    subject: str,
    rid: str,
    application: Application,
    today: dt.date,
) -> dict[str, Any]:
    """Check the application, store the outcome (and on approval the repair); return it."""
    code = parse_id(subject).code
    _check_caller(caller, code, application, today)
    with engine.begin() as db:
        row = own_record(db, caller, rid, "apply for")
        if row.subject_id != code:
            raise Refused(403, "forbidden", f"record {rid} is not a record of {code}")
        _not_before_decision(row, application)
        facts = load_subject(db, book, code)
        record = next((r for r in facts.records_of(code) if r.id == rid), None)
        if record is None:
            raise Refused(422, "invalid", f"no loaded pack knows category {row.category}")
        if caller.role == "subject" and route_for(book, record) == "status":
            outcome = _subject_may_not(record)
        else:
            outcome = assess(book, facts.subject(code), record, application, today)
        if outcome.approved:
            _store_repair(db, book, caller, row, record, outcome, application)
        new_id = _store_outcome(db, caller, row, application, outcome)
        verdict = "approved" if outcome.approved else "refused"
        ends = iso(outcome.publication_ends)
        log(db, book, caller, row, "repair.apply", f"repair {new_id}: {verdict}, ends {ends}")
        payload = {"repair": new_id, "outcome": verdict, "publication_ends": ends}
        record_event(db, "repair.decided", row, "restricted", payload)
        view = _view(db, new_id)
    refresh_after_write(engine, [code])  # the next decision reflects the repair
    return view


def get_repair(engine: Engine, book: Rulebook, caller: Principal, repair_id: int) -> dict[str, Any]:
    with engine.begin() as db:
        row = db.execute(select(t.repairs).where(t.repairs.c.id == repair_id)).first()
        if row is None:
            raise Refused(404, "not_found", f"no repair application {repair_id}")
        if not may_see(caller, row.subject_id, row.agency):
            raise Refused(403, "forbidden", "this key may not read this repair application")
        log_reads(db, book, caller, "repair.read", {row.subject_id: 1})
        return _view(db, repair_id)


def _check_caller(caller: Principal, code: str, application: Application, today: dt.date) -> None:
    if caller.role in ("public", "auditor", "admin"):  # auditors read; they do not repair
        raise Refused(403, "forbidden", "the subject or the source agency applies for repair")
    if caller.role == "subject" and caller.subject != code:
        raise Refused(403, "forbidden", "a subject key applies only for its own records")
    if caller.role == "subject" and application.applied_on != today:
        raise Refused(
            422,
            "invalid",
            "a subject applies today; applied_on is for an agency "
            "recording a written application it received",
        )
    not_in_future(
        today,
        applied_on=application.applied_on,
        obligations_performed_on=application.obligations_performed_on,
    )


def _not_before_decision(row: Any, application: Application) -> None:
    performed = application.obligations_performed_on
    if application.applied_on < row.decided_on or (performed and performed < row.decided_on):
        raise Refused(
            422,
            "invalid",
            "applied_on and obligations_performed_on may not come before the record's decision",
        )


def _subject_may_not(record: Record) -> Assessment:
    reason = (
        f"a subject applies for credit repair under {REPAIR_PACK}, which does not publish "
        f"{record.category}; its early deletion is decided by the source agency "
        f"({record.agency}), which grants it as status repaired"
    )
    return Assessment("status", record, [], [reason])


def _store_repair(
    db: Connection,
    book: Rulebook,
    caller: Principal,
    row: Any,
    record: Record,
    outcome: Assessment,
    application: Application,
) -> None:
    """Write what the rules read: the application's fields, the performance, the status."""
    batch = api_batch(db, f"repair of record {row.id}", caller.actor)
    candidate = outcome.candidate
    changed = {k: v for k, v in candidate.fields.items() if record.fields.get(k) != v}
    if changed:
        fields = {**row.fields, **jsonable(changed)}
        db.execute(update(t.records).where(t.records.c.id == row.id).values(fields=fields))
        disclosure = book.categories[row.category][1].disclosure
        record_event(db, "record.corrected", row, disclosure, {"fields": sorted(changed)})
    for change in set(candidate.history) - set(record.history):
        if change.status != "repaired":
            add_status(db, book, row, change.status, change.on, batch)
    day = application.applied_on if outcome.route == "status" else outcome.publication_ends
    assert day is not None
    add_status(db, book, row, "repaired", day, batch)


def _store_outcome(
    db: Connection, caller: Principal, row: Any, application: Application, outcome: Assessment
) -> int:
    values = {
        "record_id": row.id,
        "subject_id": row.subject_id,
        "agency": row.agency,
        "applied_by": caller.actor,
        "applied_on": application.applied_on,
        "decided_at": dt.datetime.now(dt.UTC),
        "route": outcome.route,
        "application": jsonable(
            {
                "commitment_signed": application.commitment_signed,
                "obligations_performed_on": application.obligations_performed_on,
                **application.statements,
            }
        ),
        "outcome": "approved" if outcome.approved else "refused",
        "publication_ends": outcome.publication_ends,
        "reasons": outcome.all_reasons(),
        "lists": [o.as_dict() for o in outcome.lists],
    }
    inserted = db.execute(insert(t.repairs).values(**values)).inserted_primary_key
    assert inserted is not None
    return int(inserted[0])


def _view(db: Connection, repair_id: int) -> dict[str, Any]:
    query = (
        select(t.repairs, t.records.c.category, t.records.c.doc_no)
        .join(t.records, t.records.c.id == t.repairs.c.record_id)
        .where(t.repairs.c.id == repair_id)
    )
    row = db.execute(query).one()
    return {
        "id": row.id,
        "record": record_summary(row),
        "subject": row.subject_id,
        "route": row.route,
        "applied_by": row.applied_by,
        "applied_on": row.applied_on.isoformat(),
        "application": row.application,
        "outcome": row.outcome,
        "publication_ends": iso(row.publication_ends),
        "reasons": row.reasons,
        "lists": row.lists,
    }
