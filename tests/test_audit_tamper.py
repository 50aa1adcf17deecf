"""An insider who can write to the database rewrites the audit log consistently (every
sequence number, chain link and the Merkle frontier recomputed) and cannot go unnoticed
before the last signed head: alter an entry, delete one and renumber, insert a forged
``key.create``, or cut the tail. The chain alone is fooled by each; the signed heads and the
witness file are not."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import Connection, Engine, delete, insert, update

from socialcredit.core.audit import chain_entry, leaf
from socialcredit.core.merkle import extend
from socialcredit.core.tree_head import sign
from socialcredit.store import tables as t
from socialcredit.store.audit_heads import (
    AuditLogError,
    heads,
    read_witness,
    sign_head,
    verify_log,
)
from socialcredit.store.audit_log import append, entries, verify_chain

CONTENT = ("at", "actor", "action", "subject", "purpose", "result", "revisions")
SIGNED = 9  # entries under the last signed head; two more are logged after it


@pytest.fixture
def key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


@pytest.fixture
def logged(store: Engine, key: Ed25519PrivateKey, tmp_path: Path) -> Path:
    """A log of 11 entries whose first 9 are under signed heads (at 4 and 9 entries)."""
    witness = tmp_path / "heads.jsonl"
    for n in range(SIGNED + 2):
        with store.begin() as db:
            append(db, {"actor": "agency:court", "action": "decide", "result": f"deny {n}"})
        if n + 1 in (4, SIGNED):
            sign_head(store, key, witness)
    return witness


def rewrite(db: Connection, change: Callable[[list[dict[str, Any]]], list[dict[str, Any]]]) -> None:
    """Rewrite the whole log as a careful insider would: renumbered, re-chained, frontier
    recomputed, so that the chain and the tree's bookkeeping agree with the forgery."""
    contents = change([{k: e[k] for k in CONTENT} for e in entries(db)])
    rebuilt: list[dict[str, Any]] = []
    for seq, content in enumerate(contents, start=1):
        rebuilt.append(chain_entry(rebuilt[-1] if rebuilt else None, {"seq": seq, **content}))
    db.execute(delete(t.audit_log))
    if rebuilt:
        db.execute(insert(t.audit_log), rebuilt)
    frontier = extend([], 0, [leaf(e) for e in rebuilt])
    db.execute(update(t.audit_tree).values(size=len(rebuilt), frontier=[h.hex() for h in frontier]))


def alter(at: int) -> Callable[[list[dict[str, Any]]], list[dict[str, Any]]]:
    def change(log: list[dict[str, Any]]) -> list[dict[str, Any]]:
        log[at - 1] = {**log[at - 1], "result": "allow"}
        return log

    return change


def delete_entry(at: int) -> Callable[[list[dict[str, Any]]], list[dict[str, Any]]]:
    return lambda log: log[: at - 1] + log[at:]


def forge_key_create(at: int) -> Callable[[list[dict[str, Any]]], list[dict[str, Any]]]:
    def change(log: list[dict[str, Any]]) -> list[dict[str, Any]]:
        forged = {**log[at - 1], "actor": "cli", "action": "key.create", "result": "admin:x:k"}
        return [*log[: at - 1], forged, *log[at - 1 :]]

    return change


def cut_tail(at: int) -> Callable[[list[dict[str, Any]]], list[dict[str, Any]]]:
    return lambda log: log[: at - 1]


TAMPERINGS = {"alter": alter, "delete": delete_entry, "forge": forge_key_create, "cut": cut_tail}


