"""The default store (SQLite) serves reads and decisions while another connection holds its
write lock longer than the driver's default 5 s, and no error is ever a plain-text 500
(issue 13 item 17)."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError

from socialcredit.app import create_app
from socialcredit.core.pack.model import Rulebook
from socialcredit.store.database import connect, migrate
from tests.api_server import LiveApi, serve
from tests.conftest import RIC
from tests.test_ingest import HEADER, case

HOLD_SECONDS = 7.0  # longer than sqlite3's default busy timeout of 5 s


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator[Engine]:
    url = f"sqlite:///{tmp_path / 'socialcredit.db'}"
    migrate(url)
    engine = connect(url)
    yield engine
    engine.dispose()


@pytest.fixture
def api(sqlite_store: Engine, book: Rulebook) -> Iterator[LiveApi]:
    yield from serve(sqlite_store, book)


def hold_write_lock(path: str, started: threading.Event) -> None:
    """Another writer (as an ingest would be): the write lock held for HOLD_SECONDS."""
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("BEGIN IMMEDIATE")
    db.execute("UPDATE batches SET rows = rows")
    started.set()
    time.sleep(HOLD_SECONDS)
    db.execute("COMMIT")
    db.close()


def ask(api: LiveApi, n: int) -> httpx.Response:
    with api.client("agency") as client:
        if n % 2:
            return client.get(f"/v1/subjects/{RIC}")
        decision = {"subject": RIC, "action": "buy_flight_ticket", "as_of": "2018-06-01"}
        return client.post("/v1/decisions", json=decision)


def test_decisions_and_reads_wait_for_a_long_write_instead_of_failing(api: LiveApi) -> None:
    body = f"{HEADER}\n{case()}\n"
    with api.client("agency") as client:
        sent = client.post("/v1/records", content=body, headers={"Content-Type": "text/csv"})
    assert sent.status_code == 200
    started = threading.Event()
    path = str(api.engine.url.database)
    holder = threading.Thread(target=hold_write_lock, args=(path, started))
    holder.start()
    assert started.wait(10)
    with ThreadPoolExecutor(6) as pool:
        answers = list(pool.map(lambda n: ask(api, n), range(12)))
    holder.join()
    assert [a.status_code for a in answers] == [200] * 12, [a.text[:200] for a in answers]
    decisions = [a.json() for a in answers[::2]]
    assert {d["effect"] for d in decisions} == {"deny"}


def test_an_unexpected_error_is_json_in_the_api_and_a_page_in_the_portal(
    sqlite_store: Engine, book: Rulebook
) -> None:
    app = create_app(sqlite_store.url.render_as_string(hide_password=False), book)

    @app.get("/v1/test-crash")
    def crash() -> None:
        raise RuntimeError("boom")

    @app.get("/v1/test-locked")
    def locked() -> None:
        raise OperationalError("INSERT", {}, sqlite3.OperationalError("database is locked"))

    @app.get("/test-crash-page")
    def crash_page() -> None:
        raise RuntimeError("boom")

    with TestClient(app, raise_server_exceptions=False) as client:
        api_crash = client.get("/v1/test-crash")
        busy = client.get("/v1/test-locked")
        page = client.get("/test-crash-page")
    assert api_crash.status_code == 500
    assert api_crash.json()["error"]["code"] == "internal_error"
    assert "boom" not in api_crash.text
    assert busy.status_code == 503 and busy.json()["error"]["code"] == "busy"
    assert busy.headers["Retry-After"]
    assert page.status_code == 500 and page.headers["content-type"].startswith("text/html")
