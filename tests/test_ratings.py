"""Ratings: bands, windows, direct grades (with the score), caps and contagion."""

from __future__ import annotations

import datetime as dt

import pytest

from socialcredit.core.engine import Engine
from socialcredit.core.facts import MemoryFacts, Record, Relation
from socialcredit.core.pack.load import load_rulebook
from tests.conftest import REPO

ORG, OTHER, PERSON = "91350100M000100Y43", "91110000600037341L", "11010519491231002X"
AS_OF = dt.date(2024, 6, 1)


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine(load_rulebook([REPO / "tests/packs/example-rating"]))


def finding(
    n: int, on: dt.date, serious: bool = False, new: bool = False, org: str = ORG
) -> Record:
    fields = {"serious": serious, "new_entity": new}
    return Record(f"f{n}-{org}", org, "ex.finding", "ex-agency", f"d{n}", on, fields)


def grade(engine: Engine, facts: MemoryFacts, org: str = ORG, as_of: dt.date = AS_OF) -> str:
    _, ratings = engine.triggers(facts, org, as_of)
    return next(r.grade for r in ratings if r.rating_id == "ex-grade")


def test_score_bands_and_window(engine: Engine) -> None:
    facts = MemoryFacts()
    assert grade(engine, facts) == "A"
    facts.extend([finding(1, dt.date(2024, 1, 1))])
    assert grade(engine, facts) == "B"  # 100 - 15 = 85
    facts.extend([finding(2, dt.date(2023, 6, 1))])  # exactly one year before: outside
    assert grade(engine, facts) == "B"
    facts.extend([finding(3, dt.date(2023, 6, 2)), finding(4, dt.date(2024, 5, 1))])
    assert grade(engine, facts) == "C"  # 100 - 45 = 55


def test_direct_grade_window_and_cap_after_it(engine: Engine) -> None:
    facts = MemoryFacts()
    facts.extend([finding(1, dt.date(2022, 6, 2), serious=True)])
    assert grade(engine, facts, as_of=dt.date(2024, 6, 1)) == "D"  # within two years
    assert grade(engine, facts, as_of=dt.date(2024, 6, 2)) == "B"  # no A in the third year
    assert grade(engine, facts, as_of=dt.date(2025, 6, 2)) == "A"


def test_direct_grade_may_use_the_score(engine: Engine) -> None:
    facts = MemoryFacts()
    facts.extend([finding(1, dt.date(2024, 1, 1), new=True)])  # score 85
    assert grade(engine, facts) == "M"
    facts.extend([finding(2, dt.date(2024, 2, 1)), finding(3, dt.date(2024, 3, 1))])  # 55
    assert grade(engine, facts) == "C"


def test_contagion_through_a_shared_legal_representative(engine: Engine) -> None:
    facts = MemoryFacts()
    facts.extend([finding(1, dt.date(2024, 1, 1), serious=True, org=OTHER)])
    facts.add_relation(Relation(OTHER, "legal_representative", PERSON, dt.date(2020, 1, 1)))
    assert grade(engine, facts) == "A"
    facts.add_relation(Relation(ORG, "legal_representative", PERSON, dt.date(2024, 3, 1)))
    _, ratings = engine.triggers(facts, ORG, AS_OF)
    assert ratings[0].grade == "D" and ratings[0].rating_id == "ex-grade"
    assert ratings[0].contagion_from == ("same-representative", OTHER, PERSON)
    assert grade(engine, facts, as_of=dt.date(2024, 2, 1)) == "A"  # before he took the post


def test_only_eligible_subjects_are_rated(engine: Engine) -> None:
    facts = MemoryFacts()
    _, ratings = engine.triggers(facts, ORG, AS_OF)
    assert [r.rating_id for r in ratings] == ["ex-grade"]
    facts.extend([finding(1, dt.date(2024, 1, 1))])
    _, ratings = engine.triggers(facts, ORG, AS_OF)
    assert sorted(r.rating_id for r in ratings) == ["ex-evaluated", "ex-grade"]
