"""Every auditor metric on hand-made packs whose answers were worked out by hand.

tests/auditor_packs/tiny-base: a blacklist (open-ended for 'refuses', 2 years for 'evades')
with three measures: no-flights (deny, travel, policy document, also the legal
representative), no-loans (restrict, finance, law, lasts 1 year), watch (scrutinise,
judicial, policy document); a redlist whose reward on loans conflicts with no-loans.
tests/auditor_packs/tiny-rated: a rating (D below 90 points, a 1000-yuan fine costs 20) whose
D denies subsidies and whose A rewards them, with contagion through a legal representative.
"""

from __future__ import annotations

import pytest

from socialcredit.core.auditor import Audit, load_scales
from socialcredit.core.auditor.cases import ORGANISATION, enumerate_cases, subjects_for
from socialcredit.core.auditor.witness import find_witness
from socialcredit.core.pack.load import load_rulebook
from socialcredit.core.pack.schema import Trigger
from tests.auditor_helpers import DAY, TINY, audit_tiny, metrics


@pytest.fixture(scope="module")
def result() -> Audit:
    return audit_tiny()


def test_legality_counts_levels_and_flags_the_policy_document_behind_a_denial(
    result: Audit,
) -> None:
    legality = metrics(result, "tiny-base")["legality"]
    assert legality["by_level"]["measures"]["levels"] == {"law": 1, "policy_document": 3}
    assert legality["by_level"]["lists"]["levels"] == {"law": 1, "policy_document": 1}
    # no-flights (deny) rests on policy-y: below CN's table. watch (scrutinise) is not
    # rights-reducing, the redlist is not a blacklist, no-loans rests on a law.
    [finding] = legality["below_required"]
    assert finding["item"] == "tiny-memo" and "(no-flights)" in finding["text"]
    assert metrics(result, "tiny-rated")["legality"]["table"] is None  # XX: unchecked


def test_amplification_counts_measures_agencies_and_actions_per_listing(result: Audit) -> None:
    rows = {r["trigger"]: r for r in metrics(result, "tiny-base")["amplification"]}
    blacklist = rows["tiny-blacklist"]
    assert (blacklist["measures"], blacklist["rights_reducing"], blacklist["actions"]) == (3, 2, 3)
    assert blacklist["agencies"] == ["bank-regulator", "caac", "mof"]
    assert rows["tiny-redlist"]["measures"] == 1


def test_spillover_is_two_of_three_measures(result: Audit) -> None:
    spillover = metrics(result, "tiny-base")["spillover"]
    assert (spillover["measures"], spillover["spillover"]) == (3, 2)  # the reward is left out
    assert spillover["share"] == pytest.approx(2 / 3)
    flagged = {r["measure"] for r in spillover["rows"] if r["spillover"]}
    assert flagged == {"tiny-memo/no-flights", "tiny-memo/no-loans"}
    assert metrics(result, "tiny-rated")["spillover"]["share"] == 1.0  # business after tax


def test_proportionality_ratios_by_hand(result: Audit) -> None:
    rows = {r["measure"]: r for r in metrics(result, "tiny-base")["proportionality"]}
    # deny 3 x 10 open-ended years / judicial gravity 3
    assert rows["tiny-memo/no-flights"]["ratio"] == 10
    # scrutinise 1 x 10 / 3
    assert rows["tiny-memo/watch"]["ratio"] == pytest.approx(3.33)
    # restrict 2 x its own 1 year / 3
    assert rows["tiny-memo/no-loans"]["ratio"] == pytest.approx(0.67)
    assert rows["tiny-memo/no-loans"]["years_from"] == "lasts 1 years"
    assert "tiny-rewards/easy-loans" not in rows  # a reward has severity 0
    [graded] = metrics(result, "tiny-rated")["proportionality"]
    assert graded["ratio"] == 1.0  # deny 3 x 1 grade year / tax gravity 3
    worst = [f for f in result.findings if f.metric == "proportionality"]
    assert [(f.item, f.as_dict()["severity"]) for f in worst] == [("tiny-memo/no-flights", "high")]


def test_collateral_reach_names_roles_and_basis(result: Audit) -> None:
    [measure] = metrics(result, "tiny-base")["collateral"]
    assert measure["rule"] == "tiny-memo/no-flights"
    assert measure["roles"] == ["legal_representative"]
    assert measure["basis"] == "An invented policy document, item 1"
    [contagion] = metrics(result, "tiny-rated")["collateral"]
    assert (contagion["kind"], contagion["effect"]) == ("contagion", "grade D")


