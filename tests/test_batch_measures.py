"""Differential tests of the measures in force compiled to SQL (``batch/measures_plan``): on
every scenario world of every pack, at every date the scenario asks about, and on random
nations (``test_batch_nations``), the SQL measures table turned into the feed's rows
(``measure_rows``) equals the rows of the reference engine: the stored row
(``services.labelling.measure_rows.measures_table_of``) of each measure that
``measures_reached`` finds for the entries active on the date and every rating.
A compiler that ignores ``role_held: at_start`` or drops a measure's ``when`` is caught."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Protocol

import pytest
from hypothesis import given, settings

from socialcredit.batch import measure_specs, measures_plan
from socialcredit.batch.compare import measures_of
from socialcredit.batch.compiler import Plan, compile_plan
from socialcredit.batch.duck import DuckDBBackend
from socialcredit.batch.measure_rows import MEASURES, measure_row, measure_rows
from socialcredit.batch.measures_plan import ArrowBackend, grades_view, measures_table
from socialcredit.batch.results import Backend, _earliest
from socialcredit.core.facts import MemoryFacts, Record
from socialcredit.core.pack.load import load_rulebook
from socialcredit.core.pack.model import Rulebook
from socialcredit.core.scenarios import Scenario, ScenarioError, build_facts, read_scenario
from socialcredit.services.labelling.measure_rows import measures_table_of
from socialcredit.services.labelling.run import label_facts
from socialcredit.services.packs.rulebook import load_book
from tests.conftest import RIC
from tests.test_batch_nations import SETTINGS, book_of, nations
from tests.test_batch_scenarios import SCENARIOS, dates_of

Rows = list[dict[str, Any]]


class SqlBackend(Backend, ArrowBackend, Protocol):
    """A backend that also fetches Arrow (DuckDB's and Spark's do)."""


def planned(backend: SqlBackend, book: Rulebook, day: dt.date) -> Plan:
    """The plan's tables in the backend as ``run_plan`` builds them, each rating's grade
    rows kept as ``grades_view`` right after its steps: what ``measures_table`` reads."""
    plan = compile_plan(book, day, _earliest(backend, book))
    statements = plan.statements(backend.dialect)
    for name in plan.views:
        backend.view(name, statements[name])
    if plan.entries is not None:
        backend.view("entry_rows", statements["entries"])
    for rating_id, queries in plan.ratings.items():
        for step, _ in queries.steps:
            backend.view(step, statements[f"step:{rating_id}:{step}"])
        backend.view(grades_view(plan, rating_id), statements[f"grades:{rating_id}"])
    return plan


def sql_rows(backend: SqlBackend, book: Rulebook, day: dt.date) -> Rows:
    table = measures_table(backend, book, planned(backend, book, day), day)
    assert table.schema == MEASURES
    return measure_rows(table)


def python_rows(book: Rulebook, facts: MemoryFacts, day: dt.date) -> Rows:
    found = measures_of(book, facts, label_facts(book, facts, day), day)
    return measure_rows(measures_table_of(book, found))


def _text(row: dict[str, Any]) -> str:
    return json.dumps(row, sort_keys=True)


def assert_same(got: Rows, expected: Rows, where: str) -> None:
    """Equal as sorted lists (duplicates count); else name the keys of the rows that differ."""
    if sorted(got, key=_text) == sorted(expected, key=_text):
        return
    extra = Counter(map(_text, got)) - Counter(map(_text, expected))
    missing = Counter(map(_text, expected)) - Counter(map(_text, got))
    only_sql = sorted(json.loads(t)["key"] for t in extra)
    only_python = sorted(json.loads(t)["key"] for t in missing)
    raise AssertionError(
        f"{where}: measures differ\n  only in SQL: {only_sql}\n  only in Python: {only_python}"
        f"\n  rows only in SQL: {sorted(extra)[:3]}\n  rows only in Python: {sorted(missing)[:3]}"
    )


def scenario_days(file: Path) -> Iterator[tuple[Rulebook, MemoryFacts, SqlBackend, dt.date]]:
    scenario = read_scenario(file)
    book = load_book(scenario.packs, scenario.file.parents[2])
    facts = build_facts(book, scenario)
    backend = DuckDBBackend(book, threads=1).load_facts(facts)
    for day in dates_of(scenario):
        yield book, facts, backend, day


def check_scenario(file: Path) -> int:
    """Compare on every date of the scenario; the number of measures found. A rulebook
    without memoranda has no measure to compare (``measures_query`` is None for it)."""
    found = 0
    scenario = read_scenario(file)
    if not load_book(scenario.packs, scenario.file.parents[2]).memoranda:
        return found
    for book, facts, backend, day in scenario_days(file):
        expected = python_rows(book, facts, day)
        assert_same(sql_rows(backend, book, day), expected, f"{file.name} on {day}")
        found += len(expected)
    return found


@pytest.mark.parametrize("file", SCENARIOS)
def test_sql_measures_agree_with_the_reference_engine(file: Path) -> None:
    check_scenario(file)


@pytest.mark.parametrize("group", ["judgment", "sanctions", "enterprise", "tax"])
def test_sql_measures_agree_on_random_nations(group: str) -> None:
    @settings(SETTINGS, max_examples=5)
    @given(nations(group))
    def check(nation: Scenario) -> None:
        book = book_of(group)
        try:
            facts = build_facts(book, nation)
        except ScenarioError:  # a template moved out of its category's rules
            return
        backend = DuckDBBackend(book, threads=1).load_facts(facts)
        expected = python_rows(book, facts, nation.as_of)
        assert_same(sql_rows(backend, book, nation.as_of), expected, "random nation")

    check()


def _rows_with(**changed: Any) -> Any:
    """``Spec.rows`` with some columns of ``measure_specs`` replaced (a broken compiler)."""
    names = list(measure_specs._SPEC_TYPES)

    def rows(spec: measure_specs.Spec) -> list[tuple[Any, ...]]:
        found = ORIGINAL_ROWS(spec)
        return [tuple(changed.get(n, v) for n, v in zip(names, row, strict=True)) for row in found]

    return rows


ORIGINAL_ROWS = measure_specs.Spec.rows
# A broken compiler and the pack whose scenario worlds must catch it.
BREAKAGES = {
    "role_held at_start ignored": (
        (measure_specs.Spec, "rows", _rows_with(at_start=False)),
        "cn-enterprise-credit",
    ),
    "lasts ignored": (
        (measure_specs.Spec, "rows", _rows_with(lasts_months=None, lasts_days=None)),
        "cn-enterprise-credit",
    ),
    "when dropped": ((measures_plan, "when", lambda query, *_: query), "cn-tax-credit"),
}


@pytest.mark.parametrize("breakage", sorted(BREAKAGES))
def test_a_broken_measures_compiler_is_caught(
    breakage: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The comparison fails on one of the pack's scenario worlds (scanned in order until one
    does) and names the measures that differ."""
    patch, pack = BREAKAGES[breakage]
    monkeypatch.setattr(*patch)
    for param in SCENARIOS:
        file = param.values[0]
        if not isinstance(file, Path) or file.parents[1].name != pack:
            continue
        try:
            check_scenario(file)
        except AssertionError as error:
            assert "measures differ" in str(error) and "only in Python" in str(error)
            return
    pytest.fail(f"the broken compiler ({breakage}) went unnoticed")


