"""The feed events of a label run: what changed since the previous run.

``entry.added`` / ``entry.removed`` for list entries that became active or stopped being so
(a removal whose rule sets a deletion deadline carries it as ``deletion``, with the run's date
as ``taken_down_on``: the day the run took the entry down),
``rating.changed`` for grades that differ, and ``measure.started`` / ``measure.ended`` for the
measures in force (kept in ``measures_in_force`` from one run to the next). Each event carries
the disclosure class and source agency of what it derives from, so that the feed shows it only
to callers who may read that.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from sqlalchemy import Connection, delete, insert, select

from socialcredit.core.engine.deletions import explain_deletion
from socialcredit.core.engine.lists import Entry
from socialcredit.core.engine.measures import AppliedMeasure, Trigger, measures_reached
from socialcredit.core.engine.ratings import Rating
from socialcredit.core.facts import MemoryFacts
from socialcredit.core.pack.model import Rulebook
from socialcredit.services.access.visibility import disclosure_of, rating_disclosure
from socialcredit.store import tables as t

EntryKey = tuple[str, str, str]  # list, subject, record
RatingKey = tuple[str, str]  # rating, subject


def label_events(
    db: Connection,
    book: Rulebook,
    facts: MemoryFacts,
    as_of: dt.date,
    found: tuple[list[Entry], list[Rating]],
) -> list[dict[str, Any]]:
    """The events of a run against the latest stored run; call before storing the new run.
    Updates ``measures_in_force`` to the new run's measures."""
    entries, ratings = found
    active = [e for e in entries if e.active_on(as_of)]
    last = db.execute(select(t.label_runs).order_by(t.label_runs.c.id.desc()).limit(1)).first()
    events = _entry_events(book, _entries_of(db, last), active)
    _add_deletions(book, events, entries, as_of)
    events += _rating_events(book, _grades_of(db, last), ratings)
    triggers: dict[str, list[Trigger]] = defaultdict(list)
    for entry in active:
        triggers[entry.subject].append(entry)
    for rating in ratings:
        triggers[rating.subject].append(rating)
    events += _measure_events(db, book, measures_reached(book, facts, triggers, as_of))
    now = dt.datetime.now(dt.UTC)
    return [{"at": now, **event} for event in events]


def _entries_of(db: Connection, run: Any) -> dict[EntryKey, tuple[str, str]]:
    """The entries active in a run on its own date: key -> (category, source agency)."""
    if run is None:
        return {}
    e, r = t.list_entries, t.records
    query = (
        select(e.c.list_id, e.c.subject_id, e.c.record_id, r.c.category, r.c.agency)
        .join(r, r.c.id == e.c.record_id)
        .where(e.c.run_id == run.id, e.c.starts <= run.as_of)
        .where((e.c.ends.is_(None)) | (e.c.ends > run.as_of))
    )
    return {
        (x.list_id, x.subject_id, x.record_id): (x.category, x.agency) for x in db.execute(query)
    }


def _grades_of(db: Connection, run: Any) -> dict[RatingKey, str]:
    if run is None:
        return {}
    query = select(t.ratings.c.rating_id, t.ratings.c.subject_id, t.ratings.c.grade)
    rows = db.execute(query.where(t.ratings.c.run_id == run.id))
    return {(x.rating_id, x.subject_id): x.grade for x in rows}


def _entry_events(
    book: Rulebook, previous: dict[EntryKey, tuple[str, str]], active: list[Entry]
) -> list[dict[str, Any]]:
    current = {
        (e.list_id, e.subject, e.record.id): (e.record.category, e.record.agency) for e in active
    }
    changes = [
        ("entry.added", key, source) for key, source in current.items() if key not in previous
    ]
    changes += [
        ("entry.removed", key, source) for key, source in previous.items() if key not in current
    ]
    return [
        {
            "kind": kind,
            "subject_id": subject,
            "category": category,
            "disclosure": disclosure_of(book, category) or "restricted",
            "agency": agency,
            "payload": {"list": list_id, "record": record},
        }
        for kind, (list_id, subject, record), (category, agency) in changes
    ]


