"""Keeping the index fresh: after a new record, a status change and a correction, ``update``
re-sweeps the subjects they reach and every answer is again the engine's; ``compact`` and a
fresh build agree. Also: the probe's change days, and the rules the index refuses."""

from __future__ import annotations

import dataclasses
import datetime as dt
import operator
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from socialcredit.core.facts import MemoryFacts, Record, StatusChange
from socialcredit.core.pack.load import load_rulebook
from socialcredit.core.pack.model import Rulebook
from socialcredit.core.records import read_row
from socialcredit.index import DecisionIndex, UntrackedDateUse
from socialcredit.index.build import population
from socialcredit.index.probe import Probe
from tests.conftest import REPO
from tests.test_engine_properties import BOOK, World, worlds
from tests.test_index import END, ONE, START, assert_same, days_around, nation_facts

CASE = "court.enforcement_case"
ACTIONS = ("buy_flight_ticket", "serve_as_legal_representative", "bid_public_procurement")


def copy(facts: MemoryFacts) -> MemoryFacts:
    """Facts that can change without changing ``facts``."""
    return MemoryFacts(
        dict(facts.subjects),
        defaultdict(list, {k: list(v) for k, v in facts.records.items()}),
        defaultdict(list, {k: list(v) for k, v in facts.relations.items()}),
        defaultdict(list, {k: list(v) for k, v in facts.officers.items()}),
    )


def new_case(book: Rulebook, subject: str, day: dt.date, **fields: Any) -> Record:
    row = {
        "subject": subject,
        "category": CASE,
        "agency": "court",
        "doc_no": f"(2021) Jing 01 Zhi {subject[-6:]}",
        "decided_on": day,
        "fields": {
            "amount_due": 50_000,
            "ground": "evades",
            "aggravated": False,
            "security_sufficient": False,
            "seized_assets_sufficient": False,
            "later_in_order": False,
            **fields,
        },
    }
    return read_row(book, row).record


def replace_record(facts: MemoryFacts, record: Record) -> None:
    mine = facts.records[record.subject]
    mine[[r.id for r in mine].index(record.id)] = record


@pytest.fixture()
def nation(tmp_path: Path, book: Rulebook) -> tuple[MemoryFacts, DecisionIndex]:
    facts = nation_facts(tmp_path, book, persons=120, orgs=30)
    return facts, DecisionIndex.build(book, facts, START, END)


def assert_fresh(index: DecisionIndex, facts: MemoryFacts, subjects: set[str]) -> None:
    for subject in sorted(subjects):
        assert_same(index, facts, subject, days_around(index, facts, subject), explain=False)


def test_a_new_record_reaches_the_organisation_and_its_officers(
    nation: tuple[MemoryFacts, DecisionIndex], book: Rulebook
) -> None:
    facts, index = nation
    day = dt.date(2021, 3, 10)
    later = day + dt.timedelta(days=5)
    org = next(
        o
        for o, officers in sorted(facts.officers.items())
        if officers and index.effect(o, "bid_public_procurement", later) == "allow"
    )
    person = facts.officers_of(org)[0].person
    after = copy(facts)
    after.add_record(new_case(book, org, day))
    touched = index.update([org], after)
    assert {org, person} <= touched
    assert index.effect(org, "bid_public_procurement", later) != "allow"
    assert_fresh(index, after, touched)
    assert_fresh(index, after, set(population(after)[:40]))
    asked = [(s, a, d) for s in sorted(touched) for a in ACTIONS for d in (START - ONE, later)]
    subjects, actions, days = (list(column) for column in zip(*asked, strict=True))
    batch = index.decide_many(subjects, actions, days)
    assert batch.names() == [index.effect(*question) for question in asked]
    assert batch.from_index.tolist() == [d == later for _, _, d in asked]


