"""A subject's answers over time: the engine evaluated at each day where they can change.

Start on the first covered day; evaluate ``Engine.state`` on a ``Probe`` of that day; the
next day to evaluate is the least change point after it (the probe's flips, the change dates
of the subjects the engine read, the rulebook's dates). Consecutive evaluations with the same
measures in force merge into one segment. Nothing is assumed about the rules beyond what
``asof.date_uses`` checks; the equality tests compare every answer with ``Engine.decide``.
"""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass

from socialcredit.core.engine import Engine
from socialcredit.core.engine.lists import Entry
from socialcredit.core.engine.measures import AppliedMeasure
from socialcredit.core.errors import InvalidIdentifier
from socialcredit.core.facts import MemoryFacts
from socialcredit.core.pack.model import Rulebook
from socialcredit.core.rules.functions import Interval, add_interval
from socialcredit.index.asof import birthdays, date_uses, window_exit
from socialcredit.index.probe import Probe, TracingFacts

# A trigger as the index names it: ("entry", record id, via org) or ("rating", rating id, via
# org); the via org is "" when the measure falls on the subject itself.
TriggerId = tuple[str, str, str]
# A measure in force: (memorandum id, measure id, target role, trigger).
MeasureRef = tuple[str, str, str, TriggerId]


@dataclass(frozen=True, slots=True)
class Segment:
    """From ``start`` (a day ordinal) until the next segment's start, these measures apply."""

    start: int
    measures: tuple[MeasureRef, ...]


def measure_ref(applied: AppliedMeasure) -> MeasureRef:
    trigger = applied.trigger
    via = applied.via.org if applied.via is not None else ""
    ident: TriggerId = (
        ("entry", trigger.record.id, via)
        if isinstance(trigger, Entry)
        else ("rating", trigger.rating_id, via)
    )
    return (applied.memorandum.memorandum_id, applied.measure.id, applied.target, ident)


class Sweeper:
    """Segments of subjects over [start, end) under one rulebook and one set of facts."""

    def __init__(self, book: Rulebook, facts: MemoryFacts, start: dt.date, end: dt.date) -> None:
        if end <= start:
            raise ValueError(f"the index must cover some days: {start} .. {end}")
        self.engine = Engine(book)
        self.facts = facts
        self.uses = date_uses(book)
        self.start, self.end = start.toordinal(), end.toordinal()
        self.fixed = sorted(_shifted(self.uses.fixed_days, self.uses.years_back, end))
        self._changes: dict[str, list[int]] = {}

    def segments(self, subject_id: str) -> list[Segment]:
        """The subject's segments, merged; the first starts on the first covered day."""
        tracing = TracingFacts(self.facts)
        found: list[Segment] = []
        day = self.start
        while day < self.end:
            probe = Probe.on(dt.date.fromordinal(day))
            state = self.engine.state(tracing, subject_id, probe)
            refs = tuple(sorted(measure_ref(m) for m in state.measures))
            if not found or found[-1].measures != refs:
                found.append(Segment(day, refs))
            day = self._next(day, probe.flips, tracing.touched)
        return found

    def _next(self, day: int, flips: list[int], touched: set[str]) -> int:
        following = [f for f in flips if f > day]
        lists = [self.fixed, *(self._changes_of(s) for s in touched)]
        for days in lists:
            at = bisect.bisect_right(days, day)
            if at < len(days):
                following.append(days[at])
        return min([self.end, *following])

    def _changes_of(self, subject_id: str) -> list[int]:
        """Days a subject's answer can change that no comparison shows: records leaving a
        rating window, and birthdays at the ages a rule compares ``age(x, as_of)`` with."""
        known = self._changes.get(subject_id)
        if known is not None:
            return known
        days: set[int] = set()
        end_year = dt.date.fromordinal(self.end).year
        for record in self.facts.records_of(subject_id):
            if record.category in self.uses.rated_categories:
                decided = record.decided_on
                years = range(min(self.uses.years_back, end_year - decided.year + 1) + 1)
                windows = [Interval(), *self.uses.windows]
                days |= {window_exit(decided, w, n) for w in windows for n in years}
        if self.uses.ages:
            birth = _birth_date(self.facts, subject_id)
            if birth is not None:
                days |= set(birthdays(birth, self.uses.ages, self.start, self.end))
        self._changes[subject_id] = sorted(days)
        return self._changes[subject_id]


def _shifted(days: tuple[dt.date, ...], years_back: int, end: dt.date) -> set[int]:
    """Parameter dates, and the same dates up to ``years_back`` years later (a parameter read
    for an ``after_band`` score on an earlier date), within the covered years."""
    found = set()
    for day in days:
        for years in range(min(years_back, max(end.year - day.year + 1, 0)) + 1):
            found.add(add_interval(day, Interval(years=years)).toordinal())
    return found


def _birth_date(facts: MemoryFacts, subject_id: str) -> dt.date | None:
    try:
        return facts.subject(subject_id).birth_date
    except InvalidIdentifier:
        return None
