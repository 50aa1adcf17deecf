"""Explanations built from the ids the index holds, only when one is asked for.

The index stores which measures apply and the ids of the entries and ratings behind them.
To explain, the named triggers are re-derived on the day asked (an entry from its one
record, a rating with its contagion), the measures they give are kept where the index names
them, and the engine's own ``decision_from`` orders and explains them: the result is the
``Decision`` the engine would give, reasons, legal bases and ``until`` included.
"""

from __future__ import annotations

import datetime as dt

from socialcredit.core.engine import Decision, Engine
from socialcredit.core.engine.decide import SubjectState
from socialcredit.core.engine.lists import entries_for
from socialcredit.core.engine.measures import Trigger, measures_on, started_by
from socialcredit.core.facts import MemoryFacts, Relation
from socialcredit.index.shapes import Shape
from socialcredit.index.sweep import MeasureRef, TriggerId, measure_ref


def explain(
    engine: Engine,
    facts: MemoryFacts,
    subject_id: str,
    action: str,
    day: dt.date,
    named: tuple[Shape, tuple[TriggerId, ...]],
) -> Decision:
    """The engine's decision for ``action`` on ``day``, from the segment's shape and triggers."""
    shape, triggers = named
    wanted: set[MeasureRef] = {(m, n, role, triggers[slot]) for m, n, role, slot in shape}
    own = _triggers(engine, facts, subject_id, day, {t[1] for t in triggers if not t[2]})
    related: list[tuple[Relation, list[Trigger]]] = []
    orgs: dict[str, list[Trigger]] = {}
    for relation in facts.roles_of(subject_id):  # in the engine's order
        refs = {t[1] for t in triggers if t[2] == relation.org}
        if refs and started_by(relation, day):  # as the engine: ended roles too
            if relation.org not in orgs:
                orgs[relation.org] = _triggers(engine, facts, relation.org, day, refs)
            related.append((relation, orgs[relation.org]))
    found = measures_on(engine.book, facts.subject(subject_id), day, own, related)
    kept = [m for m in found if measure_ref(m) in wanted]
    state = SubjectState(subject_id, day, [], [], kept)
    return engine.decision_from(state, action)


def _triggers(
    engine: Engine, facts: MemoryFacts, subject_id: str, day: dt.date, refs: set[str]
) -> list[Trigger]:
    """The entries (by record id) and ratings (by rating id) of a subject named in ``refs``."""
    records = [r for r in facts.records_of(subject_id) if r.id in refs]
    found: list[Trigger] = list(entries_for(engine.book, facts.subject(subject_id), records, day))
    if any(rating in refs for rating in engine.book.ratings):
        _, ratings = engine.triggers(facts, subject_id, day)
        found += [r for r in ratings if r.rating_id in refs]
    return found
