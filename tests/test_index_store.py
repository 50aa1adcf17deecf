"""The index over the store (SQLite and PostgreSQL): built as labelling loads the facts, it
answers as the engine; after records, a status change and a correction are ingested,
``refresh`` makes the next answers the engine's again."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from sqlalchemy import Engine

from socialcredit.core.engine import Engine as RuleEngine
from socialcredit.core.pack.model import Rulebook
from socialcredit.index.build import population
from socialcredit.services.decisions.index import build_index, refresh
from socialcredit.services.records.facts import load_all
from socialcredit.services.records.ingest import ingest_file
from socialcredit.synth import generate_nation
from tests.test_index import END, START, assert_same, days_around
from tests.test_ingest import HEADER, case

COURT, CASE = "court", "court.enforcement_case"


def ingest_nation(store: Engine, book: Rulebook, folder: Path) -> None:
    generate_nation(folder, persons=80, orgs=20, seed=3)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    for item in manifest["files"]:
        ingest_file(store, book, folder / item["file"], item["agency"], item["category"])


def ingest_cases(store: Engine, book: Rulebook, path: Path, *rows: str) -> None:
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    report = ingest_file(store, book, path, COURT, CASE)
    assert not report.rejected, report.rejected


def test_the_store_index_answers_as_the_engine_before_and_after_writes(
    store: Engine, book: Rulebook, tmp_path: Path
) -> None:
    ingest_nation(store, book, tmp_path / "feeds")
    index = build_index(store, book, START, END)
    with store.connect() as db:
        facts = load_all(db, book)
    for n, subject in enumerate(population(facts)[::2]):
        days = days_around(index, facts, subject)
        assert_same(index, facts, subject, days, explain=False)
        if n % 10 == 0:  # explanations read the store, subject by subject
            assert_same(index, facts, subject, days[::4], explain=True)
    person = next(
        s for s in population(facts) if facts.subject(s).kind == "person" and index.table.row(s) < 0
    )
    org = next(o for o, officers in sorted(facts.officers.items()) if officers)
    ingest_cases(
        store,
        book,
        tmp_path / "a.csv",
        case(person, "(2022)京01执9号", decided="2022-03-01"),
        case(org, "(2022)京01执8号", decided="2022-04-01"),
    )
    touched = refresh(index, store, book, [person, org])
    assert {person, org, *(o.person for o in facts.officers_of(org))} <= touched
    assert index.effect(person, "buy_flight_ticket", dt.date(2022, 3, 2)) == "deny"
    ingest_cases(
        store,
        book,
        tmp_path / "b.csv",
        case(
            person,
            "(2022)京01执9号",
            decided="2022-03-01",
            status="performed",
            status_date="2022-06-01",
        ),
        case(org, "(2022)京01执8号", decided="2022-04-01", amount="1"),
    )
    touched = refresh(index, store, book, [person, org])
    with store.connect() as db:
        after = load_all(db, book)
    engine = RuleEngine(book)
    assert any(r.history for r in after.records_of(org)), "the correction was recorded"
    for subject in sorted(touched):
        days = days_around(index, after, subject)
        assert_same(index, after, subject, days, explain=False)
        assert_same(index, after, subject, days[::3], explain=True)
    late = dt.date(2022, 7, 1)
    assert (
        index.effect(person, "buy_flight_ticket", late)
        == engine.decide(after, person, "buy_flight_ticket", late).effect
    )
