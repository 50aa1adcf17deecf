"""Signed tree heads of the audit log: sign one, store it, publish it in the feed and hand
it to a witness file; verify the whole log against every head (the store's and the
witness's). A head commits to the first ``tree_size`` entries: rewriting, deleting,
inserting or cutting any of them changes the Merkle root, and only the key's holder can sign
another root.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from sqlalchemy import Connection, Engine, insert, select

from socialcredit.core.audit import leaf, verify
from socialcredit.core.errors import SocialCreditError
from socialcredit.core.merkle import extend, root_of
from socialcredit.core.tree_head import (
    FIELDS,
    TreeHead,
    TreeHeadError,
    sign,
    signature_problem,
)
from socialcredit.store import tables as t
from socialcredit.store.audit_log import entries, seal
from socialcredit.store.events import publish


class AuditLogError(SocialCreditError):
    """A log that must not be signed (it no longer extends a signed head)."""


def heads(db: Connection) -> list[TreeHead]:
    """The signed heads in the store, smallest tree first."""
    return [_head(r) for r in db.execute(select(t.audit_heads).order_by(t.audit_heads.c.tree_size))]


def leaves(db: Connection) -> list[bytes]:
    """The Merkle leaves of the sealed entries, in order."""
    return [leaf(e) for e in entries(db)]


def roots_at(leaf_hashes: Sequence[bytes], sizes: Iterable[int]) -> dict[int, bytes]:
    """The tree's root at each of ``sizes`` (at most the number of leaves), in one pass."""
    roots: dict[int, bytes] = {}
    frontier: list[bytes] = []
    done = 0
    for size in sorted(set(sizes)):
        frontier = extend(frontier, done, leaf_hashes[done:size])
        roots[size], done = root_of(frontier), size
    return roots


def sign_head(engine: Engine, key: Ed25519PrivateKey, witness: Path | None = None) -> TreeHead:
    """Seal what is pending and sign the log's new head, store it (with the tree's frontier),
    publish it as an ``audit.head`` feed event, and append it to ``witness``. With nothing new
    since the last head, that head.

    Signing is incremental and trusts nothing the database says about the past: it starts
    from the last head's frontier, checked against that head's signed root, and hashes only
    the entries sealed since. So a new head still commits to the entries as they were when
    the last head was signed, whatever was rewritten since (``verify_log`` finds that)."""
    witnessed = read_witness(witness) if witness else []
    public = key.public_key()
    with engine.begin() as db:
        seal(db)
        last = db.execute(select(t.audit_heads).order_by(t.audit_heads.c.tree_size.desc())).first()
        size, frontier = _trusted_start(last, witnessed[-1:], public)
        new = entries(db, after=size)
        if [e["seq"] for e in new] != list(range(size + 1, size + len(new) + 1)):
            raise AuditLogError(f"refusing to sign: entries after {size} are not numbered in order")
        if last is not None and not new:
            return _head(last)
        frontier = extend(frontier, size, [leaf(e) for e in new])
        stamp = int(dt.datetime.now(dt.UTC).timestamp() * 1000)
        head = sign(key, size + len(new), stamp, root_of(frontier))
        row = {**head.as_dict(), "frontier": [h.hex() for h in frontier]}
        db.execute(insert(t.audit_heads).values(**row))
        publish(db, [head_event(head)])
    if witness:
        append_witness(witness, head)
    return head


def _head(row: Any) -> TreeHead:
    return TreeHead(*(getattr(row, f) for f in FIELDS))


def _trusted_start(
    last: Any, witnessed: list[TreeHead], public: Ed25519PublicKey
) -> tuple[int, list[bytes]]:
    """The size and frontier to extend: the last stored head's, once its signature, its
    frontier and the witness's last head agree with it."""
    if last is None:
        if witnessed:
            raise AuditLogError("refusing to sign: the witness holds heads the store lacks")
        return 0, []
    head, frontier = _head(last), [bytes.fromhex(h) for h in last.frontier]
    problem = signature_problem(head, public)
    if problem is None and root_of(frontier).hex() != head.root_hash:
        problem = f"the stored frontier of the head of size {head.tree_size} is not its root"
    if problem is None and witnessed and witnessed[0].tree_size > head.tree_size:
        problem = f"the witness holds a head of size {witnessed[0].tree_size} the store lacks"
    if problem is not None:
        raise AuditLogError(f"refusing to sign: {problem}")
    return head.tree_size, frontier


