"""A Merkle tree over the audit log's entries, hashed as RFC 9162 (Certificate Transparency
version 2.0) hashes its log: a leaf is ``SHA-256(0x00 || entry)``, an inner node
``SHA-256(0x01 || left || right)``, and a tree of ``n`` leaves splits at the largest power of
two below ``n`` (section 2.1.1). Inclusion and consistency proofs, and their verification,
follow sections 2.1.3 and 2.1.4 to the letter.

The *frontier* of a tree is the roots of its perfect subtrees, largest first (one per bit set
in its size); it lets a writer extend the tree and take its root without reading old leaves.

>>> leaves = [leaf_hash(bytes([i])) for i in range(5)]
>>> root_of(extend([], 0, leaves)) == tree_root(leaves)
True
>>> verify_inclusion(leaf_hash(b"\\x02"), 2, 5, inclusion_proof(2, leaves), tree_root(leaves))
True
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

EMPTY_ROOT = hashlib.sha256(b"").digest()


def leaf_hash(entry: bytes) -> bytes:
    """The hash of one leaf: SHA-256(0x00 || entry)."""
    return hashlib.sha256(b"\x00" + entry).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """The hash of an inner node: SHA-256(0x01 || left || right)."""
    return hashlib.sha256(b"\x01" + left + right).digest()


def _split(n: int) -> int:
    """The largest power of two smaller than ``n`` (n > 1)."""
    return 1 << ((n - 1).bit_length() - 1)


def tree_root(leaves: Sequence[bytes]) -> bytes:
    """MTH(D[n]) of the given leaf hashes, by the frontier (linear time, log space)."""
    return root_of(extend([], 0, leaves))


def extend(frontier: Sequence[bytes], size: int, leaves: Sequence[bytes]) -> list[bytes]:
    """The frontier after appending ``leaves`` to a tree of ``size`` leaves with ``frontier``."""
    stack = list(frontier)
    for leaf in leaves:
        node, size = leaf, size + 1
        merges = (size & -size).bit_length() - 1  # trailing zeros: perfect subtrees completed
        for _ in range(merges):
            node = node_hash(stack.pop(), node)
        stack.append(node)
    return stack


def root_of(frontier: Sequence[bytes]) -> bytes:
    """The root of the tree whose frontier this is (the empty tree's hash for none)."""
    if not frontier:
        return EMPTY_ROOT
    node = frontier[-1]
    for left in reversed(frontier[:-1]):
        node = node_hash(left, node)
    return node


def inclusion_proof(index: int, leaves: Sequence[bytes]) -> list[bytes]:
    """PATH(m, D[n]): the audit path of leaf ``index`` in the tree of ``leaves`` (2.1.3.1)."""
    if not 0 <= index < len(leaves):
        raise ValueError(f"leaf {index} is not in a tree of {len(leaves)} leaves")
    path: list[bytes] = []
    lo, hi = 0, len(leaves)
    while hi - lo > 1:
        k = _split(hi - lo)
        if index - lo < k:
            path.append(tree_root(leaves[lo + k : hi]))
            hi = lo + k
        else:
            path.append(tree_root(leaves[lo : lo + k]))
            lo += k
    return path[::-1]


def consistency_proof(first: int, leaves: Sequence[bytes]) -> list[bytes]:
    """PROOF(m, D[n]): proves the tree of the first ``first`` leaves a prefix (2.1.4.1)."""
    if not 0 < first <= len(leaves):
        raise ValueError(f"no consistency proof from {first} to {len(leaves)} leaves")
    proof: list[bytes] = []
    lo, hi, m, whole = 0, len(leaves), first, True
    while m < hi - lo:
        k = _split(hi - lo)
        if m <= k:
            proof.append(tree_root(leaves[lo + k : hi]))
            hi = lo + k
        else:
            proof.append(tree_root(leaves[lo : lo + k]))
            lo, m, whole = lo + k, m - k, False
    if not whole:
        proof.append(tree_root(leaves[lo:hi]))
    return proof[::-1]


def _shift_to_set_bit(fn: int, sn: int) -> tuple[int, int]:
    while fn and not fn & 1:
        fn, sn = fn >> 1, sn >> 1
    return fn, sn


def verify_inclusion(
    leaf: bytes, index: int, size: int, path: Sequence[bytes], root: bytes
) -> bool:
    """Does ``path`` prove leaf hash ``leaf`` at ``index`` in the tree of ``size`` with
    ``root``? (RFC 9162 section 2.1.3.2)"""
    if index >= size or index < 0:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in path:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            fn, sn = _shift_to_set_bit(fn, sn)
        else:
            r = node_hash(r, p)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and r == root


def verify_consistency(
    first: int, second: int, first_root: bytes, second_root: bytes, proof: Sequence[bytes]
) -> bool:
    """Does ``proof`` show the tree of ``first`` leaves (``first_root``) to be a prefix of
    the tree of ``second`` leaves (``second_root``)? (RFC 9162 section 2.1.4.2; equal sizes
    need equal roots and an empty proof.)"""
    if first == second:
        return not proof and first_root == second_root
    if not 0 < first < second or not proof:
        return False
    path = list(proof)
    if first & (first - 1) == 0:
        path.insert(0, first_root)
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            fn, sn = _shift_to_set_bit(fn, sn)
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    return fr == first_root and sr == second_root and sn == 0
