"""The tamper-evident audit log: each entry's hash covers its content and the previous hash.

``verify`` finds an altered entry (its hash no longer matches its content), a deleted one
(a gap in the sequence, or a link to a hash that is not the previous entry's) and an
inserted one (a link that does not match, or a sequence number out of place). The chain
alone does not resist someone who can re-hash it from the altered entry onward: the Merkle
tree over the same entries (``leaf``, ``core.merkle``) and its signed heads
(``core.tree_head``) do.

>>> first = chain_entry(None, {"seq": 1, "actor": "admin", "action": "key.create"})
>>> verify([first])
[]
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from typing import Any

from socialcredit.core.merkle import leaf_hash

GENESIS = "0" * 64
HASHED_FIELDS = ("seq", "at", "actor", "action", "subject", "purpose", "result", "revisions")


def canonical(content: Mapping[str, Any]) -> str:
    """The entry's hashed fields as canonical JSON (sorted keys, UTF-8 text)."""
    fields = {key: content.get(key) for key in HASHED_FIELDS}
    return json.dumps(fields, sort_keys=True, ensure_ascii=False, default=str)


def digest(content: Mapping[str, Any], previous: str) -> str:
    """sha256 of the entry's fields (canonical JSON) and the previous entry's hash."""
    return hashlib.sha256(f"{previous}\x1f{canonical(content)}".encode()).hexdigest()


def leaf(content: Mapping[str, Any]) -> bytes:
    """The entry's leaf in the log's Merkle tree: RFC 9162's SHA-256(0x00 || entry), the
    entry being its canonical JSON (which holds its sequence number)."""
    return leaf_hash(canonical(content).encode())


def chain_entry(previous: Mapping[str, Any] | None, content: Mapping[str, Any]) -> dict[str, Any]:
    """The entry to append after ``previous`` (None for the first), with its links."""
    prev_hash = previous["hash"] if previous is not None else GENESIS
    return {**content, "prev_hash": prev_hash, "hash": digest(content, prev_hash)}


def verify(entries: Iterable[Mapping[str, Any]]) -> list[str]:
    """Every problem found in the chain, in words; an empty list means it is intact."""
    problems: list[str] = []
    expected_prev, expected_seq = GENESIS, 1
    for entry in entries:
        seq = entry["seq"]
        if digest(entry, entry["prev_hash"]) != entry["hash"]:
            problems.append(f"entry {seq}: content altered (its hash does not match)")
        if seq != expected_seq:
            kind = "missing" if seq > expected_seq else "duplicated or reordered"
            problems.append(f"entry {seq}: expected entry {expected_seq}; entries {kind}")
        if entry["prev_hash"] != expected_prev:
            problems.append(f"entry {seq}: not linked to the entry before it (deleted or inserted)")
        expected_prev, expected_seq = entry["hash"], seq + 1
    return problems
