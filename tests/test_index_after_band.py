"""The decision index finds the days an ``after_band`` rule changes a grade. The earlier score
is computed on a plain date N years back, so the probe sees none of its comparisons: a record
enters it N years after its date, and leaves it N years after it leaves the window."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from socialcredit.core.facts import MemoryFacts, Record, Subject
from socialcredit.index import DecisionIndex
from socialcredit.services.packs.rulebook import load_book
from tests.conftest import REPO

FIRM = "911100003MPWH2JD1B"
HELD = "years_before: 1\n            when: parameters.score_d_held_two_years\n            grade: D"


def four_years_back(tmp_path: Path) -> Path:
    """cn-tax-credit with the D by score held again four years on (no rating window is four
    years long, so no window exit falls on that anniversary)."""
    folder = tmp_path / "packs"
    shutil.copytree(REPO / "packs", folder)
    pack = folder / "cn-tax-credit" / "pack.yaml"
    text = pack.read_text(encoding="utf-8")
    assert HELD in text
    pack.write_text(text.replace(HELD, HELD.replace("1", "4")), encoding="utf-8")
    return folder


def taxpayer() -> MemoryFacts:
    """A D by score on 2016-06-01 (65 points off), evaluated every year (status on 10 January)."""
    facts = MemoryFacts()
    facts.add_subject(Subject(FIRM, "organisation", "Beijing Ruixin Logistics Co. Ltd."))
    deduction = {"points": 65, "tax_year": 2015, "indicator": "repeated late payment"}
    day = dt.date(2016, 6, 1)
    facts.add_record(Record("d1", FIRM, "sta.credit_deduction", "sta", "d1", day, deduction))
    for year in range(2016, 2023):
        status = {"tax_year": year - 1, "newly_established": False, "no_operating_income": False}
        day, kind = dt.date(year, 1, 10), "sta.credit_evaluation_status"
        facts.add_record(Record(f"s{year}", FIRM, kind, "sta", f"s{year}", day, status))
    return facts


def test_a_grade_from_an_earlier_band_changes_on_its_anniversary(tmp_path: Path) -> None:
    book = load_book(("cn-tax-credit",), four_years_back(tmp_path))
    facts = taxpayer()
    index = DecisionIndex.build(book, facts, dt.date(2015, 1, 1), dt.date(2025, 1, 1))
    grades = set()
    for day in (
        dt.date(2020, 5, 31),
        dt.date(2020, 6, 1),
        dt.date(2021, 5, 31),
        dt.date(2021, 6, 1),
    ):
        state = index.engine.state(facts, FIRM, day)
        grades |= {(day, r.grade) for r in state.ratings}
        for action in sorted(book.actions):
            want = index.engine.decision_from(state, action).effect
            assert index.decide(FIRM, action, day, explain=False).effect == want, (action, day)
    assert (dt.date(2020, 6, 1), "D") in grades and (dt.date(2020, 5, 31), "D") not in grades
