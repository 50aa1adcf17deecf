"""What-if variants: the parameter override hook of load_rulebook, version pins, the
variant syntax, and results that move in the expected direction."""

from __future__ import annotations

import datetime as dt

import pytest

from socialcredit.core.engine.lists import entries_for
from socialcredit.core.errors import PackError
from socialcredit.core.facts import Record, Subject
from socialcredit.core.pack.load import load_rulebook
from socialcredit.services.packs.rulebook import with_requirements
from socialcredit.sim.rates import load_rates
from socialcredit.sim.run import SimConfig, run_simulation
from socialcredit.sim.whatif import parse_variant, pin_version, variant_book

DEBTORS = "cn-judgment-defaulters"
PENALTIES = "publicised-administrative-penalties"


def test_parameter_override_replaces_every_dated_value_and_keeps_the_dates() -> None:
    book = load_rulebook(with_requirements([DEBTORS]), {DEBTORS: {"listing_years": 5}})
    pack = book.packs[DEBTORS]
    assert pack.parameters_on(dt.date(2018, 1, 1))["listing_years"] == 5
    assert pack.parameters_on(dt.date(2016, 1, 1))["listing_years"] is None  # not yet in force
    assert pack.parameters_on(dt.date(2018, 1, 1))["max_extension_years"] == 3  # untouched


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({DEBTORS: {"max_extension_years": 9}}, "outside the range"),
        ({DEBTORS: {"no_such_parameter": 1}}, "no parameter 'no_such_parameter'"),
        ({"cn-tax-credit": {"x": 1}}, "packs not loaded"),
    ],
)
def test_bad_parameter_override_is_a_pack_error(overrides: dict, message: str) -> None:  # type: ignore[type-arg]
    with pytest.raises(PackError, match=message):
        load_rulebook(with_requirements([DEBTORS]), overrides)


def test_longer_listing_parameter_moves_the_entry_end() -> None:
    fields = {
        "ground": "evades",
        "aggravated": False,
        "security_sufficient": False,
        "seized_assets_sufficient": False,
        "later_in_order": False,
    }
    record = Record(
        "r",
        "11010519491231002X",
        "court.enforcement_case",
        "court",
        "d",
        dt.date(2018, 3, 1),
        fields,
    )
    subject = Subject.from_code("11010519491231002X")
    ends = []
    for years in (2, 5):
        book = load_rulebook(with_requirements([DEBTORS]), {DEBTORS: {"listing_years": years}})
        (entry,) = entries_for(book, subject, [record], dt.date(2018, 6, 1))
        ends.append(entry.planned_end)
    assert ends == [dt.date(2020, 3, 1), dt.date(2023, 3, 1)]


def test_version_pin_applies_one_version_to_every_date() -> None:
    spec = f"old=version.{PENALTIES}=2023-05-01"
    book = variant_book(("cn-credit-repair",), parse_variant(spec))
    for day in (dt.date(2020, 1, 1), dt.date(2027, 1, 1)):
        rule = book.list_rule_for(PENALTIES, day)
        assert rule is not None
        assert rule.version.legal_basis.startswith("ndrc-order-58")
    plain = variant_book(("cn-credit-repair",), parse_variant("x=sim.flight_attempt_rate=1"))
    rule = plain.list_rule_for(PENALTIES, dt.date(2027, 1, 1))
    assert rule is not None and rule.version.legal_basis.startswith("ndrc-2026-repair")
    with pytest.raises(ValueError, match="no version"):
        pin_version(plain, PENALTIES, dt.date(2000, 1, 1))
    with pytest.raises(ValueError, match="no list"):
        pin_version(plain, "no-such-list", dt.date(2024, 1, 1))


@pytest.mark.parametrize(
    "spec",
    [
        "noname",
        "=sim.x=1",
        "a=sim.flight_attempt_rate",
        "a=listing_years=3",
        "a=sim.flight_attempt_rate=yes",
        "baseline=sim.x=1",
    ],
)
def test_bad_variant_specs_are_refused(spec: str) -> None:
    with pytest.raises(ValueError):
        parse_variant(spec)


def test_variant_syntax() -> None:
    variant = parse_variant(
        "v=cn-judgment-defaulters.listing_years=3,sim.record_error_rate=0.1,version.x=2023-05-01"
    )
    assert variant.parameters == {DEBTORS: {"listing_years": 3}}
    assert variant.rates == {"record_error_rate": 0.1}
    assert variant.versions == {"x": dt.date(2023, 5, 1)}


def test_without_the_2019_exemption_more_are_listed_under_the_same_conduct() -> None:
    rates = load_rates().with_values({"org_case_rate": 0.2, "person_case_rate": 0.01})
    config = SimConfig(
        2_000,
        400,
        dt.date(2020, 1, 1),
        dt.date(2020, 6, 30),
        3,
        rates,
        variants=(parse_variant("no-exemption=sim.list_legal_representatives=1"),),
    )
    base, other = run_simulation(config)
    listed = [r.stocks.entered["dishonest-judgment-debtors"] for r in (base, other)]
    assert listed[1] > listed[0]
    # the same conduct: penalties and consumption orders are the same in both
    for list_id in ("consumption-restricted-debtors", PENALTIES):
        assert base.stocks.entered[list_id] == other.stocks.entered[list_id]


def test_repair_2023_against_2026_changes_publication_of_unperformed_penalties() -> None:
    """Under the 2026 measures publication continues until the obligations are met; under
    the 2023 trial measures it ends at the maximum period regardless."""
    rates = load_rates().with_values(
        {
            "penalty_org_rate": 1.0,
            "person_case_rate": 0.0,
            "org_case_rate": 0.0,
            "penalty_performed_share": 0.3,
        }
    )
    config = SimConfig(
        500,
        300,
        dt.date(2026, 4, 1),
        dt.date(2027, 12, 31),
        4,
        rates,
        ("cn-credit-repair",),
        variants=(parse_variant(f"repair-2023=version.{PENALTIES}=2023-05-01"),),
    )
    new, old = run_simulation(config)
    assert new.stocks.entered[PENALTIES] > 0
    assert new.stocks.listed[PENALTIES] > old.stocks.listed[PENALTIES]
