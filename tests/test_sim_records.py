"""Wrongful records and their correction, and the responses the engine must see."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from socialcredit.sim.metrics import Metrics
from socialcredit.sim.rates import load_rates
from socialcredit.sim.run import SimConfig, VariantResult, run_variant
from socialcredit.sim.tracker import Tracker
from socialcredit.sim.whatif import BASELINE, Variant

BUSY = {"person_case_rate": 0.05, "org_case_rate": 0.2, "penalty_org_rate": 0.5}


class Last:
    tracker: Tracker | None = None

    def __call__(self, day: dt.date, tracker: Tracker, metrics: Metrics) -> None:
        self.tracker = tracker


def _run(**rates: float) -> tuple[VariantResult, Tracker]:
    config = SimConfig(
        1_500,
        300,
        dt.date(2019, 1, 1),
        dt.date(2019, 9, 30),
        8,
        load_rates().with_values({**BUSY, **rates}),
    )
    last = Last()
    result = run_variant(config, Variant(BASELINE), observer=last)
    assert last.tracker is not None
    return result, last.tracker


def test_without_record_errors_no_measure_is_wrongful() -> None:
    result, _ = _run(record_error_rate=0.0)
    assert not result.journal.wrongful
    assert all(int(r["wrongful_measures"]) == 0 for r in result.rows)


def test_wrongful_records_cause_measures_until_the_objection_corrects_them() -> None:
    result, tracker = _run(record_error_rate=0.3, objection_share=1.0, objection_days_max=20)
    assert max(int(r["wrongful_measures"]) for r in result.rows) > 0
    corrected = {
        record.id
        for records in tracker.facts.records.values()
        for record in records
        if record.status_on(dt.date(2019, 9, 30)) == "corrected"
    }
    assert corrected and corrected <= result.journal.wrongful
    remaining = Counter(
        list_id
        for standing in tracker.standings.values()
        for list_id, record in standing.entries
        if record in corrected
    )
    # a correction ends the entry wherever the list's rules read it ...
    book = tracker.engine.book
    reads_correction = {
        list_id
        for list_id, rules in book.lists.items()
        if any("corrected_on" in e.source for rule in rules for _, e in rule.removals)
    }
    assert "dishonest-judgment-debtors" in reads_correction
    assert not set(remaining) & reads_correction
    # ... and nowhere else: the simulator reports those entries, it does not remove them
    assert result.still_listed["corrected"] == sum(remaining.values())


def test_performance_of_an_open_ended_listing_lifts_it_the_same_day() -> None:
    """spc-2017 art. 10: a listing without a period is deleted on performance; the
    fixed-period listings (grounds 2-6) are not, and wait for their end."""
    result, tracker = _run(performance_days_median=20, early_deletion_share=0.0)
    days = result.stocks.lifting_days["dishonest-judgment-debtors"]
    assert days and set(days) == {0}
    performed_fixed = [
        standing
        for standing in tracker.standings.values()
        for list_id, record_id in standing.entries
        if list_id == "dishonest-judgment-debtors" and record_id in result.journal.performed_on
    ]
    assert performed_fixed  # performed, yet still listed: a fixed-period listing
