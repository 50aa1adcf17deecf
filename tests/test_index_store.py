"""The index over the store (SQLite and PostgreSQL): built as labelling loads the facts, it
answers as the engine; after records, a status change and a correction are ingested,
``refresh`` makes the next answers the engine's again."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from sqlalchemy import Engine

from socialcredit.core.pack.model import Rulebook
from socialcredit.index import DecisionIndex
from socialcredit.index.build import population
from socialcredit.services.decisions.index import build_index, refresh
from socialcredit.services.records.facts import load_all
from socialcredit.services.records.ingest import ingest_file
from socialcredit.synth import generate_nation
from tests.test_index import END, START, assert_same, days_around
from tests.test_ingest import HEADER, case

COURT, CASE = "court", "court.enforcement_case"
PERSON_CASE, ORG_CASE = "(2022)京01执9号", "(2022)京01执8号"
REFUSES = "refuses_with_ability"  # performance lifts such a listing (SPC 2017 art. 10)


def ingest_nation(store: Engine, book: Rulebook, folder: Path) -> None:
    generate_nation(folder, persons=80, orgs=20, seed=3)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    for item in manifest["files"]:
        ingest_file(store, book, folder / item["file"], item["agency"], item["category"])


def ingest_cases(store: Engine, book: Rulebook, path: Path, *rows: str) -> None:
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    report = ingest_file(store, book, path, COURT, CASE)
    assert not report.rejected, report.rejected


def assert_engines(
    index: DecisionIndex, store: Engine, book: Rulebook, subjects: list[str]
) -> None:
    """The index answers as the engine over the store's facts, explanations on a sample
    (they read the store subject by subject)."""
    with store.connect() as db:
        facts = load_all(db, book)
    for n, subject in enumerate(subjects):
        days = days_around(index, facts, subject)
        assert_same(index, facts, subject, days, explain=False)
        if n % 5 == 0:
            assert_same(index, facts, subject, days[::4], explain=True)


def test_the_store_index_answers_as_the_engine_before_and_after_writes(
    store: Engine, book: Rulebook, tmp_path: Path
) -> None:
    ingest_nation(store, book, tmp_path / "feeds")
    index = build_index(store, book, START, END)
    with store.connect() as db:
        facts = load_all(db, book)
    assert_engines(index, store, book, population(facts)[::4])
    person = next(
        s for s in population(facts) if facts.subject(s).kind == "person" and index.table.row(s) < 0
    )
    org = next(o for o, officers in sorted(facts.officers.items()) if officers)
    listing = case(person, PERSON_CASE, REFUSES, "2022-03-01")
    ingest_cases(
        store, book, tmp_path / "a.csv", listing, case(org, ORG_CASE, decided="2022-04-01")
    )
    touched = refresh(index, store, book, [person, org])
    assert {person, org, *(o.person for o in facts.officers_of(org))} <= touched
    assert index.effect(person, "buy_flight_ticket", dt.date(2022, 3, 2)) == "deny"
    assert_engines(index, store, book, sorted(touched))
    paid = case(person, PERSON_CASE, REFUSES, "2022-03-01", "performed", "2022-06-01")
    corrected = case(org, ORG_CASE, decided="2022-04-01", amount="1")
    ingest_cases(store, book, tmp_path / "b.csv", paid, corrected)
    listed = index.intervals(person, "buy_flight_ticket")
    touched = refresh(index, store, book, [person, org])
    assert index.intervals(person, "buy_flight_ticket") != listed, "the performance counts"
    with store.connect() as db:
        assert any(r.history for r in load_all(db, book).records_of(org)), "corrected"
    assert index.effect(person, "buy_flight_ticket", dt.date(2022, 7, 1)) == "allow"
    assert_engines(index, store, book, sorted(touched))
