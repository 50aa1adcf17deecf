"""Public reads are counted per subject, day and caller, never chained: 300 anonymous page
views add nothing to the audit log and take no lock of its (issue 13 item 19)."""

from __future__ import annotations

import threading

from sqlalchemy import Engine, select

from socialcredit.store import tables as t
from socialcredit.store.audit_log import entries
from socialcredit.store.public_reads import log_read, public_reads
from tests.conftest import RIC, USCC


def read(store: Engine, actor: str, subject: str = RIC) -> None:
    with store.begin() as db:
        log_read(db, {"actor": actor, "action": "subject.report", "subject": subject})


def test_public_reads_are_counted_not_chained(store: Engine) -> None:
    for _ in range(300):
        read(store, "public:web portal")
    read(store, "public:web portal", USCC)
    read(store, "agency:court of test")
    with store.connect() as db:
        chained = entries(db, pending=True)
        counted = public_reads(db, RIC)
        pending = db.execute(select(t.audit_pending)).all()
    assert [e["actor"] for e in chained] == ["agency:court of test"] and pending == []
    assert [(r["actor"], r["reads"]) for r in counted] == [("public:web portal", 300)]


def test_concurrent_public_reads_lose_no_count(store: Engine) -> None:
    def work() -> None:
        for _ in range(20):
            read(store, "public:key 1")

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with store.connect() as db:
        assert [r["reads"] for r in public_reads(db, RIC)] == [80]
        assert entries(db, pending=True) == []
