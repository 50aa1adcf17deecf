"""Differential tests on the scenario worlds: every scenario of every pack, labelled by the
reference engine and by the compiled SQL plan on DuckDB, at every date the scenario asks
about, gives the same entries, ratings, measures and decisions."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from socialcredit.batch.compare import canonical, decisions
from socialcredit.batch.duck import DuckDBBackend
from socialcredit.core.scenarios import Scenario, build_facts, read_scenario
from socialcredit.services.labelling.run import label_facts
from socialcredit.services.packs.rulebook import load_book

PACKS = Path(__file__).resolve().parents[1] / "packs"
# Known disagreements, each a strict xfail (it fails the suite the day it passes): rules the
# compiler does not cover yet (ratings' after_band and the contagion keys from_roles, to_roles
# and started_after_grade, added to the packs after the compiler was written), and a run's
# count of labelled subjects that counts subjects without records of the book's categories.
KNOWN = {
    "cn-tax-credit/16-no-contagion-through-a-shared-legal-representative-alone": "contagion roles",
    "cn-tax-credit/39-d-by-score-held-a-second-year-and-no-a-in-the-third-until-2020": "after_band",
    "cn-tax-credit/40-d-by-score-costs-11-points-the-next-year-from-2020": "after_band",
    "cn-tax-credit/41-2025-contagion-only-to-firms-run-after-the-d": "started_after_grade",
    "cn-judgment-defaulters/31-minor-listed-under-2013-rules-not-under-2017-rules": "count",
    "us-far-9-4-exclusions/08-proposed-debarment-excludes-until-the-decision": "count",
}


def _case(file: Path) -> object:
    name = f"{file.parent.parent.name}/{file.stem}"
    if name in KNOWN:
        reason = f"the compiled plan does not follow this yet: {KNOWN[name]} (docs/batch.md)"
        return pytest.param(file, id=name, marks=pytest.mark.xfail(strict=True, reason=reason))
    return pytest.param(file, id=name)


SCENARIOS = [_case(f) for f in sorted(PACKS.glob("*/scenarios/*.yaml"))]


def dates_of(scenario: Scenario) -> list[dt.date]:
    """The scenario's date and every date one of its expectations asks about."""
    days = {scenario.as_of}
    for items in (scenario.data.get("expect") or {}).values():
        days.update(item["as_of"] for item in items or [] if "as_of" in item)
    return sorted(days)


def asked(scenario: Scenario) -> list[tuple[str, str]]:
    found = scenario.data.get("expect", {}).get("decisions") or []
    return sorted({(str(item["subject"]), item["action"]) for item in found})


@pytest.mark.parametrize("file", SCENARIOS)
def test_duckdb_agrees_with_the_reference_engine(file: Path) -> None:
    scenario = read_scenario(file)
    book = load_book(scenario.packs, PACKS)
    facts = build_facts(book, scenario)
    backend = DuckDBBackend(book, threads=1).load_facts(facts)
    for day in dates_of(scenario):
        python = label_facts(book, facts, day)
        output = backend.run(day)
        duckdb = (output.entries, output.ratings)
        expected, got = canonical(book, facts, python, day), canonical(book, facts, duckdb, day)
        for part in ("entries", "ratings", "measures"):
            assert got[part] == expected[part], f"{part} differ on {day}"
        pairs = asked(scenario)
        assert decisions(book, facts, duckdb, day, pairs) == decisions(
            book, facts, python, day, pairs
        )
        assert output.subjects == len(facts.records)
