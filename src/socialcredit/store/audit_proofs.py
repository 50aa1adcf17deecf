"""Proofs over the audit log's Merkle tree (RFC 9162): that one entry is in the tree a head
signed, and that a later head's tree extends an earlier one. Each proof is returned with
what a verifier needs and is checked before it is handed out."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from socialcredit.core.audit import leaf
from socialcredit.core.errors import SocialCreditError
from socialcredit.core.merkle import (
    consistency_proof,
    inclusion_proof,
    verify_consistency,
    verify_inclusion,
)
from socialcredit.store.audit_heads import heads, leaves, roots_at
from socialcredit.store.audit_log import entries


class ProofError(SocialCreditError):
    """A proof asked for entries or tree sizes the log does not have."""


def _size(db: Connection, tree_size: int | None, hashes: list[bytes]) -> int:
    """The tree size asked for, else the last signed head's, else the whole log's."""
    if tree_size is None:
        signed = heads(db)
        tree_size = signed[-1].tree_size if signed else len(hashes)
    if not 0 < tree_size <= len(hashes):
        raise ProofError(f"tree size {tree_size}: the log has {len(hashes)} sealed entries")
    return tree_size


def _signed(db: Connection, tree_size: int) -> dict[str, Any] | None:
    return next((h.as_dict() for h in heads(db) if h.tree_size == tree_size), None)


def inclusion(db: Connection, seq: int, tree_size: int | None = None) -> dict[str, Any]:
    """The audit path of entry ``seq`` in the tree of ``tree_size`` entries."""
    hashes = leaves(db)
    size = _size(db, tree_size, hashes)
    if not 0 < seq <= size:
        raise ProofError(f"entry {seq} is not in the tree of {size} entries")
    tree = hashes[:size]
    path = inclusion_proof(seq - 1, tree)
    root = roots_at(tree, [size])[size]
    entry = entries(db, after=seq - 1)[0]
    return {
        "seq": seq,
        "tree_size": size,
        "leaf_index": seq - 1,
        "leaf_hash": leaf(entry).hex(),
        "root_hash": root.hex(),
        "path": [p.hex() for p in path],
        "verified": verify_inclusion(hashes[seq - 1], seq - 1, size, path, root),
        "signed_head": _signed(db, size),
    }


def consistency(db: Connection, first: int, second: int | None = None) -> dict[str, Any]:
    """The proof that the tree of ``first`` entries is a prefix of the tree of ``second``."""
    hashes = leaves(db)
    size = _size(db, second, hashes)
    if not 0 < first <= size:
        raise ProofError(f"first size {first} must be between 1 and {size}")
    roots = roots_at(hashes, [first, size])
    proof = consistency_proof(first, hashes[:size])
    return {
        "first": first,
        "second": size,
        "first_root": roots[first].hex(),
        "second_root": roots[size].hex(),
        "proof": [p.hex() for p in proof],
        "verified": verify_consistency(first, size, roots[first], roots[size], proof),
        "first_head": _signed(db, first),
        "second_head": _signed(db, size),
    }
