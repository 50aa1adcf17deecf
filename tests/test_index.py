"""The decision index answers exactly as the engine: every subject of a small synthetic
nation and every action, on the days around every record, status change, relation and list
entry; every scenario of every pack; uncovered days answered by the engine, and said so."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from socialcredit.core.engine import Engine
from socialcredit.core.errors import UnknownAction
from socialcredit.core.facts import MemoryFacts, Record, StatusChange
from socialcredit.core.pack.model import Rulebook
from socialcredit.core.scenarios import build_facts, read_scenario
from socialcredit.index import DecisionIndex
from socialcredit.index.build import population
from socialcredit.index.sweep import measure_ref
from socialcredit.services.packs.rulebook import load_book
from socialcredit.services.records.facts import load_all
from tests.conftest import REPO, RIC, USCC
from tests.synthetic_store import ingested_nation
from tests.test_architecture import imported

START, END = dt.date(2012, 1, 1), dt.date(2032, 1, 1)
ONE = dt.timedelta(days=1)
SCENARIOS = sorted(
    [*REPO.glob("packs/*/scenarios/*.yaml"), *REPO.glob("tests/packs/*/scenarios/*.yaml")]
)


def nation_facts(folder: Path, book: Rulebook, persons: int = 300, orgs: int = 60) -> MemoryFacts:
    """A synthetic nation ingested into a SQLite store, and loaded back as labelling does."""
    engine = ingested_nation(folder, book, persons, orgs, seed=11, name="nation.db")
    with engine.connect() as db:
        facts = load_all(db, book)
    engine.dispose()
    return facts


@pytest.fixture(scope="module")
def nation(tmp_path_factory: pytest.TempPathFactory, book: Rulebook) -> MemoryFacts:
    return nation_facts(tmp_path_factory.mktemp("nation"), book)


@pytest.fixture(scope="module")
def nation_index(book: Rulebook, nation: MemoryFacts) -> DecisionIndex:
    return DecisionIndex.build(book, nation, START, END)


def neighbours(subject: str, facts: MemoryFacts) -> set[str]:
    """The subject, its organisations and theirs officers' other organisations."""
    found = {subject}
    for role in facts.roles_of(subject):
        found.add(role.org)
        for officer in facts.officers_of(role.org):
            found |= {r.org for r in facts.roles_of(officer.person)}
    return found


def days_around(index: DecisionIndex, facts: MemoryFacts, subject: str) -> list[dt.date]:
    """The day before, of and after every date that can move the subject's answer: records
    and their status changes, relations, and the starts and ends of list entries (as known
    on each of those days and on the last covered day)."""
    dates: set[dt.date] = set()
    for other in neighbours(subject, facts):
        for record in facts.records_of(other):
            dates |= {record.decided_on, *(change.on for change in record.history)}
        for relation in [*facts.roles_of(other), *facts.officers_of(other)]:
            dates |= {d for d in (relation.since, relation.until) if d}
    start, end = index.start, index.end
    for known_on in [*sorted(d for d in dates if start <= d < end), end - ONE]:
        for other in neighbours(subject, facts):
            entries, _ = index.engine.own_triggers(facts, other, known_on)
            for entry in entries:
                dates |= {d for d in (entry.starts, entry.planned_end, entry.removed_on) if d}
    around = {d + step for d in dates for step in (-ONE, dt.timedelta(0), ONE)}
    return sorted(d for d in around if start <= d < end)


def assert_same(
    index: DecisionIndex,
    facts: MemoryFacts,
    subject: str,
    days: Iterable[dt.date],
    explain: bool,
) -> int:
    """Compare the index with the engine on every action; return the answers compared."""
    engine = index.engine
    compared = 0
    for day in days:
        state = engine.state(facts, subject, day)
        for action in sorted(engine.book.actions):
            want = engine.decision_from(state, action)
            got = index.decide(subject, action, day, explain=explain and want.effect != "allow")
            where = f"{subject} {action} {day}"
            source = "index" if index.covers(day) else "engine"
            assert (got.effect, got.source) == (want.effect, source), where
            determining = [r for r in want.reasons if r.determining]
            wanted = {
                (
                    f"{r.applied.memorandum.memorandum_id}/{r.applied.measure.id}",
                    measure_ref(r.applied)[3],
                )
                for r in determining
            }
            assert set(zip(got.measures, got.triggers, strict=True)) == wanted, where
            if got.decision is not None:
                assert got.decision.as_dict() == want.as_dict(), where
            compared += 1
    return compared


def test_every_subject_of_a_nation_answers_as_the_engine(
    nation: MemoryFacts, nation_index: DecisionIndex
) -> None:
    subjects = population(nation)
    assert len(subjects) > 100 and len(nation_index.table) > 20, "a nation with debtors"
    compared = 0
    for n, subject in enumerate(subjects):
        days = days_around(nation_index, nation, subject)
        explain = n % 3 == 0  # full explanations on a third of the subjects: they cost
        compared += assert_same(nation_index, nation, subject, days, explain=explain)
    assert compared > 100_000


def test_a_batch_answers_as_single_look_ups(
    nation: MemoryFacts, nation_index: DecisionIndex
) -> None:
    subjects, actions, days = [], [], []
    for subject in population(nation)[:80]:
        for day in days_around(nation_index, nation, subject)[:12]:
            for action in ("buy_flight_ticket", "bid_public_procurement", "tax_green_channel"):
                subjects.append(subject)
                actions.append(action)
                days.append(day)
    days[0] = START - ONE  # one the index does not cover
    answer = nation_index.decide_many(subjects, actions, days)
    singles = [
        nation_index.effect(s, a, d) for s, a, d in zip(subjects, actions, days, strict=True)
    ]
    assert answer.names() == singles
    assert answer.from_index.tolist() == [d >= START for d in days]
    assert set(singles) > {"allow"}, "some of them restricted"


