"""Appends take no global lock, nothing answered goes unlogged, and the sealer catches up:
an entry commits with its transaction even when no seal can run, and the next seal numbers
it; a log from before the Merkle tree is added to it by the first seal."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from sqlalchemy import Engine, select, text, update

from socialcredit.core.audit import leaf
from socialcredit.core.merkle import root_of, tree_root
from socialcredit.core.tree_head import TreeHeadError
from socialcredit.store import tables as t
from socialcredit.store.audit_heads import read_witness
from socialcredit.store.audit_key import AuditKeyError, ensure_key, load_private_key
from socialcredit.store.audit_log import append, entries, seal, verify_chain


def test_a_writer_does_not_wait_for_another_writers_open_transaction(store: Engine) -> None:
    if store.dialect.name != "postgresql":
        pytest.skip("SQLite lets one writer at a time, whatever the log does")
    with store.connect() as slow:
        append(slow, {"actor": "slow", "action": "decide"})  # open, not committed
        with store.begin() as quick:
            quick.execute(text("SET LOCAL lock_timeout = '2s'"))
            append(quick, {"actor": "quick", "action": "decide"})
        slow.commit()
    with store.connect() as db:
        assert [e["actor"] for e in entries(db)] == ["quick", "slow"]
        assert verify_chain(db) == []


def test_an_entry_commits_with_its_answer_even_while_another_seals(store: Engine) -> None:
    if store.dialect.name != "postgresql":
        pytest.skip("SQLite lets one writer at a time: no seal runs beside a write")
    with store.connect() as sealer:
        sealer.execute(select(t.audit_tree).with_for_update())  # a seal in progress
        with store.begin() as db:
            append(db, {"actor": "agency:x", "action": "decide", "result": "deny"})
        with store.connect() as db:  # committed: it survives any crash from here on
            assert [e["result"] for e in entries(db, pending=True)] == ["deny"]
            assert entries(db) == []
        sealer.rollback()
    with store.begin() as db:
        append(db, {"actor": "agency:x", "action": "decide", "result": "allow"})
    with store.connect() as db:
        assert [(e["seq"], e["result"]) for e in entries(db, pending=True)] == [
            (1, "deny"),
            (2, "allow"),
        ]


def test_the_first_seal_adds_an_older_log_to_the_tree(store: Engine) -> None:
    for n in range(5):
        with store.begin() as db:
            append(db, {"actor": "a", "action": f"x{n}"})
    with store.begin() as db:  # as a store migrated from before the tree: empty frontier
        db.execute(update(t.audit_tree).values(size=0, frontier=[]))
    with store.begin() as db:
        append(db, {"actor": "a", "action": "after"})
    with store.connect() as db:
        found = entries(db)
        tree = db.execute(select(t.audit_tree)).one()
    assert tree.size == 6 and len(found) == 6
    assert root_of([bytes.fromhex(h) for h in tree.frontier]) == tree_root([leaf(e) for e in found])


def test_seal_with_nothing_pending_changes_nothing(store: Engine) -> None:
    with store.begin() as db:
        assert seal(db) == 0
        append(db, {"actor": "a", "action": "x"})
    with store.begin() as db:
        assert seal(db) == 0 and len(entries(db)) == 1


def test_the_key_is_created_private_and_refused_when_exposed(tmp_path: Path) -> None:
    path = tmp_path / "keys" / "audit.pem"
    assert ensure_key(path) and not ensure_key(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    load_private_key(path)
    os.chmod(path, 0o644)
    with pytest.raises(AuditKeyError, match="chmod 600"):
        load_private_key(path)
    with pytest.raises(AuditKeyError, match="socialcredit init"):
        load_private_key(tmp_path / "missing.pem")
    (tmp_path / "junk.pem").write_text("not a key")
    os.chmod(tmp_path / "junk.pem", 0o600)
    with pytest.raises(AuditKeyError, match="not an unencrypted PEM private key"):
        load_private_key(tmp_path / "junk.pem")


def test_a_broken_witness_line_is_named(tmp_path: Path) -> None:
    witness = tmp_path / "heads.jsonl"
    witness.write_text('{"tree_size": 1}\n')
    with pytest.raises(TreeHeadError, match=r"heads\.jsonl:1: missing timestamp"):
        read_witness(witness)
    witness.write_text("{\n")
    with pytest.raises(TreeHeadError, match=r"heads\.jsonl:1: not JSON"):
        read_witness(witness)
