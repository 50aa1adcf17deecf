"""Canonical forms of what a label run finds, to compare engines: two engines agree when the
canonical entries, ratings and measures of the same facts are equal."""

from __future__ import annotations

import datetime as dt
from typing import Any

from socialcredit.core.engine.lists import Entry
from socialcredit.core.engine.measures import AppliedMeasure, measures_of
from socialcredit.core.engine.ratings import Rating
from socialcredit.core.facts import MemoryFacts
from socialcredit.core.pack.model import Rulebook


def entry_key(entry: Entry) -> tuple[Any, ...]:
    return (
        entry.list_id,
        entry.rule.version.in_force,
        entry.subject,
        entry.record.id,
        entry.starts,
        entry.planned_end,
        entry.removed_on,
        entry.removed_by,
        entry.reason,
    )


def rating_key(rating: Rating) -> tuple[Any, ...]:
    def decided(pair: Any) -> Any:
        return None if pair is None else (pair[0], pair[1].id)

    return (
        rating.rating_id,
        rating.subject,
        rating.score,
        rating.grade,
        decided(rating.direct_by),
        decided(rating.capped_by),
        rating.contagion_from,
        tuple((c.id, c.record.id, c.points) for c in rating.contributions),
        tuple((h.id, h.on, h.score, h.points) for h in rating.after_band),
    )


def measure_key(applied: AppliedMeasure) -> tuple[Any, ...]:
    trigger = applied.trigger
    source = (
        (trigger.list_id, trigger.record.id)
        if isinstance(trigger, Entry)
        else (trigger.rating_id, trigger.grade)
    )
    via = None if applied.via is None else (applied.via.org, applied.via.role)
    return (
        applied.memorandum.memorandum_id,
        applied.measure.id,
        applied.subject,
        source,
        via,
        applied.starts,
        applied.ends,
    )


def canonical(
    book: Rulebook, facts: MemoryFacts, found: tuple[list[Entry], list[Rating]], day: dt.date
) -> dict[str, list[tuple[Any, ...]]]:
    """Entries, ratings and measures of a run, each sorted, for comparison."""
    entries, ratings = found
    measures = measures_of(book, facts, found, day)
    return {
        "entries": sorted(map(entry_key, entries), key=repr),
        "ratings": sorted(map(rating_key, ratings), key=repr),
        "measures": sorted(map(measure_key, measures), key=repr),
    }


def decisions(
    book: Rulebook,
    facts: MemoryFacts,
    found: tuple[list[Entry], list[Rating]],
    day: dt.date,
    asked: list[tuple[str, str]],
) -> dict[tuple[str, str], str]:
    """The effect for each (subject, action) asked: the most restrictive measure in force."""
    order = ("allow", "reward", "scrutinise", "restrict", "deny")
    measures = measures_of(book, facts, found, day)
    effects = {}
    for subject, action in asked:
        found_effects = [
            m.measure.effect
            for m in measures
            if m.subject == subject and action in m.measure.actions
        ]
        effects[(subject, action)] = max(found_effects, key=order.index, default="allow")
    return effects
