"""An agency key reads only what its scope names (issue 13 items 2 and 14): a key of the tax
bureau ``sta`` scoped to ``public`` reads none of its own agency's restricted records through
record exports, credit files or the feed, and no grade reaches it through the measures a
rating triggers."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Engine, select

from socialcredit.core.access import Principal
from socialcredit.core.pack.model import Rulebook
from socialcredit.services.access.visibility import disclosure_of, rating_disclosure
from socialcredit.services.context import Context
from socialcredit.services.exports.files import export_records
from socialcredit.services.feed.read import read_feed
from socialcredit.services.files.read import read_credit_file
from socialcredit.services.files.report import read_report
from socialcredit.store import tables as t
from tests.synthetic_store import AS_OF, labelled_nation


def sta_key(*disclosures: str) -> Principal:
    return Principal(
        key_id="sta-test",
        role="agency",
        name="tax bureau",
        agency="sta",
        categories=frozenset({"*"}),
        disclosures=frozenset(disclosures),
        actions=frozenset({"*"}),
    )


@pytest.fixture(scope="module")
def nation(tmp_path_factory: pytest.TempPathFactory, book: Rulebook) -> Iterator[Context]:
    engine = labelled_nation(tmp_path_factory.mktemp("scope"), book, persons=150, orgs=40)
    yield Context(engine, book)
    engine.dispose()


def rated_orgs(engine: Engine) -> list[str]:
    """Organisations with a tax-credit grade in the label run and a measure it triggers."""
    m = t.measures_in_force.c
    with engine.connect() as db:
        rows = db.execute(select(m.subject_id, m.payload)).all()
    return sorted({row.subject_id for row in rows if row.payload["trigger"]["kind"] == "rating"})


def test_a_public_scope_exports_none_of_its_own_agencys_restricted_records(
    nation: Context,
) -> None:
    book = nation.book
    everything = export_records(nation, sta_key("public", "restricted"), "jsonl", as_of=AS_OF)
    assert _classes(book, everything.file.content) >= {"restricted"}  # sta has some
    bounded = export_records(nation, sta_key("public"), "jsonl", as_of=AS_OF)
    assert _classes(book, bounded.file.content) == {"public"}


def _classes(book: Rulebook, content: bytes) -> set[str | None]:
    rows = [json.loads(line) for line in content.decode().splitlines()]
    return {disclosure_of(book, row["category"]) for row in rows}


def test_a_public_scope_reads_no_restricted_record_in_a_credit_file(nation: Context) -> None:
    orgs = rated_orgs(nation.engine)
    assert orgs, "the nation has no organisation with a measure triggered by a grade"
    for org in orgs[:5]:
        full = read_credit_file(nation, sta_key("public", "restricted"), org, AS_OF)
        assert any(
            disclosure_of(nation.book, r["category"]) == "restricted" for r in full["records"]
        )
        seen = read_credit_file(nation, sta_key("public"), org, AS_OF)
        assert {disclosure_of(nation.book, r["category"]) for r in seen["records"]} <= {"public"}


def test_a_public_scope_reads_no_restricted_event_in_the_feed(nation: Context) -> None:
    ids = _feed_ids(nation, sta_key("public"))
    with nation.engine.connect() as db:
        shown = db.execute(select(t.events.c.disclosure).where(t.events.c.id.in_(ids))).all()
        restricted = db.execute(
            select(t.events.c.id).where(
                t.events.c.disclosure == "restricted", t.events.c.agency == "sta"
            )
        ).all()
    assert restricted, "the nation's feed has no restricted sta event to hide"
    assert ids and {row.disclosure for row in shown} == {"public"}


def _feed_ids(ctx: Context, caller: Principal) -> list[int]:
    ids: list[int] = []
    after = 0
    while True:
        page = read_feed(ctx, caller, after, 1000)
        ids += [event["id"] for event in page["events"]]
        if not page["events"]:
            return ids
        after = page["next"]


def test_no_grade_reaches_a_key_that_may_not_read_the_rating(nation: Context) -> None:
    """Item 14: the grade of a rating built from restricted records is not shown through
    the measures it triggers, in the credit file or in the report."""
    book = nation.book
    orgs = rated_orgs(nation.engine)
    for org in orgs[:5]:
        full = read_credit_file(nation, sta_key("public", "restricted"), org, AS_OF)
        assert _rating_triggers(full["measures"])  # the key that may read it sees the grade
        assert all(
            rating_disclosure(book, r) == "restricted" for r in _rating_triggers(full["measures"])
        )
        for reader in (sta_key("public"), sta_key("public", "shared")):
            seen = read_credit_file(nation, reader, org, AS_OF)
            assert seen["ratings"] == [] and _rating_triggers(seen["measures"]) == []
            report = read_report(nation, reader, org, AS_OF)
            assert '"grade"' not in json.dumps(report) and not _rating_triggers(
                report["measures_in_force"]
            )


def _rating_triggers(measures: list[dict[str, Any]]) -> list[str]:
    return [m["trigger"]["rating"] for m in measures if m["trigger"]["kind"] == "rating"]
