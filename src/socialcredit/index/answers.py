"""What the decision index answers: one decision, or many at once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from socialcredit.core.engine import Decision
from socialcredit.core.engine.decide import EFFECT_ORDER
from socialcredit.index.sweep import TriggerId, measure_ref


@dataclass(frozen=True, slots=True)
class IndexDecision:
    """An answer: the effect, who answered, the determining measures and their triggers,
    the days over which the index's answer holds, and the full decision when asked for."""

    subject: str
    action: str
    as_of: dt.date
    effect: str
    source: str  # "index" or "engine"
    measures: tuple[str, ...]  # "memorandum/measure" of each determining measure
    triggers: tuple[TriggerId, ...]  # the entry or rating behind each of them
    valid: tuple[dt.date, dt.date] | None  # [from, to) of the index interval; None: engine
    decision: Decision | None = None

    def as_dict(self) -> dict[str, Any]:
        """The engine's decision shape with ``source`` when explained; else the ids."""
        if self.decision is not None:
            return {**self.decision.as_dict(), "source": self.source}
        return {
            "subject": self.subject,
            "action": self.action,
            "as_of": self.as_of.isoformat(),
            "effect": self.effect,
            "source": self.source,
            "determining": [
                {"measure": m, "trigger": {"kind": t[0], "id": t[1], "via": t[2] or None}}
                for m, t in zip(self.measures, self.triggers, strict=True)
            ],
        }


@dataclass(frozen=True)
class BatchAnswer:
    """Answers to many questions: effect codes (index into ``EFFECT_ORDER``) and, for each,
    whether the index answered (False: the engine did, the day not being covered)."""

    effects: npt.NDArray[np.int8]
    from_index: npt.NDArray[np.bool_]

    def names(self) -> list[str]:
        return [EFFECT_ORDER[code] for code in self.effects.tolist()]


def from_engine(decision: Decision, explain: bool) -> IndexDecision:
    """The engine's decision as an answer of the index (a day the index does not cover)."""
    determining = [r for r in decision.reasons if r.determining]
    return IndexDecision(
        decision.subject,
        decision.action,
        decision.as_of,
        decision.effect,
        "engine",
        tuple(f"{r.applied.memorandum.memorandum_id}/{r.applied.measure.id}" for r in determining),
        tuple(measure_ref(r.applied)[3] for r in determining),
        None,
        decision if explain else None,
    )


def ordinals(as_of: dt.date | Sequence[dt.date], count: int) -> npt.NDArray[np.int64]:
    """Day ordinals of one date for all, or of one date each."""
    if isinstance(as_of, dt.date):
        return np.full(count, as_of.toordinal(), dtype=np.int64)
    if len(as_of) != count:
        raise ValueError(f"{len(as_of)} dates for {count} subjects")
    return np.fromiter(map(dt.date.toordinal, as_of), dtype=np.int64, count=count)
