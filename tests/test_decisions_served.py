"""Decisions as the services serve them (``answer``, ``answer_batch``: from the decision
index when it covers the day, else the engine) answer exactly as the live engine over the
same store: every subject of a synthetic nation and every action on the days around each
record, status change, relation and list entry (swept on demand, then built whole); every
scenario of every pack; and after each kind of write through the services (a record, a
status change, a correction, an objection outcome, a repair). SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from sqlalchemy import Engine

from socialcredit.core.access import Principal
from socialcredit.core.facts import MemoryFacts
from socialcredit.core.pack.model import Rulebook
from socialcredit.core.records import record_id
from socialcredit.core.scenarios import build_facts, read_scenario
from socialcredit.index.build import population
from socialcredit.services.context import Context
from socialcredit.services.decisions.holder import holder_for, refresh_after_write
from socialcredit.services.dueprocess.objections import RecordRef, decide_objection, file_objection
from socialcredit.services.dueprocess.repair import apply_for_repair
from socialcredit.services.dueprocess.repair_eligibility import Application
from socialcredit.services.packs.rulebook import load_book
from socialcredit.services.records.facts import load_all
from socialcredit.services.records.ingest import ingest_file
from socialcredit.services.records.submit import submit_records
from socialcredit.synth import generate_nation
from tests.conftest import REPO, USCC
from tests.served_decisions import clear_facts, served_as_engine, store_facts
from tests.test_index import END, SCENARIOS, START, days_around
from tests.test_ingest import HEADER, case

TODAY = dt.date.today()
COURT = Principal(
    "court",
    "agency",
    "court",
    agency="court",
    categories=frozenset({"*"}),
    actions=frozenset({"*"}),
)
LOCGOV = Principal(
    "locgov", "agency", "district", agency="local-government", categories=frozenset({"*"})
)
COMPANY = Principal("org", "subject", "the company", subject=USCC)
PENALTY = "admin.penalty_decision"


@pytest.fixture(autouse=True)
def window(monkeypatch: pytest.MonkeyPatch) -> None:
    """The days the index covers, as the index tests take them."""
    monkeypatch.setenv("SOCIALCREDIT_INDEX_FROM", START.isoformat())
    monkeypatch.setenv("SOCIALCREDIT_INDEX_UNTIL", END.isoformat())


def ingest_nation(
    store: Engine, book: Rulebook, folder: Path, persons: int, orgs: int
) -> MemoryFacts:
    generate_nation(folder, persons=persons, orgs=orgs, seed=5)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    for item in manifest["files"]:
        ingest_file(store, book, folder / item["file"], item["agency"], item["category"])
    with store.connect() as db:
        return load_all(db, book)


def test_every_subject_of_a_nation_is_served_as_the_engine(
    store: Engine, book: Rulebook, tmp_path: Path
) -> None:
    facts = ingest_nation(store, book, tmp_path / "feeds", persons=120, orgs=24)
    ctx = Context(store, book)
    holder = holder_for(store, book)
    subjects = population(facts)
    assert len(subjects) > 50

    def days_of(subject: str) -> list[dt.date]:
        return [START - dt.timedelta(days=1), *days_around(holder.index, facts, subject)]

    on_demand = served_as_engine(ctx, subjects[::7], days_of)
    assert holder.state == "on demand" and not holder.complete and holder.swept
    holder.build_now()
    assert holder.complete and len(holder.index.table) > 10, "a nation with debtors"
    compared = served_as_engine(ctx, subjects, days_of)
    assert on_demand > 1000 and compared > 50_000


def served_scenario(store: Engine, file: Path) -> int:
    """The scenario's facts alone in the store; every subject, action and day compared."""
    scenario = read_scenario(file)
    book = load_book(scenario.packs, REPO / "packs")
    facts = build_facts(book, scenario)
    with store.begin() as db:
        removed = clear_facts(db)
        store_facts(db, facts)
    # Written around the services (no record events): tell this process's indexes.
    refresh_after_write(store, removed | set(population(facts)))
    holder = holder_for(store, book)

    def days_of(subject: str) -> list[dt.date]:
        return sorted({*days_around(holder.index, facts, subject)[::3], scenario.as_of})

    return served_as_engine(Context(store, book), population(facts), days_of)


def test_every_scenario_is_served_as_the_engine(store: Engine) -> None:
    assert sum(served_scenario(store, file) for file in SCENARIOS) > 10_000


def test_each_kind_of_write_is_served_fresh(store: Engine, book: Rulebook, tmp_path: Path) -> None:
    facts = ingest_nation(store, book, tmp_path / "feeds", persons=60, orgs=15)
    ctx = Context(store, book)
    holder = holder_for(store, book)
    holder.build_now()
    person = next(
        s
        for s in population(facts)
        if facts.subject(s).kind == "person" and holder.index.table.row(s) < 0
    )
    org = next(o for o, officers in sorted(facts.officers.items()) if officers)
    officers = [o.person for o in facts.officers_of(org)]

    def check(*subjects: str) -> None:
        with store.connect() as db:
            now = load_all(db, book)
        served_as_engine(ctx, subjects, lambda s: [*days_around(holder.index, now, s)[::2], TODAY])

    def submit(*rows: str) -> None:
        body = "\n".join([HEADER, *rows]) + "\n"
        report = submit_records(ctx, COURT, body.encode(), "text/csv")
        assert not report.rejected, report.rejected

    listing = case(person, "(2022)京01执9号", "refuses_with_ability", "2022-03-01")
    submit(listing, case(org, "(2022)京01执8号", decided="2022-04-01"))
    assert holder.index.effect(person, "buy_flight_ticket", dt.date(2022, 3, 2)) == "deny"
    check(person, org, *officers)  # a record
    paid = case(
        person, "(2022)京01执9号", "refuses_with_ability", "2022-03-01", "performed", "2022-06-01"
    )
    submit(paid)
    assert holder.index.effect(person, "buy_flight_ticket", dt.date(2022, 7, 1)) == "allow"
    check(person)  # a status change
    submit(case(org, "(2022)京01执8号", decided="2022-04-01", amount="1"))
    check(org, *officers)  # a correction
    ref = RecordRef(record_id("court.enforcement_case", "court", "(2022)京01执8号"))
    filed = file_objection(store, book, COURT, ref, "wrongly entered", None, TODAY)
    decide_objection(store, book, COURT, int(filed["id"]), "corrected", "it was wrong", TODAY)
    check(org, *officers)  # an objection's outcome
    published, performed = TODAY - dt.timedelta(days=130), TODAY - dt.timedelta(days=100)
    row = {
        "subject": USCC,
        "name": "福州测试有限公司",
        "category": PENALTY,
        "doc_no": "晚罚2号",
        "decided_on": (published - dt.timedelta(days=3)).isoformat(),
        "fields": {
            "penalty_type": "fine",
            "tier": "general",
            "fine_amount": 50000,
            "published_on": published.isoformat(),
        },
        "status": "performed",
        "status_date": performed.isoformat(),
    }
    submit_records(
        ctx, LOCGOV, (json.dumps(row, ensure_ascii=False) + "\n").encode(), "application/x-ndjson"
    )
    check(USCC)
    rid = record_id(PENALTY, "local-government", "晚罚2号")
    application = Application(TODAY, True, None, {})
    repaired = apply_for_repair(store, book, COMPANY, USCC, rid, application, TODAY)
    assert repaired["outcome"] == "approved", repaired
    check(USCC)  # a repair
