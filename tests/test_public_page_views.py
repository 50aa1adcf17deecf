"""Anonymous page views and public keys' reads add nothing to the audit chain (issue 13 item
19): the credit report, the credit file and a list's entries read by the public are counted
per subject, day and caller; named callers' reads stay chained."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from socialcredit.app import create_app
from socialcredit.core.pack.model import Rulebook
from socialcredit.services.context import Context
from socialcredit.services.labelling.run import label
from socialcredit.services.records.submit import submit_records
from socialcredit.store.audit_log import entries
from socialcredit.store.public_reads import public_reads
from tests.api_server import LiveApi, serve
from tests.conftest import RIC
from tests.test_ingest import HEADER, case
from tests.test_ingest_refused_again import court_key


def chained(store: Engine) -> list[dict[str, object]]:
    with store.connect() as db:
        return entries(db, pending=True)


def loaded(store: Engine, book: Rulebook) -> None:
    body = f"{HEADER}\n{case()}\n".encode()
    submit_records(Context(store, book), court_key("*"), body, "text/csv")
    label(store, book, dt.date(2018, 6, 1))


def test_fifty_anonymous_page_views_add_no_chained_entry(store: Engine, book: Rulebook) -> None:
    loaded(store, book)
    app = create_app(store.url.render_as_string(hide_password=False), book)
    before = len(chained(store))
    with TestClient(app) as client:
        for n in range(50):
            page = "" if n % 2 else "/report"
            assert client.get(f"/subjects/{RIC}{page}").status_code == 200
    assert len(chained(store)) == before
    with store.connect() as db:
        assert sum(r["reads"] for r in public_reads(db, RIC)) == 50


@pytest.fixture
def api(store: Engine, book: Rulebook) -> Iterator[LiveApi]:
    yield from serve(store, book)


def test_a_public_key_reads_without_chaining_and_an_agency_key_is_chained(
    api: LiveApi, book: Rulebook
) -> None:
    loaded(api.engine, book)
    before = len(chained(api.engine))
    with api.client("public") as client:
        for _ in range(5):
            assert client.get(f"/v1/subjects/{RIC}").status_code == 200
            listed = client.get("/v1/lists/dishonest-judgment-debtors/entries?as_of=2018-06-01")
            assert listed.status_code == 200 and listed.json()["entries"]
    assert len(chained(api.engine)) == before
    with api.client("agency") as client:
        assert client.get(f"/v1/subjects/{RIC}").status_code == 200
    after = chained(api.engine)
    assert len(after) == before + 1 and after[-1]["action"] == "subject.read"
