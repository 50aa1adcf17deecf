"""The SQL-generated nation of ``bench/bench_scale.py`` is input the engines read as the store
would: at 20,000 records over every category of every pack, the reference engine (reading
the Parquet files back into memory) and the compiled plan on DuckDB (reading them directly)
find the same entries, ratings and measures (the compiled measures too). Its identifiers are
valid and distinct."""

from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType

import duckdb
import pytest
from stdnum.cn import ric, uscc

from socialcredit.batch.compare import canonical
from socialcredit.batch.measure_rows import measure_rows
from socialcredit.batch.measures_plan import measures_table
from socialcredit.batch.objects import objects_of
from socialcredit.batch.runner import label_parquet
from socialcredit.core.identifiers import parse_id
from socialcredit.services.labelling.measure_rows import python_measures
from socialcredit.services.labelling.run import label_facts
from socialcredit.services.packs.rulebook import load_book
from tests.conftest import REPO

RECORDS = 20_000


@pytest.fixture(scope="module")
def bench(tmp_path_factory: pytest.TempPathFactory) -> tuple[ModuleType, ModuleType, Path]:
    """The generator modules (bench/ is a folder of scripts) and a nation written once."""
    with pytest.MonkeyPatch.context() as patch:
        patch.syspath_prepend(str(REPO / "bench"))
        generator = importlib.import_module("nation_sql")
        reader = importlib.import_module("nation_facts")
    folder = tmp_path_factory.mktemp("nation")
    generator.write_nation(folder, load_book(), generator.Sizes(RECORDS), 7)
    return generator, reader, folder


def test_every_category_has_records_and_identifiers_are_valid(
    bench: tuple[ModuleType, ModuleType, Path],
) -> None:
    _, _, folder = bench
    for category in load_book().categories:
        table = folder / ("rec_" + category.replace(".", "__")) / "*.parquet"
        counted = duckdb.sql(f"SELECT count(*) FROM read_parquet('{table}')").fetchone()
        assert counted and counted[0] > 0, category
    subjects = duckdb.sql(f"SELECT id, kind FROM read_parquet('{folder}/subjects/*.parquet')")
    rows = subjects.fetchall()
    assert len({code for code, _ in rows}) == len(rows)
    for code, kind in rows[:: max(1, len(rows) // 500)] + rows[-50:]:
        assert (ric if kind == "person" else uscc).is_valid(code), code
        assert parse_id(code).kind == kind


def test_the_reference_engine_and_duckdb_agree_on_the_nation(
    bench: tuple[ModuleType, ModuleType, Path],
) -> None:
    generator, reader, folder = bench
    book, day = load_book(), generator.shape.AS_OF
    facts = reader.read_facts(folder, book)
    assert sum(map(len, facts.records.values())) == RECORDS
    python = label_facts(book, facts, day)
    found = label_parquet(folder, book, day, "duckdb")
    built = objects_of(found.backend, book, found.output, day, found.entries)
    expected = canonical(book, facts, python, day)
    got = canonical(book, facts, (built.entries, built.ratings), day)
    assert expected["entries"] and expected["ratings"] and expected["measures"]
    assert {e[0] for e in expected["entries"]} >= {"dishonest-judgment-debtors"}
    assert got == expected
    compiled = measure_rows(measures_table(found.backend, book, found.output.plan, day))
    reference = measure_rows(python_measures(book, facts, python, day))
    assert sorted(compiled, key=repr) == sorted(reference, key=repr)
