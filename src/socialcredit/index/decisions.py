"""The decision index: "may S do A on D?" answered by a look-up and an interval search.

Built from the engine over a set of facts (see ``sweep``), it holds for every listed subject
the segments of days over which the same measures are in force, in columnar arrays
(``table``). A day outside the covered days [start, end) is answered by the live engine,
and every answer says which answered (``source``). ``update`` re-sweeps the subjects a write
touches into a small overlay, consulted first; ``compact`` folds the overlay into the arrays.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from functools import partial

import numpy as np
import numpy.typing as npt

from socialcredit.core.engine import Decision, Engine
from socialcredit.core.engine.decide import EFFECT_ORDER, SubjectState
from socialcredit.core.errors import UnknownAction
from socialcredit.core.facts import MemoryFacts
from socialcredit.core.pack.model import Rulebook
from socialcredit.index.answers import BatchAnswer, IndexDecision, from_engine, ordinals
from socialcredit.index.build import population, reached, swept
from socialcredit.index.explain import explain as explain_decision
from socialcredit.index.shapes import Shapes
from socialcredit.index.sweep import Sweeper, TriggerId
from socialcredit.index.table import DecisionTable, StoredRow

FactsFor = Callable[[str], MemoryFacts]  # a subject's facts, for explanations and fallbacks
Interval = tuple[dt.date, dt.date, str, tuple[str, ...], tuple[TriggerId, ...]]
TriggersOf = Callable[..., tuple[TriggerId, ...]]
COMPACT_AFTER = 10_000  # subjects in the overlay before it is folded into the arrays


class DecisionIndex:
    """Effective-dated answers of every listed subject over the covered days."""

    def __init__(self, book: Rulebook, table: DecisionTable, shapes: Shapes, facts: FactsFor):
        self.book, self.table, self.shapes = book, table, shapes
        self.engine = Engine(book)
        self._facts_for = facts
        self._overlay: dict[str, StoredRow] = {}
        self._names = [[EFFECT_ORDER[c] for c in row] for row in shapes.effects]
        self._action_index = shapes.action_index

    @classmethod
    def build(
        cls,
        book: Rulebook,
        facts: MemoryFacts,
        start: dt.date,
        end: dt.date,
        facts_for: FactsFor | None = None,
    ) -> DecisionIndex:
        """Sweep every subject of ``facts`` over [start, end). ``facts_for`` gives a
        subject's facts later (explanations, uncovered days); by default ``facts`` itself."""
        sweeper, shapes = Sweeper(book, facts, start, end), Shapes(book)
        rows = [row for row in swept(sweeper, shapes, population(facts)) if row[1][0]]
        table = DecisionTable(start.toordinal(), end.toordinal(), rows)
        return cls(book, table, shapes, facts_for or (lambda _: facts))

    @property
    def start(self) -> dt.date:
        return dt.date.fromordinal(self.table.start)

    @property
    def end(self) -> dt.date:
        return dt.date.fromordinal(self.table.end)

    def covers(self, day: dt.date) -> bool:
        return self.table.start <= day.toordinal() < self.table.end

    def effect(self, subject: str, action: str, as_of: dt.date) -> str:
        """Only the effect: the fastest answer (the engine's when the day is not covered)."""
        code = self._action_index.get(action)
        if code is None:
            raise UnknownAction(action, self.shapes.actions)
        day, table = as_of.toordinal(), self.table
        if not table.start <= day < table.end:
            return self._engine(subject, action, as_of).effect
        if self._overlay and subject in self._overlay:
            return self._names[self._locate(subject, day)[0]][code]
        return self._names[table.shape_on(subject, day)][code]

    def decide(
        self,
        subject: str,
        action: str,
        as_of: dt.date,
        explain: bool = True,
        facts_for: FactsFor | None = None,
    ) -> IndexDecision:
        """The answer with the ids of what determines it, and the engine's full explanation
        (reasons down to the records and legal provisions) when ``explain``. ``facts_for``
        reads the subject's facts for this call (an explanation, an uncovered day) instead
        of the index's own reader; an answer without measures reads none."""
        code = self._action(action)
        day = as_of.toordinal()
        if not self.table.start <= day < self.table.end:
            return from_engine(self._engine(subject, action, as_of, facts_for), explain)
        shape, triggers, (first, last) = self._locate(subject, day)
        items = self.shapes.determining[shape][code]
        decision = None
        if explain:
            decision = self._explain(subject, action, as_of, shape, triggers(), facts_for)
        return IndexDecision(
            subject,
            action,
            as_of,
            self._names[shape][code],
            "index",
            self.shapes.names[shape][code],
            triggers(tuple(item[3] for item in items)),
            (dt.date.fromordinal(first), dt.date.fromordinal(last)),
            decision,
        )

    def _explain(
        self,
        subject: str,
        action: str,
        as_of: dt.date,
        shape: int,
        triggers: tuple[TriggerId, ...],
        facts_for: FactsFor | None,
    ) -> Decision:
        if not self.shapes.determining[shape][self.shapes.action_index[action]]:
            # Nothing governs the action (allow): no reason to give, no fact to read.
            return self.engine.decision_from(SubjectState(subject, as_of, [], [], []), action)
        facts = (facts_for or self._facts_for)(subject)
        named = (self.shapes.shapes[shape], triggers)
        return explain_decision(self.engine, facts, subject, action, as_of, named)

    def decide_many(
        self,
        subjects: Sequence[str],
        actions: str | Sequence[str],
        as_of: dt.date | Sequence[dt.date],
    ) -> BatchAnswer:
        """Many answers at once, without explanations (batch screening): vectorised over the
        arrays; the overlay and uncovered days are answered one by one."""
        count = len(subjects)
        codes = self._codes(actions, count)
        days = ordinals(as_of, count)
        covered = (days >= self.table.start) & (days < self.table.end)
        rows = self.table.rows(subjects)
        shapes = self.table.shapes_at(rows, np.where(covered, days, self.table.start))
        effects = self.shapes.table()[shapes, codes]
        overlay = self._overlay
        fresh = [i for i, s in enumerate(subjects) if s in overlay] if overlay else []
        for i in [i for i in fresh if covered[i]]:
            effects[i] = self.shapes.effects[self._locate(subjects[i], int(days[i]))[0]][codes[i]]
        for i in np.flatnonzero(~covered).tolist():
            action = self.shapes.actions[codes[i]]
            day = dt.date.fromordinal(int(days[i]))
            effect = self._engine(subjects[i], action, day).effect
            effects[i] = EFFECT_ORDER.index(effect)
        return BatchAnswer(effects, covered)

    def intervals(self, subject: str, action: str) -> list[Interval]:
        """The subject's answers for ``action`` over the covered days, as intervals
        (from, to, effect, determining measures, their triggers); equal neighbours merged."""
        code = self._action(action)
        found: list[Interval] = []
        for first, last, shape, triggers in self._segments(subject):
            items = self.shapes.determining[shape][code]
            effect = EFFECT_ORDER[self.shapes.effects[shape][code]]
            measures = tuple(f"{memo}/{measure}" for memo, measure, _, _ in items)
            behind = tuple(triggers[slot] for _, _, _, slot in items)
            start, stop = dt.date.fromordinal(first), dt.date.fromordinal(last)
            if found and found[-1][2:] == (effect, measures, behind):
                start = found.pop()[0]
            found.append((start, stop, effect, measures, behind))
        return found

    def update(
        self,
        subject_ids: Iterable[str],
        facts: MemoryFacts,
        facts_for: FactsFor | None = None,
        reach: bool = True,
    ) -> set[str]:
        """Re-sweep the subjects a write touched, and (``reach``) those reached from them
        through relations, against ``facts``, which must hold all their facts after the
        write. Returns the subjects re-swept. Explanations and uncovered days then read
        ``facts_for`` (by default ``facts``)."""
        sweeper = Sweeper(self.book, facts, self.start, self.end)
        subjects = reached(self.book, facts, subject_ids) if reach else set(subject_ids)
        rows = list(swept(sweeper, self.shapes, sorted(subjects)))
        # New shapes are named before any row that uses them is seen by a reader.
        self._names = [[EFFECT_ORDER[c] for c in row] for row in self.shapes.effects]
        self._overlay.update(rows)
        self._facts_for = facts_for or (lambda _: facts)
        if len(self._overlay) > COMPACT_AFTER:
            self.compact()
        return subjects

    def compact(self) -> None:
        """Fold the overlay into the columnar arrays."""
        overlay = self._overlay
        rows = [(s, segs) for s, segs in self.table.stored() if s not in overlay]
        rows += [(s, row) for s, row in overlay.items() if row[0]]
        self.table = DecisionTable(self.table.start, self.table.end, rows)
        self._overlay = {}

    def memory(self) -> dict[str, float]:
        """Listed subjects and the bytes of the arrays: in all, the fixed part (the hash
        directory, whatever the size) and per listed subject (the rest, divided)."""
        listed = len(self.table) + sum(1 for row in self._overlay.values() if row[0])
        size, fixed = self.table.nbytes, self.table.directory.nbytes
        per_listed = (size - fixed) / max(listed, 1)
        return {
            "listed": listed,
            "bytes": size,
            "fixed_bytes": fixed,
            "bytes_per_listed": per_listed,
        }

    def _action(self, action: str) -> int:
        code = self.shapes.action_index.get(action)
        if code is None:
            raise UnknownAction(action, self.shapes.actions)
        return code

    def _codes(self, actions: str | Sequence[str], count: int) -> npt.NDArray[np.intp]:
        if isinstance(actions, str):
            return np.full(count, self._action(actions), dtype=np.intp)
        if len(actions) != count:
            raise ValueError(f"{len(actions)} actions for {count} subjects")
        try:
            return np.fromiter(
                map(self.shapes.action_index.__getitem__, actions), dtype=np.intp, count=count
            )
        except KeyError as error:
            raise UnknownAction(str(error.args[0]), self.shapes.actions) from None

    def _engine(
        self, subject: str, action: str, as_of: dt.date, facts_for: FactsFor | None = None
    ) -> Decision:
        facts = (facts_for or self._facts_for)(subject)
        return self.engine.decide(facts, subject, action, as_of)

    def _locate(self, subject: str, day: int) -> tuple[int, TriggersOf, tuple[int, int]]:
        """The shape in force on ``day`` (covered), a reader of the triggers its slots point
        to (all of them, or those of the slots given), and the days [from, to) of its segment."""
        if subject not in self._overlay:
            table = self.table
            row = table.row(subject)
            if row < 0:
                return 0, _pick(()), (table.start, table.end)
            segment = table.segment(row, day)
            shape = table.shape_at(segment)
            return shape, partial(table.triggers, row), table.interval(row, segment)
        for first, last, shape, triggers in self._segments(subject):
            if first <= day < last:
                return shape, _pick(triggers), (first, last)
        raise AssertionError(f"no segment of {subject} holds day {day}")  # pragma: no cover

    def _segments(self, subject: str) -> list[tuple[int, int, int, tuple[TriggerId, ...]]]:
        """The subject's segments as (from, to, shape, triggers), covering every day."""
        stored = self._overlay.get(subject)
        if stored is None:
            row = self.table.row(subject)
            stored = self.table.stored_row(row) if row >= 0 else ([], ())
        segments, triggers = stored
        if not segments:
            return [(self.table.start, self.table.end, 0, ())]
        ends = [first for first, _ in segments[1:]] + [self.table.end]
        return [(f, e, shape, triggers) for (f, shape), e in zip(segments, ends, strict=True)]


def _pick(triggers: tuple[TriggerId, ...]) -> TriggersOf:
    def read(slots: Iterable[int] | None = None) -> tuple[TriggerId, ...]:
        return triggers if slots is None else tuple(triggers[slot] for slot in slots)

    return read