def test_intervals_cover_the_days_and_hold_at_both_ends(
    nation: MemoryFacts, nation_index: DecisionIndex
) -> None:
    engine = nation_index.engine
    listed = [s for s in population(nation) if nation_index.table.row(s) >= 0][:40]
    for subject in listed:
        for action in ("buy_flight_ticket", "serve_as_legal_representative"):
            intervals = nation_index.intervals(subject, action)
            assert intervals[0][0] == START and intervals[-1][1] == END
            for (_, to, *_), (start, *_) in itertools.pairwise(intervals):
                assert to == start
            for start, to, effect, _, _ in intervals:
                for day in (start, to - ONE):
                    assert engine.decide(nation, subject, action, day).effect == effect


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_any_day_answers_as_the_engine(
    nation: MemoryFacts, nation_index: DecisionIndex, data: st.DataObject
) -> None:
    subject = data.draw(st.sampled_from(population(nation)))
    day = data.draw(st.dates(START, END - ONE))
    assert_same(nation_index, nation, subject, [day], explain=True)


@pytest.mark.parametrize("file", SCENARIOS, ids=lambda f: f"{f.parent.parent.name}/{f.stem}")
def test_every_scenario_answers_as_the_engine(file: Path) -> None:
    scenario = read_scenario(file)
    book = load_book(scenario.packs, REPO / "packs")
    facts = build_facts(book, scenario)
    index = DecisionIndex.build(book, facts, dt.date(1995, 1, 1), END)
    for subject in population(facts):
        days = [*days_around(index, facts, subject), scenario.as_of]
        assert_same(index, facts, subject, days, explain=True)


def test_the_measure_conditions_pack_answers_as_the_engine() -> None:
    """tests/packs: a measure whose condition reads the record, the subject and ``as_of``."""
    book = load_book(None, REPO / "tests/packs")
    facts = MemoryFacts()
    for n, (subject, kind) in enumerate([(RIC, "minor"), (USCC, "serious"), (RIC, "serious")]):
        day = dt.date(2020, 3, 1) + dt.timedelta(days=40 * n)
        history = (StatusChange("revoked", day + dt.timedelta(days=400)),) if n == 2 else ()
        fields = {"kind": kind}
        facts.add_record(
            Record(f"r{n}", subject, "ex.case", "ex-agency", f"d{n}", day, fields, history)
        )
    index = DecisionIndex.build(book, facts, START, END)
    for subject in (RIC, USCC):
        days = [
            *days_around(index, facts, subject),
            dt.date(2020, 5, 31),
            dt.date(2020, 6, 1),
        ]
        assert assert_same(index, facts, subject, days, explain=True) > 0
    assert index.effect(RIC, "stay_star_hotel", dt.date(2020, 6, 1)) == "deny"


def test_an_uncovered_day_is_answered_by_the_engine(
    nation: MemoryFacts, nation_index: DecisionIndex
) -> None:
    subject = next(s for s in population(nation) if nation_index.table.row(s) >= 0)
    for day in (START - ONE, END, dt.date(2090, 1, 1)):
        for action in ("buy_flight_ticket", "stay_star_hotel"):
            got = nation_index.decide(subject, action, day)
            want = Engine(nation_index.book).decide(nation, subject, action, day)
            assert got.source == "engine" and got.valid is None
            assert got.decision is not None and got.decision.as_dict() == want.as_dict()
            assert got.as_dict()["source"] == "engine"
    inside = nation_index.decide(subject, "buy_flight_ticket", START, explain=False)
    assert inside.source == "index" and inside.as_dict()["source"] == "index"


def test_the_index_imports_no_store_service_or_interface() -> None:
    """DESIGN.md 4: interfaces -> services -> (core, store, batch, index, io)."""
    outside = ("socialcredit.store", "socialcredit.services", "socialcredit.api")
    outside += ("socialcredit.web", "socialcredit.cli", "sqlalchemy", "fastapi")
    for path in (REPO / "src/socialcredit/index").glob("*.py"):
        found = imported(path.read_text(encoding="utf-8"), path)
        bad = {m for m in found if m.startswith(outside)}
        assert not bad, f"{path.name} imports {sorted(bad)}"


def test_bad_questions_are_refused(nation_index: DecisionIndex) -> None:
    with pytest.raises(UnknownAction, match="fly_to_the_moon"):
        nation_index.decide(RIC, "fly_to_the_moon", START)
    with pytest.raises(UnknownAction):
        nation_index.decide_many([RIC], ["fly_to_the_moon"], START)
    with pytest.raises(ValueError, match="2 actions for 1 subjects"):
        nation_index.decide_many([RIC], ["buy_flight_ticket"] * 2, START)
    with pytest.raises(ValueError, match="cover some days"):
        DecisionIndex.build(nation_index.book, MemoryFacts(), END, START)


def test_an_explanation_reaches_a_person_through_a_role_he_has_left() -> None:
    """cn-enterprise-credit/25: the bar (role_held: at_start) reaches the representative who
    resigned the day after the listing; the explanation re-derives it through his ended role,
    as the engine does, instead of dropping roles not held on the day asked."""
    scenario = read_scenario(next((REPO / "packs/cn-enterprise-credit/scenarios").glob("25-*")))
    book = load_book(scenario.packs, REPO / "packs")
    facts = build_facts(book, scenario)
    index = DecisionIndex.build(book, facts, START, END)
    got = index.decide("310101196203150415", "serve_as_legal_representative", dt.date(2020, 7, 4))
    assert got.effect == "deny" and got.decision is not None
    assert got.decision.as_dict()["effect"] == "deny"
    assert got.decision.as_dict()["until"] == "2023-07-03"