def test_a_status_change_and_a_correction_lift_what_they_lift(
    nation: tuple[MemoryFacts, DecisionIndex], book: Rulebook
) -> None:
    facts, index = nation
    cases = {
        s: [r for r in facts.records_of(s) if r.category == CASE and not r.history]
        for s in population(facts)
        if index.table.row(s) >= 0
    }
    listed = [s for s, found in cases.items() if found]
    performed, corrected = listed[0], listed[1]
    after = copy(facts)
    case = cases[performed][0]
    paid_on = case.decided_on + dt.timedelta(days=90)
    replace_record(after, dataclasses.replace(case, history=(StatusChange("performed", paid_on),)))
    wrong = cases[corrected][0]
    fields = {**wrong.fields, "security_sufficient": True}
    history = (*wrong.history, StatusChange("corrected", wrong.decided_on))
    replace_record(after, dataclasses.replace(wrong, fields=fields, history=history))
    before = {s: index.intervals(s, "buy_flight_ticket") for s in (performed, corrected)}
    touched = index.update([performed, corrected], after)
    for subject, intervals in before.items():
        assert index.intervals(subject, "buy_flight_ticket") != intervals, subject
    assert_fresh(index, after, touched | set(listed[:20]))
    rebuilt = DecisionIndex.build(book, after, START, END)
    for compacted in (False, True):
        if compacted:
            index.compact()
        for subject in population(after):
            for action in ACTIONS:
                assert index.intervals(subject, action) == rebuilt.intervals(subject, action)


@settings(max_examples=60, deadline=None)
@given(world=worlds(), data=st.data())
def test_generated_worlds_built_and_updated_answer_as_the_engine(
    world: World, data: st.DataObject
) -> None:
    first, start, end = world.facts(world.records[:-1]), dt.date(2015, 1, 1), dt.date(2031, 1, 1)
    index = DecisionIndex.build(BOOK, first, start, end)
    facts = world.facts()
    if world.records:
        index.update([world.records[-1].subject], facts)
    for subject in world.ids:
        day = data.draw(st.dates(start, end - dt.timedelta(days=1)))
        assert_same(index, facts, subject, [*days_around(index, facts, subject), day], explain=True)


COMPARISONS: list[tuple[str, Callable[[Any, Any], bool]]] = [
    ("<", operator.lt),
    ("<=", operator.le),
    (">", operator.gt),
    (">=", operator.ge),
]


@pytest.mark.parametrize(("name", "compare"), COMPARISONS)
def test_the_probe_notes_the_first_day_a_comparison_flips(
    name: str, compare: Callable[[Any, Any], bool]
) -> None:
    base, other = dt.date(2020, 1, 10), dt.date(2020, 1, 12)
    for offset in range(5):
        day = base + dt.timedelta(days=offset)
        for probe_left in (True, False):
            probe = Probe.on(day)
            outcome = _ask(compare, probe_left, probe, other)
            (flip,) = probe.flips
            later = [day + dt.timedelta(days=n) for n in range(6)]
            changed = next(
                (d.toordinal() for d in later if _ask(compare, probe_left, d, other) != outcome),
                None,
            )
            assert flip == changed or (changed is None and flip <= day.toordinal()), name


def _ask(
    compare: Callable[[Any, Any], bool], probe_left: bool, day: dt.date, other: dt.date
) -> bool:
    return compare(day, other) if probe_left else compare(other, day)


def test_a_rule_doing_arithmetic_on_the_date_is_refused(tmp_path: Path) -> None:
    source = REPO / "tests/packs/example-measures/pack.yaml"
    folder = tmp_path / "example-measures"
    folder.mkdir()
    text = source.read_text(encoding="utf-8")
    assert "as_of >= date('2020-06-01')" in text
    text = text.replace("as_of >= date('2020-06-01')", "as_of - days(1) >= date('2020-05-31')")
    (folder / "pack.yaml").write_text(text, encoding="utf-8")
    book = load_rulebook([folder])
    with pytest.raises(UntrackedDateUse, match=r"as_of - days\(1\)"):
        DecisionIndex.build(book, MemoryFacts(), START, END)
