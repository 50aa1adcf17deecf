"""Every scenario file of every pack passes, and the runner reports a wrong expectation.

Scenario files are the tests of the packs (DESIGN.md section 6): each states a small world
(subjects, relations, records) and what the engine must make of it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml

from socialcredit.core.pack.model import Rulebook
from socialcredit.core.scenarios import read_scenario, run_scenario
from socialcredit.services.packs.rulebook import load_book

PACKS = Path(__file__).resolve().parents[1] / "packs"
SCENARIOS = sorted(PACKS.glob("*/scenarios/*.yaml"))
FIRST_SCENARIO = PACKS / "cn-judgment-defaulters" / "scenarios" / "01-evades-listed-two-years.yaml"


def rulebook(pack_ids: tuple[str, ...]) -> Rulebook:
    """The named packs and every pack they require, loaded together (cached)."""
    return load_book(pack_ids, PACKS)


def failures_of(file: Path) -> list[str]:
    scenario = read_scenario(file)
    return run_scenario(rulebook(scenario.packs), scenario)


def test_there_are_scenarios() -> None:
    assert len(SCENARIOS) >= 17


def unknown_names(file: Path) -> list[str]:
    """Lists and ratings an expectation names that no loaded pack defines.

    The runner passes ``absent`` for a misspelt list (nobody is on a list that does not
    exist), so the names are checked here.
    """
    scenario = read_scenario(file)
    book = rulebook(scenario.packs)
    expect = scenario.data["expect"] or {}
    unknown = [
        f"list {item['list']!r}"
        for kind in ("lists", "absent")
        for item in expect.get(kind) or []
        if item["list"] not in book.lists
    ]
    unknown += [
        f"rating {item['rating']!r}"
        for item in expect.get("ratings") or []
        if item["rating"] not in book.ratings
    ]
    return unknown


@pytest.mark.parametrize(
    "file", SCENARIOS, ids=[f"{f.parent.parent.name}/{f.name}" for f in SCENARIOS]
)
def test_scenario_passes(file: Path) -> None:
    assert not unknown_names(file), f"{file.name} names no such {unknown_names(file)}"
    failures = failures_of(file)
    assert not failures, f"{file.name}:\n" + "\n".join(f"  - {f}" for f in failures)


def _edit(data: dict[str, Any], how: str) -> None:
    expect = data["expect"]
    if how == "effect":
        flight = next(d for d in expect["decisions"] if d["effect"] == "deny")
        flight["effect"] = "allow"
    elif how == "until":
        expect["lists"][0]["until"] = dt.date(2021, 1, 10)
    elif how == "absent":
        listed = expect["lists"][0]
        expect["absent"] = [{"subject": listed["subject"], "list": listed["list"]}]


@pytest.mark.parametrize(
    ("how", "reported"),
    [
        ("effect", "buy_flight_ticket: expected allow, got deny (no-flights)"),
        ("until", "expected listed until 2021-01-10, got 2020-01-10"),
        ("absent", "expected not on dishonest-judgment-debtors, but listed"),
    ],
)
def test_a_wrong_expectation_is_reported(tmp_path: Path, how: str, reported: str) -> None:
    data = yaml.safe_load(FIRST_SCENARIO.read_text(encoding="utf-8"))
    assert not failures_of(FIRST_SCENARIO), "the scenario copied must pass unchanged"
    _edit(data, how)
    wrong = tmp_path / FIRST_SCENARIO.name
    wrong.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")

    failures = failures_of(wrong)

    assert len(failures) == 1, failures
    assert reported in failures[0]


def test_a_misspelt_list_is_caught(tmp_path: Path) -> None:
    data = yaml.safe_load(FIRST_SCENARIO.read_text(encoding="utf-8"))
    data["expect"]["absent"] = [
        {"subject": data["expect"]["lists"][0]["subject"], "list": "dishonest-judgement-debtors"}
    ]
    wrong = tmp_path / FIRST_SCENARIO.name
    wrong.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")

    assert unknown_names(wrong) == ["list 'dishonest-judgement-debtors'"]


def test_a_rated_subject_fails_an_unrated_expectation(tmp_path: Path) -> None:
    rated = PACKS / "cn-rongcheng-points/scenarios/03-exactly-960-points-is-grade-a.yaml"
    data = yaml.safe_load(rated.read_text(encoding="utf-8"))
    graded = data["expect"]["ratings"][0]
    data["expect"] = {"unrated": [{"subject": graded["subject"], "rating": graded["rating"]}]}
    wrong = tmp_path / rated.name
    wrong.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")

    assert failures_of(wrong) == [
        f"unrated: {graded['subject']} on {data['as_of']}: expected not rated, but graded A"
    ]
