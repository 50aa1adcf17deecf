"""Late deletions: of the removed entries with a statutory deletion deadline, how many were
deleted on time, late, or are still up past their deadline (the auditor's count for issue 15
item 7). The deletion days come from whoever keeps them (the store, an agency's export)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from socialcredit.core.engine.deletions import DeletionDeadline, deletion_status


@dataclass(frozen=True)
class DeletionCount:
    """Counts by state, per list, and the worst cases (late or overdue, most days first)."""

    as_of: dt.date
    total: int
    by_state: dict[str, int]
    by_list: dict[str, dict[str, int]]
    worst: list[dict[str, Any]] = field(default_factory=list)

    @property
    def late(self) -> int:
        return self.by_state.get("late", 0) + self.by_state.get("overdue", 0)

    def as_dict(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat(),
            "total": self.total,
            "late_or_overdue": self.late,
            "by_state": self.by_state,
            "by_list": self.by_list,
            "worst": self.worst,
        }


def count_deletions(
    deadlines: Iterable[DeletionDeadline],
    deleted_on: Mapping[tuple[str, str], dt.date],
    as_of: dt.date,
    worst: int = 20,
) -> DeletionCount:
    """Count each deadline's state; ``deleted_on`` maps (list id, record id) to the day the
    entry was taken down. An approximate deadline (``exact`` false) counts like any other and
    is marked in the worst cases."""
    states: Counter[str] = Counter()
    per_list: dict[str, Counter[str]] = {}
    bad = []
    for deadline in deadlines:
        deleted = deleted_on.get((deadline.list_id, deadline.record_id))
        state = deletion_status(deadline, deleted, as_of)
        states[state] += 1
        per_list.setdefault(deadline.list_id, Counter())[state] += 1
        if state in ("late", "overdue"):
            days = ((deleted or as_of) - deadline.due).days
            bad.append({**deadline.as_dict(), "state": state, "days_late": days})
    bad.sort(key=lambda row: (-row["days_late"], row["list"], row["record"]))
    return DeletionCount(
        as_of,
        sum(states.values()),
        dict(sorted(states.items())),
        {name: dict(sorted(c.items())) for name, c in sorted(per_list.items())},
        bad[:worst],
    )