def head_event(head: TreeHead) -> dict[str, Any]:
    """The public feed event announcing a head."""
    return {
        "at": dt.datetime.now(dt.UTC),
        "kind": "audit.head",
        "subject_id": None,
        "category": None,
        "disclosure": "public",
        "agency": None,
        "payload": head.as_dict(),
    }


def verify_log(
    db: Connection, public_key: Ed25519PublicKey | None, witnessed: Sequence[TreeHead] = ()
) -> dict[str, Any]:
    """Check the chain, every head's signature, and that the entries still hash to every
    head (the store's and the witness's); every problem is named in words. Without a public
    key, heads cannot be trusted: having any is then a problem."""
    found = entries(db)
    hashes = [leaf(e) for e in found]
    problems = verify(found)
    stored = heads(db)
    labelled = [("store", h) for h in stored] + [("witness", h) for h in witnessed]
    roots = roots_at(hashes, [h.tree_size for _, h in labelled if h.tree_size <= len(hashes)])
    if public_key is None and labelled:
        problems.append(f"{len(labelled)} signed heads and no public key to check them")
    for where, head in labelled:
        problems += _head_problems(where, head, public_key, roots, len(hashes))
    in_store = {(h.tree_size, h.root_hash) for h in stored}
    problems += [
        f"witness head of size {h.tree_size} is missing from the store (heads deleted)"
        for h in witnessed
        if (h.tree_size, h.root_hash) not in in_store
    ]
    tree = db.execute(select(t.audit_tree)).first()
    if tree is not None and tree.size == len(hashes):
        frontier = [bytes.fromhex(h) for h in tree.frontier]
        if root_of(frontier) != roots_at(hashes, [len(hashes)])[len(hashes)]:
            problems.append("the stored tree frontier does not match the entries")
    pending = db.execute(select(t.audit_pending.c.id)).all()
    last = max((h.tree_size for _, h in labelled), default=0)
    return {
        "entries": len(found),
        "pending": len(pending),
        "heads": len(stored),
        "witnessed": len(witnessed),
        "covered": min(last, len(found)),
        "problems": list(dict.fromkeys(problems)),
    }


def _head_problems(
    where: str,
    head: TreeHead,
    public_key: Ed25519PublicKey | None,
    roots: dict[int, bytes],
    size: int,
) -> list[str]:
    signed = dt.datetime.fromtimestamp(head.timestamp / 1000, dt.UTC).isoformat(timespec="seconds")
    name = f"{where} head of size {head.tree_size} signed {signed}"
    found = []
    if public_key and (problem := signature_problem(head, public_key)):
        found.append(f"{where} {problem}")
    if head.tree_size > size:
        found.append(f"{name}: the log has only {size} entries (entries deleted or cut)")
    elif roots[head.tree_size].hex() != head.root_hash:
        found.append(
            f"{name}: entries 1-{head.tree_size} no longer hash to its root "
            "(rewritten, deleted, inserted or reordered)"
        )
    return found


def read_witness(path: Path | None) -> list[TreeHead]:
    """The heads in a witness file (JSON Lines); none if it does not exist yet."""
    if path is None or not path.exists():
        return []
    found = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as error:
            raise TreeHeadError(f"{path}:{number}: not JSON ({error.msg})") from None
        if not isinstance(data, dict):
            raise TreeHeadError(f"{path}:{number}: a head must be a JSON object")
        found.append(TreeHead.from_dict(data, f"{path}:{number}"))
    return found


def append_witness(path: Path, head: TreeHead) -> None:
    """Append ``head`` to the witness file, and flush it to disk."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as file:
        file.write(json.dumps(head.as_dict(), sort_keys=True) + "\n")
        file.flush()
        os.fsync(file.fileno())
