"""The audit log: the hash chain in the core, and appends from many threads in the store
(logged at once, sealed into the chain in order)."""

from __future__ import annotations

import threading

from sqlalchemy import Engine

from socialcredit.core.audit import chain_entry, verify
from socialcredit.store.audit_log import append, append_many, entries, seal, verify_chain


def chain(n: int) -> list[dict[str, object]]:
    built: list[dict[str, object]] = []
    for seq in range(1, n + 1):
        built.append(
            chain_entry(built[-1] if built else None, {"seq": seq, "actor": "a", "action": "x"})
        )
    return built


def test_an_intact_chain_verifies() -> None:
    assert verify(chain(5)) == []


def test_altered_deleted_and_inserted_entries_are_found() -> None:
    altered = chain(5)
    altered[2] = {**altered[2], "actor": "someone else"}
    assert verify(altered) == ["entry 3: content altered (its hash does not match)"]
    deleted = chain(5)
    del deleted[2]
    assert any("entry 4" in p for p in verify(deleted))
    inserted = chain(5)
    forged = chain_entry(inserted[1], {"seq": 3, "actor": "forger", "action": "x"})
    inserted.insert(2, forged)
    assert any("not linked" in p or "expected entry" in p for p in verify(inserted))


def test_appends_from_many_threads_keep_one_chain(store: Engine) -> None:
    problems: list[str] = []

    def work() -> None:
        for _ in range(25):
            try:
                with store.begin() as db:
                    append(db, {"actor": "thread", "action": "x"})
            except Exception as error:
                problems.append(repr(error))

    threads = [threading.Thread(target=work) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with store.connect() as db:  # every entry is logged; a few may wait for the next seal
        assert problems == [] and len(entries(db, pending=True)) == 150
    with store.begin() as db:
        seal(db)
    with store.connect() as db:
        assert len(entries(db)) == 150 and entries(db, pending=True) == entries(db)
        assert [e["seq"] for e in entries(db)] == list(range(1, 151)) and verify_chain(db) == []


def test_a_batch_append_continues_the_chain(store: Engine) -> None:
    with store.begin() as db:
        append(db, {"actor": "a", "action": "one"})
        append_many(db, [{"actor": "a", "action": "batch"}] * 3)
    with store.connect() as db:
        assert [e["seq"] for e in entries(db)] == [1, 2, 3, 4] and verify_chain(db) == []
