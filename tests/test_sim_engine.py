"""The simulator asks the real engine, and its incremental re-evaluation (only subjects whose
facts changed or whose standing reaches a boundary) equals asking about everyone every day.
Conservation: listed at the start + entries in - entries out = entries counted afresh, list by
list, at every step."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter

import pytest

from socialcredit.sim.metrics import Metrics, Stocks
from socialcredit.sim.rates import load_rates
from socialcredit.sim.run import SimConfig, run_variant
from socialcredit.sim.summary import variant_summary
from socialcredit.sim.tracker import Tracker, full_standings
from socialcredit.sim.whatif import BASELINE, Variant

# Busy rates on a small nation, so that every kind of event happens within months.
BUSY = {
    "person_case_rate": 0.05,
    "org_case_rate": 0.2,
    "penalty_org_rate": 0.6,
    "record_error_rate": 0.1,
    "performance_days_median": 40,
    "revocation_days_max": 120,
    "early_deletion_days": 10,
    "flight_attempt_rate": 20,
    "rail_attempt_rate": 20,
}


def busy_config(start: dt.date, days: int, **rates: float) -> SimConfig:
    end = start + dt.timedelta(days=days - 1)
    return SimConfig(1_500, 300, start, end, 11, load_rates().with_values({**BUSY, **rates}))


class FullCheck:
    """An observer that compares the tracker with a full evaluation every day."""

    def __init__(self) -> None:
        self.days = 0
        self.compared = 0

    def __call__(self, day: dt.date, tracker: Tracker, metrics: Metrics) -> None:
        full = full_standings(tracker.engine, tracker.facts, day)
        incremental = {s: (st.entries, set(st.measures)) for s, st in tracker.standings.items()}
        assert incremental == {s: (st.entries, set(st.measures)) for s, st in full.items()}, day
        listed = Counter(entry[0] for st in full.values() for entry in st.entries)
        assert metrics.stocks.conservation_holds(listed), day
        self.days += 1
        self.compared += len(full)


@pytest.mark.parametrize(
    ("start", "days"),
    [
        (dt.date(2015, 6, 1), 90),  # listed debtors are restricted from 22 July 2015
        (dt.date(2017, 4, 1), 120),  # the 2017 rules take over on 1 May 2017
        (dt.date(2019, 4, 1), 150),  # publication of penalties from 14 May 2019
        (dt.date(2026, 1, 1), 150),  # the 2026 credit repair measures, 1 April 2026
    ],
)
def test_incremental_equals_full_evaluation_every_day(start: dt.date, days: int) -> None:
    check = FullCheck()
    result = run_variant(busy_config(start, days), Variant(BASELINE), observer=check)
    assert check.days == days
    assert check.compared > 0
    # the run was busy: entries came and went, measures reached officers, records erred
    assert sum(result.stocks.left.values()) > 0
    assert result.stocks.collateral or any(int(r["collateral_persons"]) for r in result.rows)
    assert result.journal.wrongful
    # and the incremental run asked the engine far less often than the full one
    assert result.evaluations < check.compared


def test_expiry_of_fixed_period_listings_is_found_without_new_facts() -> None:
    """Two-year listings end by themselves: the boundary, not a new record, triggers it."""
    check = FullCheck()
    config = busy_config(dt.date(2017, 6, 1), 800, person_case_rate=0.01, org_case_rate=0.05)
    config = SimConfig(
        400, 60, config.start, config.end, 5, config.rates.with_values({"performed_share": 0.0})
    )
    result = run_variant(config, Variant(BASELINE), observer=check)
    assert result.stocks.left["dishonest-judgment-debtors"] > 0
    assert result.stocks.conservation_holds(result.recounted)
    assert (
        result.recounted["dishonest-judgment-debtors"]
        == result.stocks.listed["dishonest-judgment-debtors"]
    )


def test_conservation_is_checked_against_a_recount_not_the_running_stock() -> None:
    """The running stock moves with the flows, so in = out + stock always holds of it; only
    a recount from the standings can catch a lost or doubled change."""
    stocks = Stocks(listed=Counter(a=3), entered=Counter(a=5), left=Counter(a=2))
    assert stocks.conservation_holds({"a": 3})
    assert not stocks.conservation_holds({"a": 2})  # a change the flows never saw
    assert not stocks.conservation_holds({"a": 3, "b": 1})  # a list the flows never saw
    stocks.open_period({"a": 3})  # a warm-up left three entries
    assert stocks.opening == Counter(a=3) and not stocks.entered and not stocks.left
    stocks.entered["a"], stocks.left["a"], stocks.listed["a"] = 4, 1, 6
    assert stocks.conservation_holds({"a": 6})
    assert not stocks.conservation_holds({"a": 3})  # in = out + listed at end, not enough


def test_warm_up_days_are_lived_but_not_reported() -> None:
    start = dt.date(2019, 1, 1)
    warmed = dataclasses.replace(busy_config(start, 60), warm_up_days=200)
    plain = busy_config(warmed.first, 260)
    rows = run_variant(warmed, Variant(BASELINE)).rows
    assert len(rows) == 60 and rows[0]["day"] == start.isoformat()
    assert int(rows[0]["listed:dishonest-judgment-debtors"]) > 0  # the lists filled up
    assert rows == run_variant(plain, Variant(BASELINE)).rows[200:]


def test_warm_up_opening_stock_plus_flows_gives_the_end() -> None:
    warmed = dataclasses.replace(busy_config(dt.date(2019, 1, 1), 60), warm_up_days=200)
    result = run_variant(warmed, Variant(BASELINE))
    summary = variant_summary(result)
    start, end = summary["listed_at_start"], summary["listed_at_end"]
    flows_in, flows_out = summary["entries_in"], summary["entries_out"]
    first = {k: int(str(v)) for k, v in result.rows[0].items() if k != "day"}
    for list_id in start:  # the opening stock is the first day's stock before its flows
        assert (
            start[list_id]
            == first[f"listed:{list_id}"] - first[f"in:{list_id}"] + first[f"out:{list_id}"]
        )
    assert start["dishonest-judgment-debtors"] > 0
    for list_id in start:
        assert start[list_id] + flows_in[list_id] - flows_out[list_id] == end[list_id], list_id
    assert end == summary["listed_at_end_recounted"]
    assert summary["conservation_holds"]