@pytest.mark.parametrize("position", [1, 5, SIGNED])
@pytest.mark.parametrize("kind", sorted(TAMPERINGS))
def test_a_rewrite_before_the_last_head_is_found(
    store: Engine, key: Ed25519PrivateKey, logged: Path, kind: str, position: int
) -> None:
    with store.begin() as db:
        rewrite(db, TAMPERINGS[kind](position))
        assert verify_chain(db) == []  # the chain alone is fooled
    with store.connect() as db:
        store_only = verify_log(db, key.public_key())["problems"]
    with store.begin() as db:  # the insider also deletes every stored head it breaks
        db.execute(delete(t.audit_heads).where(t.audit_heads.c.tree_size >= position))
    with store.connect() as db:
        without_heads = verify_log(db, key.public_key())["problems"]
        with_witness = verify_log(db, key.public_key(), read_witness(logged))["problems"]
    assert store_only, f"{kind} at {position}: the stored heads did not catch it"
    assert with_witness, f"{kind} at {position}: the witness file did not catch it"
    assert without_heads == []  # why the witness must keep its own copy of the heads


def test_an_intact_log_verifies_against_store_and_witness(
    store: Engine, key: Ed25519PrivateKey, logged: Path
) -> None:
    with store.connect() as db:
        report = verify_log(db, key.public_key(), read_witness(logged))
    assert report["problems"] == []
    assert (report["entries"], report["heads"], report["witnessed"]) == (SIGNED + 2, 2, 2)
    assert report["covered"] == SIGNED


def test_heads_signed_with_another_key_are_refused(
    store: Engine, key: Ed25519PrivateKey, logged: Path
) -> None:
    forger = Ed25519PrivateKey.generate()
    with store.begin() as db:
        rewrite(db, alter(2))
        db.execute(delete(t.audit_heads))
        forged = sign(forger, SIGNED, 1, bytes(32))
        db.execute(insert(t.audit_heads).values(**forged.as_dict(), frontier=[]))
    with store.connect() as db:
        problems = verify_log(db, key.public_key())["problems"]
    assert any("signed by another key" in p for p in problems)


def test_a_head_signed_after_a_rewrite_still_commits_to_the_original(
    store: Engine, key: Ed25519PrivateKey, logged: Path
) -> None:
    """The signer extends the last head's frontier and hashes only newer entries, so a rewrite
    before it is found against the new head as well."""
    with store.begin() as db:
        rewrite(db, alter(3))
        db.execute(delete(t.audit_heads).where(t.audit_heads.c.tree_size == SIGNED))
    with pytest.raises(AuditLogError, match="witness holds a head of size 9 the store lacks"):
        sign_head(store, key, logged)
    head = sign_head(store, key)  # without the witness: from the head of size 4
    with store.connect() as db:
        problems = verify_log(db, key.public_key())["problems"]
    assert head.tree_size == SIGNED + 2
    assert any(f"head of size {SIGNED + 2}" in p and "no longer hash" in p for p in problems)


def test_the_signer_refuses_a_tampered_last_head(
    store: Engine, key: Ed25519PrivateKey, logged: Path
) -> None:
    with store.begin() as db:
        db.execute(update(t.audit_heads).values(frontier=[bytes(32).hex()]))
    with pytest.raises(AuditLogError, match="stored frontier of the head of size 9"):
        sign_head(store, key, logged)
    with store.begin() as db:
        db.execute(update(t.audit_heads).values(tree_size=t.audit_heads.c.tree_size + 100))
    with pytest.raises(AuditLogError, match="signature does not verify"):
        sign_head(store, key, logged)


def test_a_head_is_stored_published_and_witnessed(
    store: Engine, key: Ed25519PrivateKey, logged: Path
) -> None:
    with store.connect() as db:
        stored = heads(db)
        published = db.execute(t.events.select().where(t.events.c.kind == "audit.head")).all()
    assert (
        [h.tree_size for h in stored] == [4, SIGNED] == [h.tree_size for h in read_witness(logged)]
    )
    assert [e.payload for e in published] == [h.as_dict() for h in stored]
    assert {e.disclosure for e in published} == {"public"}
    assert sign_head(store, key, logged).tree_size == SIGNED + 2
    assert sign_head(store, key, logged).tree_size == SIGNED + 2  # nothing new: the same head
    assert len(read_witness(logged)) == 3
