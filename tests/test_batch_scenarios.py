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
SCENARIOS = [
    pytest.param(f, id=f"{f.parent.parent.name}/{f.stem}")
    for f in sorted(PACKS.glob("*/scenarios/*.yaml"))
]


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
