"""How long a list keeps a subject listed: the planned periods of every boundary case,
computed by the real engine (``entries_for``) on records decided on the audit date."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from socialcredit.core.auditor.cases import enumerate_cases, read_fields, record_of, subjects_for
from socialcredit.core.engine.lists import entries_for
from socialcredit.core.pack.model import ListRule, Rulebook

DAYS_PER_YEAR = 365.25


@dataclass(frozen=True)
class Periods:
    """The planned listing periods over the boundary cases of one list version."""

    list_id: str
    cases: int
    sampled: bool
    listed: int
    open_ended: int
    shortest_days: int | None
    longest_days: int | None
    longest_case: dict[str, Any] | None
    set_by_decision: list[str]

    @property
    def longest_years(self) -> float | None:
        return None if self.longest_days is None else self.longest_days / DAYS_PER_YEAR

    def as_dict(self) -> dict[str, Any]:
        return {
            "list": self.list_id,
            "cases": self.cases,
            "sampled": self.sampled,
            "listed": self.listed,
            "open_ended": self.open_ended,
            "shortest_days": self.shortest_days,
            "longest_days": self.longest_days,
            "longest_years": round(self.longest_years, 2) if self.longest_years else None,
            "set_by_decision": self.set_by_decision,
        }


def listing_periods(book: Rulebook, rule: ListRule, day: dt.date) -> Periods:
    """Run every boundary case of the list version through the engine as of ``day``."""
    expressions = [rule.include, rule.starts, *(e for _, e in rule.exemptions)]
    if rule.ends is not None:
        expressions.append(rule.ends)
    cases = enumerate_cases(book, rule.category, read_fields(expressions, rule.alias), day)
    durations: list[tuple[int, dict[str, Any]]] = []
    listed = open_ended = 0
    for subject in subjects_for(rule.definition.subject_kinds):
        for row in cases.rows:
            record = record_of(subject, rule.category, row, day)
            for entry in entries_for(book, subject, [record], day):
                if entry.rule is not rule or not _has_effect(entry.starts, entry.planned_end):
                    continue
                listed += 1
                if entry.planned_end is None:
                    open_ended += 1
                else:
                    durations.append(((entry.planned_end - entry.starts).days, row[1]))
    set_by = decision_dates(book, rule)
    days = sorted(durations, key=lambda pair: pair[0])
    return Periods(
        rule.list_id,
        len(cases.rows) * len(rule.definition.subject_kinds),
        cases.sampled,
        listed,
        open_ended,
        days[0][0] if days else None,
        days[-1][0] if days else None,
        days[-1][1] if days else None,
        set_by,
    )


def _has_effect(starts: dt.date, planned_end: dt.date | None) -> bool:
    """A case whose planned end is not after its start never lists anyone."""
    return planned_end is None or planned_end > starts


def decision_dates(book: Rulebook, rule: ListRule) -> list[str]:
    """Date fields of the record that the planned end reads: periods the decision sets."""
    if rule.ends is None:
        return []
    types = book.categories[rule.category][2]
    read = read_fields([rule.ends], rule.alias)
    return sorted(name for name in read if name in types and types[name].base == "date")
