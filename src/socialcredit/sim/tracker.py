"""Incremental evaluation: each day, ask the engine again only about the subjects whose facts
changed, the officers of changed organisations, and the subjects whose standing reaches a
boundary (see ``boundaries``). ``full_standings`` asks about everyone: tests check that both
agree, day by day.
"""

from __future__ import annotations

import bisect
import datetime as dt
import heapq
from collections.abc import Iterable
from dataclasses import dataclass

from socialcredit.core.engine import Engine
from socialcredit.core.engine.decide import SubjectState
from socialcredit.core.engine.lists import Entry
from socialcredit.core.engine.measures import AppliedMeasure
from socialcredit.core.facts import MemoryFacts
from socialcredit.sim.boundaries import next_change, rating_windows, rulebook_dates

EntryKey = tuple[str, str]  # (list, record)
# (memorandum, measure, trigger, the trigger's records, via org)
MeasureKey = tuple[str, str, str, tuple[str, ...], str]


def measure_key(applied: AppliedMeasure) -> MeasureKey:
    """The measure's identity, with the ids of the records its trigger rests on: the entry's
    record, or every record that moved the grade (none for a grade taken by contagion from
    another organisation, whose records are not the subject's)."""
    trigger = applied.trigger
    records: tuple[str, ...]
    if isinstance(trigger, Entry):
        source, records = trigger.list_id, (trigger.record.id,)
    else:
        source = f"{trigger.rating_id}:{trigger.grade}"
        own = () if trigger.contagion_from else trigger.records
        records = tuple(sorted({r.id for r in own}))
    via = applied.via.org if applied.via else ""
    return (applied.memorandum.memorandum_id, applied.measure.id, source, records, via)


@dataclass(frozen=True)
class Standing:
    """A subject's standing as the engine gave it on ``state.as_of``."""

    state: SubjectState
    entries: frozenset[EntryKey]
    measures: dict[MeasureKey, str]  # key -> domain
    person: bool

    @classmethod
    def of(cls, state: SubjectState, facts: MemoryFacts) -> Standing:
        entries = frozenset((e.list_id, e.record.id) for e in state.active_entries)
        measures = {measure_key(m): m.measure.domain for m in state.measures}
        return cls(state, entries, measures, facts.subject(state.subject).kind == "person")

    @property
    def empty(self) -> bool:
        return not self.entries and not self.measures


@dataclass(frozen=True)
class Change:
    subject: str
    before: Standing | None
    after: Standing


class Tracker:
    """The standing of every subject that has one, kept current day by day."""

    def __init__(self, engine: Engine, facts: MemoryFacts) -> None:
        self.engine, self.facts = engine, facts
        self.standings: dict[str, Standing] = {}
        self._checks: list[tuple[dt.date, str]] = []
        self._windows = rating_windows(engine.book)
        self._book_dates = rulebook_dates(engine.book)
        ratings = engine.book.ratings.values()
        self._contagion = any(rule.version.contagion for rules in ratings for rule in rules)
        self.evaluations = 0
        self.buyers: list[str] = []  # persons under some measure, sorted

    def _sort_buyer(self, subject: str, before: Standing | None, after: Standing) -> None:
        was = before is not None and before.person and bool(before.measures)
        now = after.person and bool(after.measures)
        if was and not now:
            self.buyers.pop(bisect.bisect_left(self.buyers, subject))
        elif now and not was:
            bisect.insort(self.buyers, subject)

    def update(self, day: dt.date, changed: Iterable[str]) -> list[Change]:
        """Re-evaluate whoever may have changed on ``day``; return the changes."""
        due = set(changed)
        while self._checks and self._checks[0][0] <= day:
            due.add(heapq.heappop(self._checks)[1])
        if day in self._book_dates:
            due |= set(self.facts.subjects)
        officers = {r.person for org in due for r in self.facts.officers_of(org)}
        if self._contagion:  # a grade can spread to the other organisations of an officer
            others = {r.org for person in officers for r in self.facts.roles_of(person)}
            officers |= {r.person for org in others for r in self.facts.officers_of(org)}
            due |= others
        due |= officers
        return [c for s in sorted(due) if (c := self._evaluate(s, day)) is not None]

    def _evaluate(self, subject: str, day: dt.date) -> Change | None:
        self.evaluations += 1
        state = self.engine.state(self.facts, subject, day)
        after = Standing.of(state, self.facts)
        records = list(self.facts.records_of(subject))
        for relation in self.facts.roles_of(subject):
            records += self.facts.records_of(relation.org)
        check = next_change(state, records, self._windows, day)
        if check is not None:
            heapq.heappush(self._checks, (check, subject))
        before = self.standings.get(subject)
        self._sort_buyer(subject, before, after)
        if after.empty:
            self.standings.pop(subject, None)
        else:
            self.standings[subject] = after
        if before is None and after.empty:
            return None
        return Change(subject, before, after)


def full_standings(engine: Engine, facts: MemoryFacts, day: dt.date) -> dict[str, Standing]:
    """Every subject's standing on ``day``, each asked of the engine afresh."""
    found = {}
    for subject in sorted(facts.subjects):
        standing = Standing.of(engine.state(facts, subject, day), facts)
        if not standing.empty:
            found[subject] = standing
    return found
