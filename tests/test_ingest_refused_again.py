"""A refused batch can be sent again (issue 13 item 5): a batch counts as loaded only for the
rows it stored, so a body first refused (sent as the wrong format, by a key outside its
scope, before its pack was loaded) loads when it comes back right."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, func, select

from socialcredit.core.access import Principal
from socialcredit.core.pack.model import Rulebook
from socialcredit.services.context import Context
from socialcredit.services.packs.rulebook import load_book
from socialcredit.services.records.ingest import ingest_file
from socialcredit.services.records.submit import submit_records
from socialcredit.store import tables as t
from tests.test_ingest import HEADER, case, write

BODY = f"{HEADER}\n{case()}\n".encode()


def court_key(*categories: str) -> Principal:
    return Principal(
        key_id="k1",
        role="agency",
        name="court of test",
        agency="court",
        categories=frozenset(categories),
        disclosures=frozenset({"public"}),
    )


def records(store: Engine) -> int:
    with store.connect() as db:
        return int(db.execute(select(func.count()).select_from(t.records)).scalar_one())


def test_a_body_sent_as_the_wrong_format_loads_when_sent_right(
    store: Engine, book: Rulebook
) -> None:
    ctx = Context(store, book)
    wrong = submit_records(ctx, court_key("*"), BODY, "application/x-ndjson")
    assert wrong.count("rejected") == 2 and records(store) == 0
    right = submit_records(ctx, court_key("*"), BODY, "text/csv")
    assert not right.already_loaded and right.count("accepted") == 1
    assert records(store) == 1
    again = submit_records(ctx, court_key("*"), BODY, "text/csv")
    assert again.already_loaded and records(store) == 1


def test_a_body_refused_for_the_key_scope_loads_for_a_key_in_scope(
    store: Engine, book: Rulebook
) -> None:
    ctx = Context(store, book)
    outside = submit_records(ctx, court_key("tax.assessment"), BODY, "text/csv")
    assert outside.count("rejected") == 1
    inside = submit_records(ctx, court_key("court.enforcement_case"), BODY, "text/csv")
    assert not inside.already_loaded and inside.count("accepted") == 1
    assert records(store) == 1


def test_a_file_refused_before_its_pack_was_loaded_loads_after(
    tmp_path: Path, store: Engine, book: Rulebook
) -> None:
    path = write(tmp_path, "court.csv", case(), case(doc="2"))
    without = load_book(("cn-tax-credit",))
    assert "court.enforcement_case" not in without.categories
    first = ingest_file(store, without, path, "court")
    assert first.count("rejected") == 2
    second = ingest_file(store, book, path, "court")
    assert not second.already_loaded and second.count("accepted") == 2
    with store.connect() as db:
        batch = db.execute(select(t.batches)).one()
        rejections = db.execute(select(func.count()).select_from(t.rejections)).scalar_one()
    assert (batch.rows, batch.accepted, batch.rejected, rejections) == (2, 2, 0, 0)


def test_a_partly_stored_file_adds_only_what_it_lacked(
    tmp_path: Path, store: Engine, book: Rulebook
) -> None:
    path = write(tmp_path, "court.csv", case(), case(doc="2", decided="2018-02-30"))
    first = ingest_file(store, book, path, "court")
    assert first.count("accepted") == 1 and first.count("rejected") == 1
    second = ingest_file(store, book, path, "court")
    assert not second.already_loaded
    assert second.count("duplicate") == 1 and second.count("rejected") == 1
    assert records(store) == 1
