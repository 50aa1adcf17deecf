"""The demo's summary: its collateral example shows a person reached through an organisation
by a measure that governs the example's action."""

from __future__ import annotations

from pathlib import Path

from socialcredit.core.engine import Engine
from socialcredit.core.scenarios import build_facts, read_scenario
from socialcredit.services.demo.summary import summarise
from socialcredit.services.packs.rulebook import load_book

PACKS = Path(__file__).resolve().parents[1] / "packs"
COLLATERAL = "A company's legal representative is reached through the company"


def summary_of(pattern: str) -> tuple[int, dict[str, str]]:
    """The summary of a scenario's facts under the scenario's own packs."""
    scenario = read_scenario(next(PACKS.glob(f"{pattern}-*.yaml")))
    book = load_book(tuple(scenario.packs))
    stats = summarise(Engine(book), build_facts(book, scenario), scenario.as_of)
    return stats.collateral_persons, {title: d.effect for title, d, _ in stats.examples}


def test_a_person_reached_only_in_other_actions_is_counted_but_not_the_example() -> None:
    # a legal representative barred from company posts for three years, who may fly
    reached, examples = summary_of("cn-enterprise-credit/scenarios/11")
    assert reached == 2 and COLLATERAL not in examples  # the principal too


def test_a_person_denied_a_flight_through_his_company_is_the_example() -> None:
    reached, examples = summary_of("cn-joint-sanctions/scenarios/18")
    assert reached == 1 and examples[COLLATERAL] == "deny"
