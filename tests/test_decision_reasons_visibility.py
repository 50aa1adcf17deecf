"""A decision's reasons disclose nothing the caller may not read (issue 13): an agency key that
may decide an action still gets the decision, and every measure that governs it with its
memorandum and legal basis, but a trigger built from records its scope does not read is
reduced to its kind and name: no grade, score or records of a rating, no record behind a
list entry. The same answers through ``answer`` and ``answer_batch`` (the API, the console
and the command line all go through them)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from socialcredit.core.access import Principal
from socialcredit.core.pack.model import Rulebook
from socialcredit.services.context import Context
from socialcredit.services.decisions.answer import Question, answer, answer_batch
from socialcredit.services.models.decisions import DecisionAnswer
from socialcredit.services.records.ingest import ingest_file
from tests.conftest import RIC
from tests.test_ingest import case, write

ORG = "91110000L30P8774PN"
ASKED = Question(ORG, "obtain_vat_invoices", dt.date(2020, 1, 1))


def _graded_d(tmp_path: Path, store: Engine, book: Rulebook) -> None:
    """An organisation whose only record is a restricted tax deduction of 65 points: D."""
    path = tmp_path / "sta.csv"
    path.write_text(
        "subject,name,category,doc_no,decided_on,points,tax_year\n"
        f"{ORG},Hengda Trading,sta.credit_deduction,D-1,2019-04-15,65,2018\n",
        encoding="utf-8",
    )
    assert ingest_file(store, book, path, "sta").count("accepted") == 1


def _agency(*disclosures: str) -> Principal:
    return Principal(
        "k",
        "agency",
        "bank",
        agency="pbc",
        disclosures=frozenset(disclosures),
        actions=frozenset("*"),
    )


def _triggers(decision: dict[str, Any]) -> list[dict[str, Any]]:
    """Every trigger a decision shows: each reason's and each of its sources'."""
    DecisionAnswer.model_validate(decision)  # holds to the API's model
    return [
        trigger
        for reason in decision["reasons"]
        for trigger in (reason["trigger"], *(s["trigger"] for s in reason["sources"]))
    ]


def test_a_grade_the_caller_may_not_read_is_not_in_the_reasons(
    tmp_path: Path, store: Engine, book: Rulebook
) -> None:
    _graded_d(tmp_path, store, book)
    ctx, scoped = Context(store, book), _agency("public")
    full = answer(ctx, Principal("a", "auditor", "auditor"), ASKED)
    assert [t["grade"] for t in _triggers(full)] == ["D", "D"]  # the reason and its source
    one = answer(ctx, scoped, ASKED)
    (batch,) = answer_batch(ctx, scoped, [ASKED])
    for decision in (one, batch):
        assert decision["effect"] == full["effect"] == "restrict"  # still decided
        assert [r["measure"] for r in decision["reasons"]] == [
            r["measure"] for r in full["reasons"]
        ]
        assert decision["reasons"][0]["memorandum"] == full["reasons"][0]["memorandum"]
        assert decision["reasons"][0]["legal_basis"] == full["reasons"][0]["legal_basis"]
        assert decision["determining"] == full["determining"]
        for trigger in _triggers(decision):
            assert trigger["kind"] == "rating" and trigger["rating"] == "tax-credit"
            assert trigger["withheld"] is True and trigger["title"]
            assert (trigger["grade"], trigger["score"], trigger["records"]) == (None, None, [])
            assert trigger["contributions"] == [] and trigger["after_band"] == []
        text = json.dumps(decision)
        assert "D-1" not in text and "sta.credit_deduction" not in text
    readable = answer(ctx, _agency("public", "shared", "restricted"), ASKED)
    assert readable["reasons"] == full["reasons"]


def test_a_list_entry_keeps_its_list_and_id_but_not_a_record_the_caller_may_not_read(
    tmp_path: Path, store: Engine, book: Rulebook
) -> None:
    assert ingest_file(store, book, write(tmp_path, "c.csv", case()), "court").count("accepted")
    ctx, asked = Context(store, book), Question(RIC, "buy_flight_ticket", dt.date(2018, 6, 1))
    full = answer(ctx, Principal("a", "auditor", "auditor"), asked)
    shown = answer(ctx, _agency("shared"), asked)  # the court's records are public, not shared
    assert shown["effect"] == full["effect"] == "deny"
    record = full["reasons"][0]["trigger"]["records"][0]
    for seen, whole in zip(_triggers(shown), _triggers(full), strict=True):
        assert (seen["list"], seen["entry"], seen["withheld"]) == (
            whole["list"],
            record["id"],
            True,
        )
        assert seen["records"] == [] and seen["reason"] is None and seen["public"] is None
    assert record["doc_no"] not in json.dumps(shown)
    assert all("withheld" not in t for t in _triggers(full))  # as the engine explains
