"""Measures with a ``when``: on the triggering record, the target subject and the date."""

from __future__ import annotations

import datetime as dt

import pytest

from socialcredit.core.engine import Engine
from socialcredit.core.errors import PackError
from socialcredit.core.facts import MemoryFacts, Record
from socialcredit.core.pack.load import load_rulebook
from tests.conftest import REPO, RIC, USCC

FOLDER = REPO / "tests/packs/example-measures"


def decide(subject: str, kind: str, action: str, on: dt.date) -> str:
    engine = Engine(load_rulebook([FOLDER]))
    facts = MemoryFacts()
    facts.add_record(
        Record("r", subject, "ex.case", "ex-agency", "d1", dt.date(2020, 3, 1), {"kind": kind})
    )
    return engine.decide(facts, subject, action, on).effect


def test_a_condition_on_the_triggering_record() -> None:
    assert decide(RIC, "serious", "buy_flight_ticket", dt.date(2020, 4, 1)) == "deny"
    assert decide(RIC, "minor", "buy_flight_ticket", dt.date(2020, 4, 1)) == "scrutinise"


def test_a_condition_on_the_target_and_the_date() -> None:
    assert decide(RIC, "minor", "stay_star_hotel", dt.date(2020, 5, 31)) == "allow"
    assert decide(RIC, "minor", "stay_star_hotel", dt.date(2020, 6, 1)) == "deny"
    assert decide(USCC, "minor", "stay_star_hotel", dt.date(2020, 6, 1)) == "allow"


def test_a_condition_naming_an_unknown_field_is_a_pack_error(tmp_path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "example-measures"
    folder.mkdir()
    text = (FOLDER / "pack.yaml").read_text().replace("trigger.kind ==", "trigger.sort ==")
    (folder / "pack.yaml").write_text(text)
    with pytest.raises(PackError, match="trigger has no field 'sort'") as error:
        load_rulebook([folder])
    assert (
        error.value.line
        == text.splitlines().index(
            next(line for line in text.splitlines() if "trigger.sort" in line)
        )
        + 1
    )
