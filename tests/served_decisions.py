"""Helpers of the tests of decisions as the services serve them (from the decision index)
against the live engine over the same store: the engine as the decision service used it
before the index (``load_subject`` then ``Engine.decide``) is the reference."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import Connection, delete, insert, select

from socialcredit.core.access import Principal
from socialcredit.core.engine import Decision, Engine
from socialcredit.core.facts import MemoryFacts, Subject
from socialcredit.index.sweep import measure_ref
from socialcredit.services.context import Context
from socialcredit.services.decisions.answer import Question, answer, answer_batch
from socialcredit.services.decisions.holder import holder_for
from socialcredit.services.records.facts import load_subject
from socialcredit.services.records.stored import jsonable
from socialcredit.store import tables as t

ADMIN = Principal("test", "admin", "operator")
SERVED = ("answered_by", "explained", "determining", "known", "note")


def determining(decision: Decision) -> set[tuple[str, tuple[str, str, str | None]]]:
    """The determining measures of an engine decision, named as the service names them."""
    found = set()
    for reason in decision.reasons:
        if reason.determining:
            kind, ident, via = measure_ref(reason.applied)[3]
            memo, measure = reason.applied.memorandum.memorandum_id, reason.applied.measure.id
            found.add((f"{memo}/{measure}", (kind, ident, via or None)))
    return found


def assert_served(got: dict[str, Any], want: Decision, covered: bool, explain: bool) -> None:
    """One served answer against the engine's decision."""
    where = f"{want.subject} {want.action} {want.as_of}"
    assert got["effect"] == want.effect, where
    assert got["answered_by"] == ("index" if covered else "engine"), where
    named = {(d["measure"], tuple(d["trigger"].values())) for d in got["determining"]}
    assert named == determining(want), where
    assert got["explained"] is explain, where
    if explain:
        assert {k: v for k, v in got.items() if k not in SERVED} == want.as_dict(), where


def served_as_engine(
    ctx: Context, subjects: Iterable[str], days_of: Callable[[str], list[dt.date]]
) -> int:
    """Every action of every subject on its days, asked as one batch without explanations;
    for every third subject every fourth of those days again, explained; and one question
    of each subject alone. Returns how many answers were compared."""
    compared = 0
    for n, subject in enumerate(subjects):
        days = days_of(subject)
        compared += _compare(ctx, subject, days, explain=False)
        if n % 3 == 0:
            compared += _compare(ctx, subject, days[::4], explain=True)
    return compared


def _compare(ctx: Context, subject: str, days: list[dt.date], explain: bool) -> int:
    holder, engine = holder_for(ctx.engine, ctx.book), Engine(ctx.book)
    asked = [
        Question(subject, a, d, explain=explain) for d in days for a in sorted(ctx.book.actions)
    ]
    if not asked:
        return 0
    got = answer_batch(ctx, ADMIN, asked)
    with ctx.engine.connect() as db:
        facts = load_subject(db, ctx.book, subject)
    states = {day: engine.state(facts, subject, day) for day in days}  # decide = from(state)
    for question, found in zip(asked, got, strict=True):
        day = question.as_of
        assert day is not None
        want = engine.decision_from(states[day], question.action)
        assert_served(found, want, holder.covers(day), explain)
    middle = asked[len(asked) // 2]
    assert middle.as_of is not None
    want = engine.decision_from(states[middle.as_of], middle.action)
    assert_served(answer(ctx, ADMIN, middle), want, holder.covers(middle.as_of), explain)
    return len(asked) + 1


def clear_facts(db: Connection) -> set[str]:
    """Remove every subject, relation, record and status (not the events or the audit);
    the subjects removed."""
    removed = {row.id for row in db.execute(select(t.subjects.c.id))}
    for table in (t.record_status, t.relations, t.records, t.subjects, t.batches):
        db.execute(delete(table))
    return removed


def store_facts(db: Connection, facts: MemoryFacts) -> None:
    """Write in-memory facts (a scenario's) to the store as ingestion would have."""
    now = dt.datetime.now(dt.UTC)
    db.execute(
        insert(t.batches).values(
            id="facts",
            agency="test",
            file_name="facts",
            received_at=now,
            rows=0,
            accepted=0,
            rejected=0,
        )
    )
    records = [r for rs in facts.records.values() for r in rs]
    relations = {r for rs in facts.relations.values() for r in rs}
    ids = set(facts.subjects) | {r.subject for r in records}
    ids |= {r.org for r in relations} | {r.person for r in relations}
    subjects = [facts.subjects.get(i) or Subject.from_code(i) for i in sorted(ids)]
    if not subjects:  # a world without records (the governing packs' scenarios)
        return
    db.execute(
        insert(t.subjects),
        [
            {
                "id": s.id,
                "kind": s.kind,
                "name": s.name,
                "birth_date": s.birth_date,
                "region": s.region,
            }
            for s in subjects
        ],
    )
    if records:
        db.execute(insert(t.records), [_record_row(r) for r in records])
    statuses = [
        {"record_id": r.id, "status": c.status, "date": c.on, "batch_id": "facts"}
        for r in records
        for c in r.history
    ]
    if statuses:
        db.execute(insert(t.record_status), statuses)
    if relations:
        db.execute(
            insert(t.relations),
            [
                {
                    "org_id": r.org,
                    "role": r.role,
                    "person_id": r.person,
                    "since": r.since,
                    "until": r.until,
                }
                for r in relations
            ],
        )


def _record_row(record: Any) -> dict[str, Any]:
    return {
        "id": record.id,
        "subject_id": record.subject,
        "category": record.category,
        "agency": record.agency,
        "doc_no": record.doc_no,
        "decided_on": record.decided_on,
        "fields": jsonable(record.fields),
        "original": {},
        "batch_id": "facts",
    }
