"""Entries still up past their deletion deadline: in force in the latest label run, though
the records, read live, show them removed (performed, revoked...) long enough ago that the
deadline has passed. No run has taken them down yet, so no event tells of them."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Connection, or_, select

from socialcredit.core.access import Principal
from socialcredit.core.engine import Engine as RuleEngine
from socialcredit.core.engine.deletions import DeletionDeadline, deletion_deadlines
from socialcredit.core.pack.model import Rulebook
from socialcredit.services.access.visibility import record_condition
from socialcredit.services.lists.query import latest_run
from socialcredit.services.records.facts import load_subject
from socialcredit.store import tables as t

EntryKey = tuple[str, str, str]  # list, subject, record


def still_up(
    db: Connection, book: Rulebook, caller: Principal, day: dt.date
) -> list[DeletionDeadline]:
    """The deadlines of entries in force in the latest run on its date (as far as the caller
    may read their records) that a removal ended by ``day``: none when ``day`` is not after
    the run's date, for which the run itself is the answer. Each subject with such an entry
    is evaluated live, so this reads as many subjects as the run has listed."""
    up = _in_force(db, book, caller, day)
    engine = RuleEngine(book)
    found: list[DeletionDeadline] = []
    for subject in sorted({key[1] for key in up}):
        state = engine.state(load_subject(db, book, subject), subject, day)
        found += [
            deadline
            for deadline in deletion_deadlines(state.entries, day)
            if (deadline.list_id, deadline.subject, deadline.record_id) in up
        ]
    return found


def _in_force(db: Connection, book: Rulebook, caller: Principal, day: dt.date) -> set[EntryKey]:
    run = latest_run(db)
    if run is None or day <= dt.date.fromisoformat(str(run["as_of"])):
        return set()
    run_day = dt.date.fromisoformat(str(run["as_of"]))
    e = t.list_entries
    query = (
        select(e.c.list_id, e.c.subject_id, e.c.record_id)
        .select_from(e.join(t.records, t.records.c.id == e.c.record_id))
        .where(e.c.run_id == run["id"], e.c.starts <= run_day)
        .where(or_(e.c.ends.is_(None), e.c.ends > run_day))
    )
    condition = record_condition(book, caller, e.c.subject_id)
    if condition is not None:
        query = query.where(condition)
    return {(row.list_id, row.subject_id, row.record_id) for row in db.execute(query)}
