"""The facts an explanation reads are kept between answers (``IndexHolder.reader``) only
while no change has been caught up with since the answer began: a write by another process
is explained from fresh facts once caught up with, and a read that raced with a catch-up is
not kept."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import Engine

from socialcredit.core.access import Principal
from socialcredit.core.pack.model import Rulebook
from socialcredit.services.context import Context
from socialcredit.services.decisions.answer import Question, answer
from socialcredit.services.decisions.holder import holder_for
from socialcredit.services.records.ingest import ingest_file
from tests.conftest import RIC
from tests.test_ingest import case, write

AUDITOR = Principal("a", "auditor", "auditor")
ASKED = Question(RIC, "buy_flight_ticket", dt.date(2018, 6, 1))


def test_a_read_older_than_a_caught_up_change_is_not_kept(
    tmp_path: Path, store: Engine, book: Rulebook
) -> None:
    ingest_file(store, book, write(tmp_path, "c.csv", case()), "court")
    holder = holder_for(store, book)
    before = holder.generation
    holder.refresh()  # another thread catches up with a change meanwhile
    with store.connect() as db:
        holder.reader(db, before)(RIC)
        assert RIC not in holder._facts
        holder.reader(db, holder.generation)(RIC)
        assert RIC in holder._facts


def test_an_explanation_follows_a_write_made_behind_the_holders_back(
    tmp_path: Path, store: Engine, book: Rulebook
) -> None:
    ctx = Context(store, book)
    ingest_file(store, book, write(tmp_path, "a.csv", case()), "court")
    answer(ctx, AUDITOR, ASKED)  # catches up with the ingest: its read is not kept
    first = answer(ctx, AUDITOR, ASKED)
    assert RIC in holder_for(store, book)._facts  # kept for the next explanation
    # a second case, ingested as another process would: no refresh of this process's index
    second = case(doc="(2018)京01执2号", decided="2018-02-10")
    ingest_file(store, book, write(tmp_path, "b.csv", second), "court")
    found = answer(ctx, AUDITOR, ASKED)
    docs = {r["doc_no"] for s in found["reasons"][0]["sources"] for r in s["trigger"]["records"]}
    assert "(2018)京01执2号" in docs and first["reasons"] != found["reasons"]
