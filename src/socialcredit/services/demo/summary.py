"""What the demo reports: list sizes, measures by agency, and three explained decisions."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from socialcredit.core.engine import Decision, Engine
from socialcredit.core.engine.lists import Entry
from socialcredit.core.engine.measures import AppliedMeasure
from socialcredit.core.facts import MemoryFacts
from socialcredit.services.context import Context
from socialcredit.services.records.facts import load_all

EXAMPLE_ACTION = "buy_flight_ticket"


@dataclass
class DemoStats:
    lists: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    by_agency: dict[str, tuple[int, int]] = field(default_factory=dict)
    collateral_persons: int = 0
    examples: list[tuple[str, Decision, list[str]]] = field(default_factory=list)


def summarise(engine: Engine, facts: MemoryFacts, day: dt.date) -> DemoStats:
    stats = DemoStats()
    measures: Counter[str] = Counter()
    reached: dict[str, set[str]] = defaultdict(set)
    subjects = set(facts.records) | set(facts.relations)
    history: list[str] = []
    deny: str | None = None
    allow: str | None = None
    collateral: str | None = None
    for subject_id in sorted(subjects):
        state = engine.state(facts, subject_id, day)
        kind = facts.subject(subject_id).kind
        for entry in state.active_entries:
            stats.lists[entry.list_id]["total"] += 1
            stats.lists[entry.list_id][kind] += 1
        for applied in state.measures:
            measures[applied.measure.agency] += 1
            reached[applied.measure.agency].add(subject_id)
        via = {m.via.org for m in state.measures if m.via is not None}
        if via and not state.active_entries:
            stats.collateral_persons += 1
            if _governs_example(state.measures):
                collateral = collateral or subject_id
        if kind == "person" and state.active_entries and not via:
            deny = deny or subject_id
        ended = [e for e in state.entries if not e.active_on(day) and e.starts <= day]
        if kind == "person" and ended and not state.measures:
            allow = allow or subject_id
            history = history or [_ended(e) for e in ended]
    stats.by_agency = {a: (n, len(reached[a])) for a, n in measures.items()}
    for title, example in (
        ("A listed debtor is denied", deny),
        ("A debtor whose listing ended is allowed again", allow),
        ("A company's legal representative is reached through the company", collateral),
    ):
        if example:
            decision = engine.decide(facts, example, EXAMPLE_ACTION, day)
            stats.examples.append((title, decision, history if example == allow else []))
    return stats


def _governs_example(measures: list[AppliedMeasure]) -> bool:
    """Does a measure that reaches the person through an organisation govern the example's
    action (so that the example shows the reach)?"""
    return any(m.via is not None and EXAMPLE_ACTION in m.measure.actions for m in measures)


def _ended(entry: Entry) -> str:
    why = f"removed: {entry.removed_by}" if entry.removed_by else "its period expired"
    return f"was on {entry.list_id} from {entry.starts} until {entry.ends} ({why})"


def summarise_store(ctx: Context, day: dt.date) -> DemoStats:
    """``summarise`` over every subject in the store."""
    with ctx.engine.connect() as db:
        facts = load_all(db, ctx.book)
    return summarise(Engine(ctx.book), facts, day)
