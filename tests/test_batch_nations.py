"""Random nations: the reference engine and the compiled plan on DuckDB label them alike.

Hypothesis builds small nations out of the packs' own scenario worlds: records of those
worlds (their fields are valid and sit near the rules' thresholds) given to other subjects
of the same kind, their decision dates moved by amounts that cross every threshold (a day,
a year, month ends, 29 February), random status histories, random relations between the
organisations and persons, and a random date to label on. Both engines label the nation and
must give the same entries, ratings, measures and decisions (``batch/compare.py``); a
disagreement fails with the smallest nation Hypothesis finds. ``test_a_broken_compiler_is_
caught`` shows that the comparison catches a compiler that is wrong by one comparison.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from sqlglot import exp

from socialcredit.batch import plan as plan_module
from socialcredit.batch.compare import canonical, decisions
from socialcredit.batch.duck import DuckDBBackend
from socialcredit.core.catalog import FieldType
from socialcredit.core.facts import STATUSES, MemoryFacts
from socialcredit.core.identifiers import parse_id
from socialcredit.core.pack.model import Rulebook
from socialcredit.core.rules.functions import Interval, add_interval
from socialcredit.core.scenarios import Scenario, ScenarioError, build_facts, read_scenario
from socialcredit.services.labelling.run import label_facts
from socialcredit.services.packs.rulebook import load_book

PACKS = Path(__file__).resolve().parents[1] / "packs"
# Pack sets labelled together in the scenarios, each with its world of templates.
GROUPS = {
    "tax": ("cn-tax-credit", "cn-registration"),
    "judgment": ("cn-judgment-defaulters", "cn-consumption-restrictions"),
    "sanctions": ("cn-joint-sanctions",),
    "enterprise": ("cn-enterprise-credit",),
    "points": ("cn-rongcheng-points",),
    "repair": ("cn-credit-repair",),
    "far": ("us-far-9-4-exclusions",),
    "mdb": ("mdb-cross-debarment",),
    "edes": ("eu-edes",),
}
SHIFTS = [0, 1, -1, 2, -2, 29, -29, 30, -30, 31, -31, 365, -365, 366, -366, 730, -730, 1826]
ROLES = (
    "legal_representative",
    "principal",
    "actual_controller",
    "directly_responsible_person",
    "shareholder",
)


@dataclasses.dataclass(frozen=True)
class World:
    """The templates of a pack group: its scenarios' records, subjects and dates."""

    packs: tuple[str, ...]
    records: tuple[dict[str, Any], ...]
    people: tuple[str, ...]
    orgs: tuple[str, ...]
    days: tuple[dt.date, ...]


@cache
def world(group: str) -> World:
    packs = GROUPS[group]
    records: list[dict[str, Any]] = []
    codes: set[str] = set()
    days: set[dt.date] = set()
    for file in sorted(PACKS.glob("*/scenarios/*.yaml")):
        scenario = read_scenario(file)
        if not set(scenario.packs) <= set(packs):
            continue
        days.add(scenario.as_of)
        records += scenario.data.get("records") or []
        codes |= {str(s["id"]) for s in scenario.data.get("subjects") or []}
        codes |= {str(r["subject"]) for r in scenario.data.get("records") or []}
        for relation in scenario.data.get("relations") or []:
            codes |= {str(relation["from"]), str(relation["to"])}
    kinds = {code: parse_id(code).kind for code in codes}
    return World(
        packs,
        tuple(records),
        tuple(sorted(c for c, k in kinds.items() if k == "person")),
        tuple(sorted(c for c, k in kinds.items() if k == "organisation")),
        tuple(sorted(days)),
    )


@cache
def book_of(group: str) -> Rulebook:
    return load_book(GROUPS[group], PACKS)


def shifted(day: dt.date, shift: int, months: int) -> dt.date:
    """``day`` moved by whole months (month ends, 29 February) and then by days."""
    return add_interval(day, Interval(months=months)) + dt.timedelta(days=shift)


shifts = st.sampled_from(SHIFTS) | st.integers(-800, 800)
months = st.sampled_from([0, 0, 0, 1, -1, 12, -12, 24, -24])


def _some(codes: tuple[str, ...]) -> st.SearchStrategy[list[str]]:
    if not codes:
        return st.just([])
    return st.lists(st.sampled_from(codes), min_size=1, max_size=4, unique=True)


