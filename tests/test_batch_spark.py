"""The same plan on Spark (``local[2]``): scenario worlds give the reference engine's entries,
ratings and measures. One Spark session for the whole test session; run only when
SOCIALCREDIT_TEST_SPARK is set, and where PySpark and Java are present."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from socialcredit.batch.compare import canonical
from socialcredit.core.scenarios import build_facts, read_scenario
from socialcredit.services.labelling.run import label_facts
from socialcredit.services.packs.rulebook import load_book
from tests.test_batch_scenarios import PACKS, dates_of

pytest.importorskip("pyspark")
if not os.environ.get("SOCIALCREDIT_TEST_SPARK"):
    pytest.skip(
        "set SOCIALCREDIT_TEST_SPARK=1 to run Spark (starts a JVM)", allow_module_level=True
    )
if shutil.which("java") is None:
    pytest.skip("Spark needs Java 17 (.ci/run installs it)", allow_module_level=True)

from socialcredit.batch.spark import SparkBackend

# A sample that covers lists with removals, ratings with direct grades, caps and contagion,
# and measures reaching related persons.
SAMPLE = [
    "cn-judgment-defaulters/scenarios/01-evades-listed-two-years.yaml",
    "cn-tax-credit/scenarios/01-score-of-90-is-a-with-three-month-invoices.yaml",
    "us-far-9-4-exclusions/scenarios/13-debarment-terminated-early-on-reconsideration.yaml",
]


@pytest.mark.slow
@pytest.mark.parametrize("name", SAMPLE)
def test_spark_agrees_with_the_reference_engine(name: str) -> None:
    scenario = read_scenario(PACKS / name)
    book = load_book(scenario.packs, PACKS)
    facts = build_facts(book, scenario)
    backend = SparkBackend(book, "local[2]").load_facts(facts)
    for day in dates_of(scenario):
        output = backend.run(day)
        expected = canonical(book, facts, label_facts(book, facts, day), day)
        assert canonical(book, facts, (output.entries, output.ratings), day) == expected


def test_the_sample_exists() -> None:
    assert all((PACKS / name).is_file() for name in SAMPLE)
    assert Path(__file__).name.startswith("test_batch_")