def test_duration_open_ended_cases_publication_maximum_and_retention(result: Audit) -> None:
    rows = {r["list"]: r for r in metrics(result, "tiny-base")["duration"]}
    blacklist = rows["tiny-blacklist"]
    # one person per ground: 'refuses' never ends, 'evades' ends after 2 years (730 days)
    assert (blacklist["cases"], blacklist["listed"], blacklist["open_ended"]) == (2, 2, 1)
    assert blacklist["longest_days"] == 730
    assert rows["tiny-redlist"]["longest_days"] == 365
    texts = [f.text for f in result.findings if f.metric == "duration"]
    assert any("beyond the 3 years" in t for t in texts)
    assert any("kept 5 years, longer than they are published (3 years)" in t for t in texts)
    assert any("without an end in 1 of its 2" in t for t in texts)


def test_due_process_paths_and_deadlines(result: Audit) -> None:
    rows = {r["rule"]: r for r in metrics(result, "tiny-base")["due_process"]}
    assert rows["tiny-blacklist"]["missing"] == ["correction", "repair"]
    assert rows["tiny-blacklist"]["paths"]["objection"][0]["deadline"] == "15 calendar days"
    gaps = [f for f in result.findings if f.metric == "due_process"]
    found = {(f.item, f.as_dict()["severity"]) for f in gaps}
    # the blacklist lacks only correction and repair (medium); the redlist is not judged;
    # the rating has no path at all (high)
    assert found == {("tiny-blacklist", "medium"), ("tiny-grade", "high")}


def test_vagueness_quotes_the_catch_all(result: Audit) -> None:
    [row] = metrics(result, "tiny-base")["vagueness"]
    assert row == {
        "rule": "tiny-blacklist",
        "kind": "listing",
        "wording": "other circumstances the court finds serious",
    }


def test_conflict_found_with_a_witness_and_exclusive_grades_are_not(result: Audit) -> None:
    [conflict] = result.conflicts
    assert conflict.action == "obtain_bank_loan"
    keys = {conflict.first.key, conflict.second.key}
    assert keys == {"tiny-memo/no-loans", "tiny-rewards/easy-loans"}
    assert conflict.effect == "restrict"
    assert conflict.contradictory  # a reward against a sanction: medium
    witness = conflict.scenario
    assert witness["expect"]["decisions"][0]["effect"] == "restrict"
    assert sorted(r["category"] for r in witness["records"]) == ["tiny.debt", "tiny.honour"]
    # tiny-rated's A reward and D denial on subsidies never hold together: no conflict
    assert metrics(result, "tiny-rated")["conflicts"] == []


def test_rating_witness_is_a_fine_of_at_least_1000() -> None:
    book = load_rulebook([TINY / "tiny-rated"])
    [organisation] = subjects_for(["organisation"])
    assert organisation.id == ORGANISATION
    records = find_witness(book, Trigger(rating="tiny-grade", grades=["D"]), organisation, DAY)
    assert records is not None
    assert [r.fields["amount"] for r in records] == [1000]
    assert find_witness(book, Trigger(rating="tiny-grade", grades=["A"]), organisation, DAY) == []


def test_findings_come_worst_first(result: Audit) -> None:
    severities = [f.severity for f in result.findings]
    assert severities == sorted(severities, reverse=True)
    assert result.findings[0].metric == "legality"


def test_boundary_cases_are_the_plain_case_then_each_field_then_the_product() -> None:
    book = load_rulebook([TINY / "tiny-base"])
    read = {"ground": set(), "amount": {99.0, 100.0, 101.0}}  # as read_fields gives "> 100"
    cases = enumerate_cases(book, "tiny.debt", read, DAY)
    # ground: refuses, evades; amount: 0, 99, 100, 101 -> 8 combinations, none sampled
    assert (cases.total, len(cases.rows), cases.sampled) == (8, 8, False)
    assert cases.rows[0] == ("court", {"ground": "refuses", "amount": 0.0})
    sampled = enumerate_cases(book, "tiny.debt", read, DAY, limit=3)
    again = enumerate_cases(book, "tiny.debt", read, DAY, limit=3)
    assert sampled.sampled and sampled.rows == again.rows  # a fixed seed
    assert sampled.rows[:5] == [
        cases.rows[0],
        ("court", {"ground": "evades", "amount": 0.0}),
        ("court", {"ground": "refuses", "amount": 99.0}),
        ("court", {"ground": "refuses", "amount": 100.0}),
        ("court", {"ground": "refuses", "amount": 101.0}),
    ]


@pytest.mark.parametrize(
    ("jurisdiction", "entry"),
    [("CN", "CN"), ("CN-37", "CN-local"), ("US", "US"), ("MDB", "MDB"), ("XX", None)],
)
def test_legality_table_lookup(jurisdiction: str, entry: str | None) -> None:
    found = load_scales().legality_rule(jurisdiction)
    assert (found[0] if found else None) == entry
