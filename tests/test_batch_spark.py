"""The same plan on Spark: scenario worlds and a few random nations give the reference
engine's entries, ratings, measures and decisions.

Runs whenever PySpark is installed and ``java`` is on PATH (CI installs openjdk-17);
``SOCIALCREDIT_TEST_SPARK=0`` skips it. One Spark session for the whole module (``local[1]``,
one shuffle partition, no UI). Spark runs every table of the plan as a job of its own: on
this project's shared 2-core machines that is 20-30 seconds for a one-date scenario and
minutes for a rating scenario with a long ``after_band`` chain over several dates (cn-tax-credit
39 took 2.5 minutes), so the file runs a deterministic subset rather than every scenario:
``SAMPLE`` (lists with removals and both rule versions, a count of subjects, ratings with
direct grades and caps, the ``after_band`` chain's tables, contagion by ``from_roles``/
``to_roles`` and by ``started_after_grade``, a debarment ended early) and ``RANDOM_NATIONS``
random nations of ``test_batch_nations`` (derandomized). DuckDB runs every scenario
(``test_batch_scenarios``) and many more random nations (``test_batch_nations``).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings

from socialcredit.batch.compare import canonical, decisions
from socialcredit.core.scenarios import Scenario, ScenarioError, build_facts, read_scenario
from socialcredit.services.labelling.run import label_facts
from socialcredit.services.packs.rulebook import load_book
from tests.test_batch_measures import assert_same, python_rows, sql_rows
from tests.test_batch_nations import SETTINGS, book_of, nations
from tests.test_batch_scenarios import PACKS, asked, dates_of

pytest.importorskip("pyspark")
if os.environ.get("SOCIALCREDIT_TEST_SPARK") == "0":
    pytest.skip("SOCIALCREDIT_TEST_SPARK=0: Spark not run", allow_module_level=True)
if shutil.which("java") is None:
    pytest.skip("Spark needs Java 17 (.ci/run installs it)", allow_module_level=True)

from socialcredit.batch.spark import SparkBackend, session

MASTER = "local[1]"
SAMPLE = [
    "cn-judgment-defaulters/scenarios/01-evades-listed-two-years.yaml",
    "cn-judgment-defaulters/scenarios/31-minor-listed-under-2013-rules-not-under-2017-rules.yaml",
    "cn-tax-credit/scenarios/01-score-of-90-is-a-with-three-month-invoices.yaml",
    "cn-tax-credit/scenarios/16-no-contagion-through-a-shared-legal-representative-alone.yaml",
    "cn-tax-credit/scenarios/41-2025-contagion-only-to-firms-run-after-the-d.yaml",
    "us-far-9-4-exclusions/scenarios/13-debarment-terminated-early-on-reconsideration.yaml",
]
RANDOM_NATIONS = 2


@pytest.fixture(scope="module", autouse=True)
def spark() -> Any:
    """The module's one session: one core, one shuffle partition, no UI."""
    started = session(MASTER)
    started.conf.set("spark.sql.shuffle.partitions", "1")
    return started


def compared(book: Any, facts: Any, day: Any, pairs: list[tuple[str, str]]) -> tuple[Any, Any]:
    """(reference, spark): canonical entries, ratings and measures, and decisions."""
    python = label_facts(book, facts, day)
    output = SparkBackend(book, MASTER).load_facts(facts).run(day)
    spark = (output.entries, output.ratings)
    expected = {**canonical(book, facts, python, day), "subjects": len(facts.records)}
    got = {**canonical(book, facts, spark, day), "subjects": output.subjects}
    expected["decisions"] = decisions(book, facts, python, day, pairs)
    got["decisions"] = decisions(book, facts, spark, day, pairs)
    return expected, got


@pytest.mark.slow
@pytest.mark.parametrize("name", SAMPLE)
def test_spark_agrees_with_the_reference_engine(name: str) -> None:
    scenario = read_scenario(PACKS / name)
    book = load_book(scenario.packs, PACKS)
    facts = build_facts(book, scenario)
    for day in dates_of(scenario):
        expected, got = compared(book, facts, day, asked(scenario))
        assert got == expected, f"on {day}"


@pytest.mark.slow
@settings(SETTINGS, max_examples=RANDOM_NATIONS)
@given(nations("judgment"))
def test_spark_agrees_on_random_nations(nation: Scenario) -> None:
    book = book_of("judgment")
    try:
        facts = build_facts(book, nation)
    except ScenarioError:
        return
    pairs = [(s, a) for s in sorted(facts.records) for a in sorted(book.actions)]
    expected, got = compared(book, facts, nation.as_of, pairs)
    assert got == expected


def test_the_sample_exists() -> None:
    assert all((PACKS / name).is_file() for name in SAMPLE + MEASURE_WORLDS)
    assert Path(__file__).name.startswith("test_batch_")


# Measures compiled to SQL (``test_batch_measures``) on Spark: relations reached by
# ``role_held: at_start`` with ``lasts``, and a rating's grades.
MEASURE_WORLDS = [
    "cn-enterprise-credit/scenarios/25-position-bar-follows-the-person-in-post-on-the-listing-day.yaml",
    "cn-rongcheng-points/scenarios/02-consenting-resident-without-findings-is-a-and-gets-the-incentives.yaml",
]


@pytest.mark.slow
@pytest.mark.parametrize("name", MEASURE_WORLDS)
def test_spark_measures_agree_with_the_reference_engine(name: str) -> None:
    scenario = read_scenario(PACKS / name)
    book = load_book(scenario.packs, PACKS)
    facts = build_facts(book, scenario)
    backend = SparkBackend(book, MASTER).load_facts(facts)
    expected = python_rows(book, facts, scenario.as_of)
    assert expected, "a world where measures apply"
    assert_same(sql_rows(backend, book, scenario.as_of), expected, name)