def _value_like(kind: FieldType, value: Any) -> st.SearchStrategy[Any]:
    """The template's value, or another of its type near it (thresholds, other choices)."""
    same = st.just(value)
    if kind.base == "bool":
        other: st.SearchStrategy[Any] = st.booleans()
    elif kind.choices:
        other = st.sampled_from(kind.choices)
    elif kind.base in ("int", "money", "decimal") and isinstance(value, int | float):
        other = st.sampled_from([value + 1, value - 1, 0, value * 2, value // 2])
    elif kind.base == "date" and isinstance(value, dt.date):
        other = st.sampled_from(SHIFTS).map(lambda d: value + dt.timedelta(days=d))
    else:
        return same
    if kind.optional:
        other = other | st.none()
    return st.one_of(same, same, other)


def fields_like(group: str, template: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    types = book_of(group).categories[template["category"]][2]
    given_fields = template.get("fields") or {}
    return st.fixed_dictionaries(
        {name: _value_like(types[name], v) for name, v in given_fields.items() if name in types}
    )


@st.composite
def nations(draw: st.DrawFn, group: str) -> Scenario:
    """A nation of a few subjects built from the group's templates."""
    w = world(group)
    people = draw(_some(w.people))
    orgs = draw(_some(w.orgs))
    pool = {"person": people, "organisation": orgs}
    records = []
    for template in draw(st.lists(st.sampled_from(w.records), min_size=1, max_size=7)):
        kind = parse_id(str(template["subject"])).kind
        if not pool[kind]:
            continue
        decided = shifted(template["decided_on"], draw(shifts), draw(months))
        row = {**template, "subject": draw(st.sampled_from(pool[kind])), "decided_on": decided}
        row["fields"] = draw(fields_like(group, template))
        history = [
            {"status": draw(st.sampled_from(STATUSES[1:])), "date": decided + dt.timedelta(d)}
            for d in draw(st.lists(st.sampled_from([0, 1, 30, 365, 400, 800]), max_size=2))
        ]
        row["history"] = history
        records.append(row)
    relations = []
    if orgs and w.people:
        for _ in range(draw(st.integers(0, 4))):
            since = draw(st.none() | st.sampled_from(w.days).map(lambda d: d))
            if since is not None:
                since = shifted(since, draw(shifts), draw(months))
            relations.append(
                {
                    "from": draw(st.sampled_from(orgs)),
                    "role": draw(st.sampled_from(ROLES)),
                    "to": draw(st.sampled_from(people or w.people)),
                    "since": since,
                }
            )
    as_of = shifted(draw(st.sampled_from(w.days)), draw(shifts), draw(months))
    data = {"subjects": [], "records": records, "relations": relations}
    return Scenario(Path(f"random-{group}.yaml"), "random nation", w.packs, as_of, data)


def label_both(group: str, nation: Scenario) -> tuple[dict[str, Any], dict[str, Any]]:
    """What each engine finds, in comparable form: (python, duckdb)."""
    book = book_of(group)
    try:
        facts = build_facts(book, nation)
    except ScenarioError:  # a template moved out of its category's rules (say, a date)
        return {}, {}
    day = nation.as_of
    python = label_facts(book, facts, day)
    output = DuckDBBackend(book, threads=1).load_facts(facts).run(day)
    duck = (output.entries, output.ratings)
    asked = _asked(book, facts)
    expected = {**canonical(book, facts, python, day), "subjects": len(facts.records)}
    got = {**canonical(book, facts, duck, day), "subjects": output.subjects}
    expected["decisions"] = decisions(book, facts, python, day, asked)
    got["decisions"] = decisions(book, facts, duck, day, asked)
    return expected, got


def _asked(book: Rulebook, facts: MemoryFacts) -> list[tuple[str, str]]:
    subjects = sorted({*facts.subjects, *facts.records, *facts.officers, *facts.relations})
    return [(s, a) for s in subjects for a in sorted(book.actions)]


SETTINGS = settings(
    max_examples=8,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@pytest.mark.parametrize("group", sorted(GROUPS))
def test_random_nations_agree(group: str) -> None:
    @SETTINGS
    @given(nations(group))
    def check(nation: Scenario) -> None:
        expected, got = label_both(group, nation)
        assert got == expected

    check()


def test_a_broken_compiler_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    """A compiler that forgets the lists' removal triggers (a debt performed, a case
    revoked...) keeps entries the reference engine removes, and the comparison finds a random
    nation that shows it."""
    original = plan_module._removal

    def without_removals(inner: exp.Select, ids: list[str]) -> exp.Expr:
        return original(inner, [])

    monkeypatch.setattr(plan_module, "_removal", without_removals)
    differ: list[Scenario] = []

    @settings(SETTINGS, max_examples=40, database=None, phases=[Phase.generate])
    @given(nations("judgment"))
    def check(nation: Scenario) -> None:
        expected, got = label_both("judgment", nation)
        if got != expected:
            differ.append(nation)
        assert got == expected

    with pytest.raises(AssertionError):
        check()
    assert differ, "the broken compiler went unnoticed"
