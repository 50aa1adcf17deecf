"""Decisions are logged before they are answered: sealed at their commit by default, or,
with a background sealer (``SOCIALCREDIT_AUDIT_SEAL_EVERY``), committed to the pending
table before the answer and chained in groups by the sealer. A label run leaves the
decision index caught up with the records it read. SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

from sqlalchemy import Engine, func, select

from socialcredit.core.access import Principal
from socialcredit.core.pack.model import Rulebook
from socialcredit.services.audit_sealer import sealer_running, start_sealer
from socialcredit.services.context import Context
from socialcredit.services.decisions.answer import Question, answer, answer_batch
from socialcredit.services.decisions.holder import holder_for
from socialcredit.services.labelling.audited import run_labelling
from socialcredit.services.records.ingest import ingest_file
from socialcredit.store import tables as t
from socialcredit.store.audit_log import entries, verify_chain
from tests.conftest import RIC, USCC
from tests.test_ingest import HEADER, case

AGENCY = Principal("k", "agency", "court", agency="court", actions=frozenset({"*"}))
ADMIN = Principal("a", "admin", "operator")
DAY = dt.date(2025, 6, 1)


def decided(store: Engine, pending: bool) -> list[dict[str, object]]:
    with store.connect() as db:
        return [e for e in entries(db, pending=pending) if e["action"] == "decide"]


def test_without_a_sealer_a_decision_is_sealed_at_its_commit(store: Engine, book: Rulebook) -> None:
    assert not sealer_running(store)
    answer(Context(store, book), AGENCY, Question(RIC, "buy_flight_ticket", DAY, "counter"))
    [entry] = decided(store, pending=False)
    assert (entry["subject"], entry["purpose"], entry["result"]) == (
        RIC,
        "counter",
        "buy_flight_ticket:allow",
    )


def test_with_a_sealer_decisions_are_pending_before_the_answer_then_chained(
    store: Engine, book: Rulebook
) -> None:
    stop = start_sealer(store, 3600)  # it will not seal during the first checks
    try:
        assert sealer_running(store)
        ctx = Context(store, book)
        answer(ctx, AGENCY, Question(RIC, "buy_flight_ticket", DAY, "counter"))
        questions = [Question(s, "bid_public_procurement", DAY, "screening") for s in (RIC, USCC)]
        answer_batch(ctx, AGENCY, questions * 5)
        with store.connect() as db:  # committed, in order, before the answers came back
            assert db.execute(select(func.count()).select_from(t.audit_pending)).scalar() == 11
        assert decided(store, pending=False) == []
        assert [e["subject"] for e in decided(store, pending=True)] == [RIC] + [RIC, USCC] * 5
    finally:
        stop.set()
    stop = start_sealer(store, 0.05)
    try:
        deadline = time.monotonic() + 20
        while len(decided(store, pending=False)) < 11 and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        stop.set()
    sealed = decided(store, pending=False)
    assert [e["seq"] for e in sealed] == list(range(1, 12))
    assert [e["purpose"] for e in sealed] == ["counter"] + ["screening"] * 10
    with store.connect() as db:
        assert verify_chain(db) == []


def test_a_label_run_leaves_the_index_caught_up(
    store: Engine, book: Rulebook, tmp_path: Path
) -> None:
    ctx = Context(store, book)
    answer(ctx, AGENCY, Question(RIC, "buy_flight_ticket", DAY))  # the index exists
    feed = tmp_path / "court.csv"
    feed.write_text("\n".join([HEADER, case(decided="2025-01-10")]) + "\n", encoding="utf-8")
    ingest_file(store, book, feed, "court", "court.enforcement_case")  # not through a use case
    holder = holder_for(store, book)
    assert holder.index.effect(RIC, "buy_flight_ticket", DAY) == "allow", "not caught up yet"
    run_labelling(ctx, ADMIN, DAY)
    assert holder.index.effect(RIC, "buy_flight_ticket", DAY) == "deny"