def test_a_flat_row_becomes_the_feed_row() -> None:
    flat = dict.fromkeys(MEASURES.names)
    flat.update(key="m|x|S|rating:r:S", subject_id="S", disclosure="shared", measure="x")
    flat.update(trigger_kind="rating", trigger_rating="r", trigger_grade="D")
    flat.update(trigger_subject="S", starts=dt.date(2024, 2, 29))
    row = measure_row(flat)
    cause = {"kind": "rating", "rating": "r", "grade": "D", "subject": "S"}
    assert row["payload"]["trigger"] == cause
    assert (row["payload"]["starts"], row["payload"]["until"]) == ("2024-02-29", None)
    assert row["category"] is None and row["key"] == "m|x|S|rating:r:S"


EXAMPLE = Path(__file__).parent / "packs/example-measures/pack.yaml"
OTHER_CATEGORY = """  ex.other:
    title: Another kind of case
    legal_basis: ex art. 1
    confidence: "?"
    agencies: [ex-agency]
    disclosure: restricted
    domain: example
    fields: {amount: money}
"""
LATER_VERSION = """        until: 2021-01-01
      - in_force: 2021-01-01
        legal_basis: ex art. 2
        confidence: "?"
        entry_per: record ex.other as c
        include: true
        ends: c.decided_on + years(1)
        reason: case {c.doc_no}
memoranda:
"""


def test_a_trigger_field_the_records_category_lacks_is_null(tmp_path: Path) -> None:
    """A list whose later version lists records of another category: ``trigger.kind`` is
    null for those records (the reference engine's record view has no such field), so the
    measure whose ``when`` asks for it does not apply to them, in SQL as in Python."""
    folder = tmp_path / "example-measures"
    folder.mkdir()
    text = EXAMPLE.read_text().replace("lists:\n", OTHER_CATEGORY + "lists:\n")
    (folder / "pack.yaml").write_text(text.replace("memoranda:\n", LATER_VERSION))
    book = load_rulebook([folder])
    facts = MemoryFacts()
    for record_id, category, decided, fields in (
        ("r1", "ex.case", dt.date(2020, 6, 1), {"kind": "serious"}),
        ("r2", "ex.other", dt.date(2021, 3, 1), {"amount": 10.0}),
    ):
        facts.add_record(Record(record_id, RIC, category, "ex-agency", "d", decided, fields))
    day = dt.date(2021, 4, 1)
    expected = python_rows(book, facts, day)
    applied = {(r["payload"]["trigger"]["record"], r["payload"]["measure"]) for r in expected}
    assert ("r1", "ban-if-serious") in applied and ("r2", "ban-if-serious") not in applied
    assert ("r2", "watch") in applied
    backend = DuckDBBackend(book, threads=1).load_facts(facts)
    assert_same(sql_rows(backend, book, day), expected, "two categories")