def _add_deletions(
    book: Rulebook, events: list[dict[str, Any]], entries: list[Entry], as_of: dt.date
) -> None:
    """Give each ``entry.removed`` event whose entry a removal with a deadline ended its
    deletion deadline, and the run's date as the day it was taken down."""
    removed = {
        (e["payload"]["list"], e["subject_id"], e["payload"]["record"]): e["payload"]
        for e in events
        if e["kind"] == "entry.removed"
    }
    if not removed:
        return
    for entry in entries:
        payload = removed.get((entry.list_id, entry.subject, entry.record.id))
        deletion = explain_deletion(book, entry, as_of) if payload is not None else None
        if payload is not None and deletion is not None:
            payload["deletion"] = {**deletion, "taken_down_on": as_of.isoformat()}


def _rating_events(
    book: Rulebook, previous: dict[RatingKey, str], ratings: list[Rating]
) -> list[dict[str, Any]]:
    current = {(r.rating_id, r.subject): r.grade for r in ratings}
    keys = sorted(set(previous) | set(current))
    return [
        {
            "kind": "rating.changed",
            "subject_id": subject,
            "category": None,
            "disclosure": rating_disclosure(book, rating_id),
            "agency": None,
            "payload": {
                "rating": rating_id,
                "from": previous.get((rating_id, subject)),
                "to": current.get((rating_id, subject)),
            },
        }
        for rating_id, subject in keys
        if previous.get((rating_id, subject)) != current.get((rating_id, subject))
    ]


def _measure_events(
    db: Connection, book: Rulebook, applied: list[AppliedMeasure]
) -> list[dict[str, Any]]:
    """Events for measures that started or ended; ``measures_in_force`` follows the change."""
    table = t.measures_in_force
    previous = {row.key: row for row in db.execute(select(table))}
    current = {row["key"]: row for row in (_measure_row(book, m) for m in applied)}
    started = [row for key, row in current.items() if key not in previous]
    ended = [previous[key] for key in previous if key not in current]
    gone = [row.key for row in ended]
    for start in range(0, len(gone), 500):
        db.execute(delete(table).where(table.c.key.in_(gone[start : start + 500])))
    if started:
        db.execute(insert(table), started)
    events = [_measure_event("measure.started", row) for row in started]
    return events + [_measure_event("measure.ended", row._asdict()) for row in ended]


def _measure_event(kind: str, row: dict[str, Any]) -> dict[str, Any]:
    return {"kind": kind, **{k: v for k, v in row.items() if k != "key"}}


def _measure_row(book: Rulebook, applied: AppliedMeasure) -> dict[str, Any]:
    measure, memo, trigger = applied.measure, applied.memorandum, applied.trigger
    if isinstance(trigger, Entry):
        ref = f"entry:{trigger.list_id}:{trigger.record.id}"
        category: str | None = trigger.record.category
        disclosure = disclosure_of(book, category) or "restricted"
        agency: str | None = trigger.record.agency
        cause = {"kind": "list_entry", "list": trigger.list_id, "record": trigger.record.id}
    else:
        ref = f"rating:{trigger.rating_id}:{trigger.subject}"
        category, agency = None, None
        disclosure = rating_disclosure(book, trigger.rating_id)
        cause = {"kind": "rating", "rating": trigger.rating_id, "grade": trigger.grade}
    return {
        "key": f"{memo.memorandum_id}|{measure.id}|{applied.subject}|{ref}",
        "subject_id": applied.subject,
        "category": category,
        "disclosure": disclosure,
        "agency": agency,
        "payload": {
            "measure": measure.id,
            "memorandum": memo.memorandum_id,
            "pack": memo.pack.id,
            "effect": measure.effect,
            "applied_by": measure.agency,
            "domain": measure.domain,
            "target": applied.target,
            "via": applied.via.org if applied.via else None,
            "trigger": {**cause, "subject": trigger.subject},
            "starts": applied.starts.isoformat(),
            "until": applied.ends.isoformat() if applied.ends else None,
        },
    }
