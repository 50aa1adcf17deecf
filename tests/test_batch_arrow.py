"""The batch engines return their output as Arrow tables and store it, with its feed events,
without building the reference engine's objects (issue 11): a run builds no ``Entry`` at all,
its measures in force included (compiled to SQL, ``batch.measures_plan``), on SQLite and
PostgreSQL."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select

from socialcredit.batch.output import ENTRY_SCHEMA, RATING_SCHEMA, entries_table
from socialcredit.batch.runner import label_batch
from socialcredit.core.engine.lists import Entry
from socialcredit.services.labelling.run import label, label_facts
from socialcredit.services.packs.rulebook import load_book
from socialcredit.services.records.facts import load_all
from socialcredit.services.records.ingest import ingest_file
from socialcredit.store import tables as t
from tests.test_ingest import RIC, case, write

OTHER = "110105198001010104"


def counted_entries(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """A list that grows by one for every ``Entry`` built from now on."""
    built: list[int] = []
    original = Entry.__init__

    def counting(self: Entry, *args: Any, **kwargs: Any) -> None:
        built.append(1)
        original(self, *args, **kwargs)

    monkeypatch.setattr(Entry, "__init__", counting)
    return built


def test_a_batch_run_stores_its_tables_without_building_entries(
    tmp_path: Path, store: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    book = load_book(("cn-judgment-defaulters", "cn-consumption-restrictions"))
    assert book.memoranda
    rows = [case(), case(subject=OTHER, doc="2", decided="2019-03-01")]
    ingest_file(store, book, write(tmp_path, "court.csv", *rows), "court")
    built = counted_entries(monkeypatch)
    with store.connect() as db:
        found = label_batch(db, book, dt.date(2019, 6, 1), "duckdb")
    assert found.entries.schema == ENTRY_SCHEMA and found.ratings.schema == RATING_SCHEMA
    assert found.entries.num_rows == 2 and found.entries["active"].to_pylist() == [True, True]
    first = label(store, book, dt.date(2019, 6, 1), engine="duckdb")
    second = label(store, book, dt.date(2019, 7, 1), engine="duckdb")
    assert built == [], "the batch path built Entry objects"
    assert dict(first.active) == dict(second.active) == {"dishonest-judgment-debtors": 2}
    with store.connect() as db:
        kinds = db.execute(select(t.events.c.kind).where(t.events.c.kind.like("entry.%")))
        stored = db.execute(select(t.list_entries.c.reason)).scalars().all()
        measures = db.execute(select(t.measures_in_force.c.subject_id)).scalars().all()
    assert set(measures) == {RIC, OTHER}, "the measures of both debtors"
    assert sorted(kinds.scalars()) == ["entry.added", "entry.added"]
    label(store, book, dt.date(2019, 7, 1), engine="python")
    assert len(built) == 2, "the counter sees the reference engine's entries"
    assert len(stored) == 4
    for doc in ("(2018)京01执1号", "2"):
        assert sum(f"enforcement case {doc} (" in reason for reason in stored) == 2


def test_the_python_engine_gives_the_same_tables(tmp_path: Path, store: Engine) -> None:
    """The reference engine's objects convert to the tables the batch engines build, the
    columns the store does not keep (category, agency, active, removal date) included."""
    book = load_book(("cn-judgment-defaulters",))
    rows = [
        case(),
        case(subject=OTHER, doc="2", ground="refuses_with_ability", decided="2019-03-01",
             status="performed", status_date="2019-05-02"),
        case(doc="3", decided="2012-01-01"),
    ]  # fmt: skip
    ingest_file(store, book, write(tmp_path, "court.csv", *rows), "court")
    day = dt.date(2019, 6, 1)
    with store.connect() as db:
        facts = load_all(db, book)
        found = label_batch(db, book, day, "duckdb")
    entries, _ = label_facts(book, facts, day)
    python = entries_table(book, entries, day)
    assert python.num_rows == 2 and found.entries["removed_on"].null_count == 1
    assert sorted(python.to_pylist(), key=repr) == sorted(found.entries.to_pylist(), key=repr)
