"""The use case "count late deletions", from the store.

The rule-of-law auditor (``socialcredit audit``) reads rule packs only, not the store, so
this count lives here, beside the lists it measures. An entry is taken down by the label run
that ends it: its ``entry.removed`` event carries the deletion deadline and the run's date
(``taken_down_on``). ``core.auditor.deletions.count_deletions`` compares the two: on the
due day or before is on time, after it is late.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Connection, select

from socialcredit.core.access import Principal
from socialcredit.core.auditor.deletions import count_deletions
from socialcredit.core.engine.deletions import DeletionDeadline
from socialcredit.core.pack.model import Rulebook
from socialcredit.services.access.visibility import event_condition, shown_to
from socialcredit.services.context import Context
from socialcredit.services.lists.overdue import still_up
from socialcredit.store import tables as t

Key = tuple[str, str]  # list, record


def late_deletions(
    ctx: Context, caller: Principal, as_of: dt.date | None = None, worst: int = 20
) -> dict[str, Any]:
    """The use case "count late deletions": ``count_late_deletions`` in a connection of its
    own. ``as_of`` defaults to today or the latest take-down, whichever is later."""
    with ctx.engine.connect() as db:
        return count_late_deletions(db, ctx.book, caller, as_of, worst)


def count_late_deletions(
    db: Connection, book: Rulebook, caller: Principal, as_of: dt.date | None, worst: int = 20
) -> dict[str, Any]:
    """Of the entries label runs took down whose removal sets a deletion deadline (as far as
    the caller may read their events): how many were taken down on time and how many late,
    per list, and the worst (most days late first). What was taken down after ``as_of`` is
    not yet known on that day: past its deadline it counts as overdue, as does an entry the
    latest run still shows though its records show it removed (``overdue.still_up``)."""
    taken = _taken_down(db, caller)
    deadlines = [deadline for deadline, _ in taken.values()]
    deleted = {key: day for key, (_, day) in taken.items()}
    day = as_of or max([dt.date.today(), *deleted.values()])
    deadlines += [
        d for d in still_up(db, book, caller, day) if (d.list_id, d.record_id) not in taken
    ]
    return shown_to(caller, count_deletions(deadlines, deleted, day, worst).as_dict())


def _taken_down(db: Connection, caller: Principal) -> dict[Key, tuple[DeletionDeadline, dt.date]]:
    """Each entry's last take-down with a deadline: its deadline and the day of the run."""
    query = select(t.events.c.subject_id, t.events.c.payload).where(
        t.events.c.kind == "entry.removed"
    )
    condition = event_condition(caller)
    if condition is not None:
        query = query.where(condition)
    found: dict[Key, tuple[DeletionDeadline, dt.date]] = {}
    for subject, payload in db.execute(query.order_by(t.events.c.id)):
        deletion = payload.get("deletion")
        if deletion is None:
            continue
        deadline = _deadline(subject, payload, deletion)
        day = dt.date.fromisoformat(deletion["taken_down_on"])
        found[(deadline.list_id, deadline.record_id)] = (deadline, day)
    return found


def _deadline(subject: str, payload: dict[str, Any], deletion: dict[str, Any]) -> DeletionDeadline:
    return DeletionDeadline(
        payload["list"],
        subject,
        payload["record"],
        dt.date.fromisoformat(deletion["removed_on"]),
        deletion["removed_by"],
        dt.date.fromisoformat(deletion["delete_by"]),
        bool(deletion["exact"]),
    )
