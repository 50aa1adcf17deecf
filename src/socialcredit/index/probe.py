"""Watching the engine: on which later day could its answer for this subject change?

``Probe`` is the date the engine is asked about. It is a ``datetime.date`` that notes every
ordering comparison the engine (and the rules it evaluates) makes with it, as the first day on
which that comparison would come out the other way. The engine is deterministic: if no
comparison with the date flips between day D and day E, it takes the same path and gives the
same answer on every day of [D, E). So the next change point after D is the least flip day
noted while answering for D, together with the change dates ``asof`` lists for the uses of the
date that are not comparisons (rating windows, birthdays, parameter and rule-version dates).

``TracingFacts`` is the same ``MemoryFacts`` (it shares its dictionaries) and notes whose
records and identities the engine read, so that those subjects' windows and birthdays count.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from socialcredit.core.facts import MemoryFacts, Record, Subject


class Probe(dt.date):
    """A date that notes, for each ordering comparison made with it, the day it would flip.

    A subclass's reflected method is tried first, so ``x < probe`` reaches ``__gt__`` here.
    Equality is left alone: dictionaries compare keys with ``==`` (the parameter cache does),
    and ``asof.date_uses`` refuses rules that test the date for equality."""

    flips: list[int]

    @classmethod
    def on(cls, day: dt.date) -> Probe:
        probe = cls(day.year, day.month, day.day)
        probe.flips = []
        return probe

    def _note(self, other: Any, offset: int) -> None:
        if isinstance(other, dt.date) and not isinstance(other, Probe | dt.datetime):
            self.flips.append(other.toordinal() + offset)

    def __lt__(self, other: Any) -> bool:  # day < X flips on X
        self._note(other, 0)
        return dt.date.__lt__(self, other)

    def __le__(self, other: Any) -> bool:  # day <= X flips on X + 1
        self._note(other, 1)
        return dt.date.__le__(self, other)

    def __gt__(self, other: Any) -> bool:  # day > X flips on X + 1
        self._note(other, 1)
        return dt.date.__gt__(self, other)

    def __ge__(self, other: Any) -> bool:  # day >= X flips on X
        self._note(other, 0)
        return dt.date.__ge__(self, other)

    __hash__ = dt.date.__hash__


class TracingFacts(MemoryFacts):
    """``facts`` seen through a recorder of the subjects whose records or identity are read."""

    def __init__(self, facts: MemoryFacts) -> None:
        super().__init__(facts.subjects, facts.records, facts.relations, facts.officers)
        self.touched: set[str] = set()

    def subject(self, subject_id: str) -> Subject:
        self.touched.add(subject_id)
        return super().subject(subject_id)

    def records_of(self, subject_id: str) -> list[Record]:
        self.touched.add(subject_id)
        return super().records_of(subject_id)
