"""Deletion deadlines: when the authority must have deleted a removed list entry, and whether
it did so in time.

A list's ``removed_when`` rule may carry ``deadline_working_days`` (the SPC's 3 working days
after performance, for instance). ``deletion_deadlines`` gives, for a subject's entries, every
removal whose statutory deadline is known; ``deletion_status`` compares one with the day the
entry was in fact deleted (which the core does not know: the store or the agency does).

For the service layer: the credit file, the API, the portal and the feed show, for each
removed entry, ``DeletionDeadline.as_dict()`` (``due``, ``exact``), and with the day the entry
was actually taken down, ``deletion_status(...)``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from socialcredit.core.engine.lists import Entry
from socialcredit.core.pack.model import ListRule, Rulebook
from socialcredit.core.workdays import add_workdays

DeletionState = Literal["pending", "on_time", "late", "overdue"]


@dataclass(frozen=True)
class DeletionDeadline:
    """A removed entry and the last day on which its deletion is on time."""

    list_id: str
    subject: str
    record_id: str
    removed_on: dt.date
    removed_by: str
    due: dt.date
    exact: bool  # False: a working day counted lies after the official calendar's data

    def as_dict(self) -> dict[str, Any]:
        return {
            "list": self.list_id,
            "subject": self.subject,
            "record": self.record_id,
            "removed_on": self.removed_on.isoformat(),
            "removed_by": self.removed_by,
            "delete_by": self.due.isoformat(),
            "exact": self.exact,
        }


def deletion_deadlines(entries: Iterable[Entry], as_of: dt.date) -> list[DeletionDeadline]:
    """Every entry removed on or before ``as_of`` whose removal rule sets a deadline."""
    found = []
    for entry in entries:
        if entry.removed_on is None or entry.removed_by is None or entry.removed_on > as_of:
            continue
        deadline = entry.delete_by()
        if deadline is None:
            continue
        found.append(
            DeletionDeadline(
                entry.list_id,
                entry.subject,
                entry.record.id,
                entry.removed_on,
                entry.removed_by,
                deadline.due,
                deadline.exact,
            )
        )
    return found


def explain_deletion(book: Rulebook, entry: Entry, as_of: dt.date) -> dict[str, Any] | None:
    """The deletion deadline of an entry that a removal ended by ``as_of``, as the credit
    file, the report and the feed show it: the day it was removed and by which rule, the last
    day of the deletion (``delete_by``; ``exact`` false when a working day counted lies after
    the official calendar's data), the working days allowed and the removal's legal source.
    None when the entry was not removed, its removal sets no deadline, or its planned end
    came first (it expired, it was not taken down)."""
    return explain_removal(
        book, entry.rule, entry.planned_end, entry.removed_on, entry.removed_by, as_of
    )


def explain_removal(
    book: Rulebook,
    rule: ListRule,
    planned_end: dt.date | None,
    removed_on: dt.date | None,
    removed_by: str | None,
    as_of: dt.date,
) -> dict[str, Any] | None:
    """``explain_deletion`` from an entry's rule and dates alone (a label run's stored
    columns), without its record."""
    if planned_end is not None and removed_on is not None and planned_end < removed_on:
        return None
    if removed_on is None or removed_by is None or removed_on > as_of:
        return None
    removal = next(r for r, _ in rule.removals if r.id == removed_by)
    if removal.deadline_working_days is None:
        return None
    deadline = add_workdays(removed_on, removal.deadline_working_days)
    return {
        "removed_on": removed_on.isoformat(),
        "removed_by": removed_by,
        "delete_by": deadline.due.isoformat(),
        "exact": deadline.exact,
        "working_days": removal.deadline_working_days,
        "legal_basis": book.cite(rule.pack, removal.legal_basis).as_dict(),
        "confidence": removal.confidence,
    }


def deletion_status(
    deadline: DeletionDeadline, deleted_on: dt.date | None, as_of: dt.date
) -> DeletionState:
    """``on_time`` or ``late`` once deleted (on the due day is on time); before that,
    ``pending`` up to the due day and ``overdue`` after it."""
    if deleted_on is not None and deleted_on <= as_of:
        return "on_time" if deleted_on <= deadline.due else "late"
    return "pending" if as_of <= deadline.due else "overdue"
