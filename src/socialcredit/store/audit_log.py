"""The audit log in the store: append without a global lock, seal in order, read, verify.

``append`` and ``append_many`` write entries to ``audit_pending`` in the caller's transaction
and take no lock, so decisions from many workers do not queue on one another; the entry
commits with what it records, or not at all. Just before such a transaction commits, the
*sealer* runs in it: if no other transaction is sealing (PostgreSQL: ``FOR UPDATE SKIP
LOCKED`` on the tree's row; SQLite serialises writers anyway) it moves every pending entry it
can see (its own and those already committed) into ``audit_log`` in one batch: numbered in
order, chained (``core.audit``) and added to the Merkle tree's frontier (``core.merkle``). An
entry that another sealer could not yet see stays pending, committed, until the next seal
(``seal`` seals all of them; ``audit-log verify`` and ``audit-log sign`` call it first).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from socialcredit.core.audit import chain_entry, leaf, verify
from socialcredit.core.merkle import extend
from socialcredit.store import tables as t
from socialcredit.store.commit_hooks import transaction_state

CONTENT = ("actor", "action", "subject", "purpose", "result", "revisions")
SEAL_HOOK = "audit.seal"


def append(db: Connection, entry: Mapping[str, Any]) -> dict[str, Any]:
    """Log one entry (actor, action, subject, purpose, result, revisions) with the caller's
    transaction; it is sealed into the chain when that transaction commits."""
    return append_many(db, [entry])[0]


def append_many(
    db: Connection, new: Iterable[Mapping[str, Any]], seal_at_commit: bool = True
) -> list[dict[str, Any]]:
    """Log entries in order with one multi-row insert and no lock; returns what was logged
    (the sequence numbers and hashes are given when the entries are sealed: just before this
    transaction commits, or with ``seal_at_commit`` false by the next seal of any
    transaction or of a background sealer)."""
    at = dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")
    rows = [
        {
            "at": at,
            "actor": entry["actor"],
            "action": entry["action"],
            "subject": entry.get("subject"),
            "purpose": entry.get("purpose"),
            "result": entry.get("result"),
            "revisions": dict(entry.get("revisions") or {}),
        }
        for entry in new
    ]
    if rows:
        db.execute(insert(t.audit_pending), rows)
        if seal_at_commit:
            transaction_state(db, SEAL_HOOK, _seal_before_commit, dict)
    return rows


def _seal_before_commit(db: Connection, _: object) -> None:
    seal(db, wait=False)


def seal(db: Connection, wait: bool = True) -> int:
    """Move the pending entries this transaction can see into the chain and the tree, in
    order; returns how many. With ``wait=False`` it does nothing while another transaction
    is sealing (that one, or the next, seals what is left)."""
    tree = _lock_tree(db, wait)
    if tree is None:
        return 0
    size, frontier = tree
    last = db.execute(select(t.audit_log).order_by(t.audit_log.c.seq.desc()).limit(1)).first()
    previous: dict[str, Any] | None = dict(last._mapping) if last else None
    if previous and previous["seq"] > size:  # entries logged before the tree existed
        older = entries(db, after=size)
        frontier, size = extend(frontier, size, [leaf(e) for e in older]), previous["seq"]
    pending = db.execute(select(t.audit_pending).order_by(t.audit_pending.c.id)).all()
    sealed: list[dict[str, Any]] = []
    for row in pending:
        content = {"seq": size + len(sealed) + 1, "at": row.at}
        content.update({key: getattr(row, key) for key in CONTENT})
        previous = chain_entry(previous, content)
        sealed.append(previous)
    if sealed:
        db.execute(insert(t.audit_log), sealed)
        ids = [row.id for row in pending]
        db.execute(delete(t.audit_pending).where(t.audit_pending.c.id.in_(ids)))
    frontier = extend(frontier, size, [leaf(e) for e in sealed])
    db.execute(
        update(t.audit_tree)
        .where(t.audit_tree.c.id == 1)
        .values(size=size + len(sealed), frontier=[h.hex() for h in frontier])
    )
    return len(sealed)


def _lock_tree(db: Connection, wait: bool) -> tuple[int, list[bytes]] | None:
    """Lock the tree's row (PostgreSQL: row lock, skipped if taken and not ``wait``;
    SQLite: the database write lock) and read it; None when another sealer holds it."""
    query = select(t.audit_tree.c.size, t.audit_tree.c.frontier).where(t.audit_tree.c.id == 1)
    if db.dialect.name == "sqlite":
        db.execute(
            update(t.audit_tree).where(t.audit_tree.c.id == 1).values(size=t.audit_tree.c.size)
        )
    row = db.execute(query.with_for_update(skip_locked=not wait)).first()
    if row is not None:
        return row.size, [bytes.fromhex(h) for h in row.frontier]
    if db.execute(select(t.audit_tree.c.id)).first() is not None:
        return None  # skipped: another transaction holds it
    # No row (deleted): start the tree again; the seal rebuilds it from the entries.
    db.execute(insert(t.audit_tree).values(id=1, size=0, frontier=[]))
    return 0, []


def entries(
    db: Connection, subject: str | None = None, after: int = 0, pending: bool = False
) -> list[dict[str, Any]]:
    """Sealed entries in order (of ``subject``, or all; from sequence number ``after`` + 1),
    then, with ``pending``, the entries not sealed yet (with ``seq`` None)."""
    query = select(t.audit_log).where(t.audit_log.c.seq > after).order_by(t.audit_log.c.seq)
    if subject is not None:
        query = query.where(t.audit_log.c.subject == subject)
    found = [dict(row._mapping) for row in db.execute(query)]
    if pending:
        waiting = select(t.audit_pending).order_by(t.audit_pending.c.id)
        if subject is not None:
            waiting = waiting.where(t.audit_pending.c.subject == subject)
        for row in db.execute(waiting):
            found.append({**{k: getattr(row, k) for k in CONTENT}, "at": row.at, "seq": None})
    return found


def verify_chain(db: Connection) -> list[str]:
    """Problems of the hash chain alone (see ``store.audit_heads.verify_log`` for all)."""
    return verify(entries(db))
