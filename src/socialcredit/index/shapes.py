"""Shapes: the structure of a set of measures in force, shared by every subject that has it.

A segment's measures split into triggers (the entries and ratings behind them, the
subject's own, kept once per subject) and a shape: which measure of which memorandum applies,
to which role, through which of the subject's triggers. Thousands of debtors on the same
list share one shape; each shape knows, for every action, the effect and the determining
measures.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from socialcredit.core.engine.decide import EFFECT_ORDER
from socialcredit.core.pack.model import Rulebook
from socialcredit.core.pack.schema import Measure
from socialcredit.index.sweep import MeasureRef, TriggerId

# (memorandum id, measure id, target role, trigger slot in the segment)
ShapeItem = tuple[str, str, str, int]
Shape = tuple[ShapeItem, ...]
ALLOW = EFFECT_ORDER.index("allow")


def split(measures: tuple[MeasureRef, ...], slots: dict[TriggerId, int]) -> Shape:
    """A segment's measures as a shape whose slots point into the subject's triggers."""
    return tuple((memo, measure, role, slots[t]) for memo, measure, role, t in measures)


class Shapes:
    """Every distinct shape once, numbered from 0 (no measure in force: everything allowed)."""

    def __init__(self, book: Rulebook) -> None:
        self.actions = sorted(book.actions)
        self.action_index = {action: i for i, action in enumerate(self.actions)}
        self._measures: dict[tuple[str, str], Measure] = {
            (memo.memorandum_id, m.id): m for memo in book.memoranda for m in memo.spec.measures
        }
        self.shapes: list[Shape] = []
        self.effects: list[list[int]] = []  # shape -> action -> index in EFFECT_ORDER
        self.determining: list[list[tuple[ShapeItem, ...]]] = []  # shape -> action -> items
        self.names: list[list[tuple[str, ...]]] = []  # "memorandum/measure" of those items
        self._numbers: dict[Shape, int] = {}
        self._table: npt.NDArray[np.int8] | None = None
        self.intern(())

    def intern(self, shape: Shape) -> int:
        """The number of ``shape``, added if new."""
        number = self._numbers.get(shape)
        if number is not None:
            return number
        number = len(self.shapes)
        self._numbers[shape] = number
        self.shapes.append(shape)
        effects, determining = [], []
        for action in self.actions:
            effect, items = self._answer(shape, action)
            effects.append(effect)
            determining.append(items)
        self.effects.append(effects)
        self.determining.append(determining)
        self.names.append([tuple(f"{i[0]}/{i[1]}" for i in items) for items in determining])
        self._table = None
        return number

    def _answer(self, shape: Shape, action: str) -> tuple[int, tuple[ShapeItem, ...]]:
        """The effect (the most restrictive) and the items that determine it, in the engine's
        order (memorandum, then measure)."""
        relevant = [i for i in shape if action in self._measures[(i[0], i[1])].actions]
        if not relevant:
            return ALLOW, ()
        ranks = {i: EFFECT_ORDER.index(self._measures[(i[0], i[1])].effect) for i in relevant}
        effect = max(ranks.values())
        winners = sorted((i for i in relevant if ranks[i] == effect), key=lambda i: i[:2])
        return effect, tuple(winners)

    def table(self) -> npt.NDArray[np.int8]:
        """Effects as an array [shape, action], for batch look-ups."""
        if self._table is None:
            self._table = np.array(self.effects, dtype=np.int8).reshape(-1, len(self.actions))
        return self._table
