"""One simulation run: every variant lives through the same days, seed and conduct."""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from socialcredit.core.engine import Engine
from socialcredit.sim.conduct import Conduct, Journal
from socialcredit.sim.metrics import Metrics, Stocks, recount
from socialcredit.sim.nation import Nation, stream
from socialcredit.sim.rates import Rates
from socialcredit.sim.records import ENFORCEMENT, PENALTY
from socialcredit.sim.tracker import Tracker
from socialcredit.sim.travel import PURCHASE_COLUMNS, purchases
from socialcredit.sim.whatif import BASELINE, Variant, variant_book

DEFAULT_PACKS = (
    "cn-judgment-defaulters",
    "cn-consumption-restrictions",
    "cn-joint-sanctions",
    "cn-credit-repair",
    "cn-enterprise-credit",
)
Observer = Callable[[dt.date, Tracker, Metrics], None]


@dataclass(frozen=True)
class SimConfig:
    """What to simulate: packs, nation size, period, seed, rates and what-if variants."""

    persons: int
    orgs: int
    start: dt.date
    end: dt.date
    seed: int
    rates: Rates
    packs: tuple[str, ...] = DEFAULT_PACKS
    variants: tuple[Variant, ...] = ()
    packs_root: Path | None = None
    registered_until: dt.date | None = None  # organisations register up to here [end]
    warm_up_days: int = 0  # lived before start, not reported: the lists fill up

    @property
    def days(self) -> int:
        """Days lived, warm-up included."""
        return (self.end - self.start).days + 1 + self.warm_up_days

    @property
    def first(self) -> dt.date:
        return self.start - dt.timedelta(days=self.warm_up_days)

    def all_variants(self) -> list[Variant]:
        return [Variant(BASELINE), *self.variants]


@dataclass
class VariantResult:
    """The time series and totals of one variant."""

    variant: Variant
    rates: Rates
    columns: list[str]
    rows: list[dict[str, object]]
    stocks: Stocks
    journal: Journal
    evaluations: int
    seconds: float
    records: int = 0
    subjects: int = 0
    still_listed: dict[str, int] = field(default_factory=dict)
    collateral_by_role: dict[str, int] = field(default_factory=dict)
    recounted: dict[str, int] = field(default_factory=dict)  # entries in force at the end


def run_simulation(
    config: SimConfig, progress: Callable[[str, int], None] | None = None
) -> list[VariantResult]:
    """Run the baseline and every variant; ``progress(variant, days)`` after each day."""
    results = []
    for variant in config.all_variants():
        step = (lambda days, name=variant.name: progress(name, days)) if progress else None
        results.append(run_variant(config, variant, step))
    return results


def run_variant(
    config: SimConfig,
    variant: Variant,
    progress: Callable[[int], None] | None = None,
    observer: Observer | None = None,
) -> VariantResult:
    """Live the period day by day under the variant's rules and rates."""
    began = time.perf_counter()
    rates = config.rates.with_values(variant.rates)
    engine = Engine(variant_book(config.packs, variant, config.packs_root))
    registered_until = config.registered_until or config.end
    nation = Nation(config.persons, config.orgs, config.seed, config.first, registered_until)
    conduct = Conduct(nation, rates, config.seed)
    tracker = Tracker(engine, nation.facts)
    metrics = Metrics(engine.book, conduct.journal)
    travel = (stream(config.seed, "flights"), stream(config.seed, "rail"))
    rows = []
    day = config.first
    while day <= config.end:
        if day == config.start:  # report the period only, from the stock it opens with
            metrics.stocks.open_period(recount(tracker.standings.values()))
        performed = dict(conduct.journal.performances)
        changes = tracker.update(day, conduct.day(day))
        row = metrics.day(day, changes)
        row["case_performances"] = _new(conduct.journal, performed, ENFORCEMENT)
        row["penalty_performances"] = _new(conduct.journal, performed, PENALTY)
        bought = purchases(
            engine,
            tracker,
            travel,
            rates.flight_attempt_rate,
            rates.rail_attempt_rate,
        )
        row.update(bought.as_row())
        if day >= config.start:
            rows.append(row)
        if observer is not None:
            observer(day, tracker, metrics)
        if progress is not None:
            progress(1)
        day += dt.timedelta(days=1)
    still = _still_listed(tracker, nation, config.end, set(conduct.journal.performed_on))
    reached = _collateral_by_role(tracker)
    columns = [*metrics.columns(), "case_performances", "penalty_performances", *PURCHASE_COLUMNS]
    return VariantResult(
        variant,
        rates,
        columns,
        rows,
        metrics.stocks,
        conduct.journal,
        tracker.evaluations,
        time.perf_counter() - began,
        records=sum(len(r) for r in nation.facts.records.values()),
        subjects=len(nation.facts.subjects),
        still_listed=still,
        collateral_by_role=reached,
        recounted=dict(sorted(recount(tracker.standings.values()).items())),
    )


def _new(journal: Journal, before: dict[str, int], category: str) -> int:
    return journal.performances[category] - before.get(category, 0)


def _still_listed(
    tracker: Tracker, nation: Nation, day: dt.date, performed: set[str]
) -> dict[str, int]:
    """Entries in force at the end whose record was performed, or corrected (the packs do
    not remove every kind of entry on a correction)."""
    keys = [(s, rid) for s in tracker.standings.values() for _, rid in s.entries]
    corrected = sum(1 for _, rid in keys if nation.record(rid).status_on(day) == "corrected")
    return {"performed": sum(1 for _, rid in keys if rid in performed), "corrected": corrected}


def _collateral_by_role(tracker: Tracker) -> dict[str, int]:
    """Persons under a measure through an organisation at the end, by their role in it."""
    roles: Counter[str] = Counter()
    for standing in tracker.standings.values():
        held = {m.via.role for m in standing.state.measures if m.via is not None}
        roles.update(held)
    return dict(sorted(roles.items()))
