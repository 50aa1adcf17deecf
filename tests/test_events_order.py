"""The feed delivers every event exactly once to a consumer following its cursor, whatever
the interleaving of commits: a long transaction that took its events early and commits late
is not skipped (issue 13 item 16). The PostgreSQL variants are the ones that matter (SQLite
serialises writers); the raw insert shows the loss the test would catch."""

from __future__ import annotations

import datetime as dt
import random
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sqlalchemy import Connection, Engine, insert

from socialcredit.core.pack.model import Rulebook
from socialcredit.store import events
from socialcredit.store import tables as t
from socialcredit.store.events import publish, read
from tests.api_server import LiveApi, serve
from tests.test_api import submit
from tests.test_ingest import case

Publisher = Callable[[Connection, list[dict[str, Any]]], None]


def row(tag: str) -> dict[str, Any]:
    return {
        "at": dt.datetime.now(dt.UTC),
        "kind": "test.event",
        "subject_id": None,
        "category": None,
        "disclosure": "public",
        "agency": None,
        "payload": {"tag": tag},
    }


def raw_insert(db: Connection, rows: list[dict[str, Any]]) -> None:
    db.execute(insert(t.events), rows)


class Consumer:
    """Follows the cursor as a feed client does, and keeps every tag it was given."""

    def __init__(self, engine: Engine) -> None:
        self.engine, self.cursor, self.seen = engine, 0, list[str]()

    def poll(self) -> None:
        with self.engine.connect() as db:
            page = read(db, self.cursor, 1000)
        self.seen += [e["payload"]["tag"] for e in page]
        self.cursor = page[-1]["id"] if page else self.cursor


def overlap(store: Engine, publisher: Publisher) -> list[str]:
    consumer = Consumer(store)
    with store.connect() as long:
        publisher(long, [row("long-1"), row("long-2"), row("long-3")])  # ids taken first...
        with store.begin() as short:
            publisher(short, [row("short-1"), row("short-2")])
        consumer.poll()  # ...the short one is visible first
        long.commit()
    consumer.poll()
    consumer.poll()
    return consumer.seen


def only_postgresql(store: Engine) -> None:
    if store.dialect.name != "postgresql":
        pytest.skip("SQLite lets one writer at a time: two write transactions cannot overlap")


def test_a_long_and_a_short_transaction_overlapping(store: Engine) -> None:
    only_postgresql(store)
    seen = overlap(store, publish)
    assert seen == ["short-1", "short-2", "long-1", "long-2", "long-3"]


def test_ids_taken_at_insert_lose_the_long_transaction(store: Engine) -> None:
    """The control: the old way (ids taken at insert) skips the long transaction's events."""
    only_postgresql(store)
    assert overlap(store, raw_insert) == ["short-1", "short-2"]


def test_a_rolled_back_savepoint_publishes_nothing(store: Engine) -> None:
    with store.begin() as db:
        publish(db, [row("kept-1")])
        savepoint = db.begin_nested()
        publish(db, [row("undone")])
        savepoint.rollback()
        with db.begin_nested():
            publish(db, row("kept-2"))
    with store.begin() as db:
        publish(db, [row("rolled back")])
        db.rollback()
    with store.connect() as db:
        assert [e["payload"]["tag"] for e in read(db, 0, 100)] == ["kept-1", "kept-2"]


@pytest.mark.parametrize("spill", [2, events.SPILL])
def test_random_interleavings_deliver_every_event_once(
    store: Engine, monkeypatch: pytest.MonkeyPatch, spill: int
) -> None:
    """Four writers with transactions of random length and a consumer polling throughout
    (with events spilled under provisional ids, or kept in memory, until commit)."""
    monkeypatch.setattr(events, "SPILL", spill)
    rng = random.Random(13)
    plans = [[(rng.randint(1, 4), rng.random() / 50) for _ in range(6)] for _ in range(4)]
    consumer, done = Consumer(store), threading.Event()

    def write(worker: int, plan: list[tuple[int, float]]) -> None:
        for n, (size, pause) in enumerate(plan):
            with store.begin() as db:
                for i in range(size):
                    publish(db, [row(f"{worker}-{n}-{i}")])
                    time.sleep(pause)

    def follow() -> None:
        while not done.is_set():
            consumer.poll()
            time.sleep(0.001)

    follower = threading.Thread(target=follow)
    follower.start()
    writers = [threading.Thread(target=write, args=(w, p)) for w, p in enumerate(plans)]
    for thread in writers:
        thread.start()
    for thread in writers:
        thread.join()
    done.set()
    follower.join()
    consumer.poll()
    expected = {
        f"{w}-{n}-{i}" for w, p in enumerate(plans) for n, (s, _) in enumerate(p) for i in range(s)
    }
    assert len(consumer.seen) == len(expected) and set(consumer.seen) == expected


@pytest.fixture
def api(store: Engine, book: Rulebook) -> Iterator[LiveApi]:
    yield from serve(store, book)


def test_the_api_feed_follows_a_long_transaction(api: LiveApi) -> None:
    """An API write commits while a long transaction holds events; a client following
    ``next`` gets both, once each."""
    only_postgresql(api.engine)
    seen: list[Any] = []
    cursor = 0

    def follow() -> None:
        nonlocal cursor
        with api.client("admin") as client:
            page = client.get("/v1/feed", params={"after": cursor, "limit": 1000}).json()
        seen.extend(e["id"] for e in page["events"])
        cursor = page["next"]

    with api.engine.connect() as long:
        publish(long, [row("long")])
        submit(api, case())  # a short write through the API, committed at once
        follow()
        long.commit()
    follow()
    with api.engine.connect() as db:
        every = [e["id"] for e in read(db, 0, 1000)]
    assert len(every) >= 2 and seen == every


def test_a_long_transaction_spills_its_events_and_keeps_their_order(
    store: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past SPILL rows the events wait in the table under provisional ids, below every
    cursor, and are renumbered in order at commit."""
    only_postgresql(store)
    monkeypatch.setattr(events, "SPILL", 3)
    consumer = Consumer(store)
    with store.connect() as long:
        for n in range(8):
            publish(long, [row(f"long-{n}")])
        with store.begin() as short:
            publish(short, [row(f"short-{n}") for n in range(4)])
        consumer.poll()
        long.commit()
    consumer.poll()
    assert consumer.seen == [f"short-{n}" for n in range(4)] + [f"long-{n}" for n in range(8)]
    with store.connect() as db:
        assert all(e["id"] > 0 for e in read(db, -(2**31), 100))
