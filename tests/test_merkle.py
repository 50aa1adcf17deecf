"""The Merkle tree of the audit log against a naive recomputation of RFC 9162's definitions
(section 2.1): roots, inclusion proofs and consistency proofs, for every shape of tree."""

from __future__ import annotations

import hashlib

from hypothesis import given
from hypothesis import strategies as st

from socialcredit.core.merkle import (
    EMPTY_ROOT,
    consistency_proof,
    extend,
    inclusion_proof,
    leaf_hash,
    root_of,
    tree_root,
    verify_consistency,
    verify_inclusion,
)


def naive_mth(entries: list[bytes]) -> bytes:
    """MTH(D[n]) exactly as RFC 9162 writes it, recursively over the entries themselves."""
    n = len(entries)
    if n == 0:
        return hashlib.sha256(b"").digest()
    if n == 1:
        return hashlib.sha256(b"\x00" + entries[0]).digest()
    k = 1
    while k * 2 < n:
        k *= 2
    return hashlib.sha256(b"\x01" + naive_mth(entries[:k]) + naive_mth(entries[k:])).digest()


def naive_path(m: int, entries: list[bytes]) -> list[bytes]:
    n = len(entries)
    if n == 1:
        return []
    k = 1
    while k * 2 < n:
        k *= 2
    if m < k:
        return [*naive_path(m, entries[:k]), naive_mth(entries[k:])]
    return [*naive_path(m - k, entries[k:]), naive_mth(entries[:k])]


def naive_subproof(m: int, entries: list[bytes], whole: bool) -> list[bytes]:
    n = len(entries)
    if m == n:
        return [] if whole else [naive_mth(entries)]
    k = 1
    while k * 2 < n:
        k *= 2
    if m <= k:
        return [*naive_subproof(m, entries[:k], whole), naive_mth(entries[k:])]
    return [*naive_subproof(m - k, entries[k:], False), naive_mth(entries[:k])]


entry_lists = st.lists(st.binary(max_size=8), min_size=1, max_size=70)


@given(entry_lists)
def test_the_root_is_rfc_9162s_mth(entries: list[bytes]) -> None:
    leaves = [leaf_hash(e) for e in entries]
    assert tree_root(leaves) == naive_mth(entries)


@given(entry_lists, st.integers(min_value=0, max_value=70))
def test_a_frontier_extended_in_two_steps_gives_the_same_root(
    entries: list[bytes], cut: int
) -> None:
    leaves = [leaf_hash(e) for e in entries]
    cut = min(cut, len(leaves))
    frontier = extend(extend([], 0, leaves[:cut]), cut, leaves[cut:])
    assert root_of(frontier) == naive_mth(entries)
    assert len(frontier) == bin(len(leaves)).count("1")


def test_the_empty_tree_hashes_the_empty_string() -> None:
    assert tree_root([]) == EMPTY_ROOT == naive_mth([])


@given(entry_lists, st.data())
def test_inclusion_proofs_match_and_verify(entries: list[bytes], data: st.DataObject) -> None:
    leaves = [leaf_hash(e) for e in entries]
    m = data.draw(st.integers(min_value=0, max_value=len(leaves) - 1))
    path = inclusion_proof(m, leaves)
    root = naive_mth(entries)
    assert path == naive_path(m, entries)
    assert verify_inclusion(leaves[m], m, len(leaves), path, root)
    assert not verify_inclusion(leaf_hash(entries[m] + b"x"), m, len(leaves), path, root)
    if len(leaves) > 1:
        other = (m + 1) % len(leaves)
        assert not verify_inclusion(leaves[m], other, len(leaves), path, root) or (
            leaves[other] == leaves[m] and path == inclusion_proof(other, leaves)
        )


@given(entry_lists, st.data())
def test_consistency_proofs_match_and_verify(entries: list[bytes], data: st.DataObject) -> None:
    leaves = [leaf_hash(e) for e in entries]
    n = len(leaves)
    m = data.draw(st.integers(min_value=1, max_value=n))
    proof = consistency_proof(m, leaves)
    assert proof == naive_subproof(m, entries, True)
    first, second = naive_mth(entries[:m]), naive_mth(entries)
    assert verify_consistency(m, n, first, second, proof)
    forged = naive_mth([*entries[: m - 1], entries[m - 1] + b"x"])
    assert not verify_consistency(m, n, forged, second, proof)
    if m < n:
        assert not verify_consistency(m, n, first, naive_mth([*entries[:-1], b"?"]), proof) or (
            entries[-1] == b"?"
        )


@given(entry_lists, st.data())
def test_a_rewritten_prefix_has_no_consistency_proof(
    entries: list[bytes], data: st.DataObject
) -> None:
    """Whatever proof an insider offers, a tree whose first m entries changed is not an
    extension of the signed tree of m."""
    n = len(entries)
    m = data.draw(st.integers(min_value=1, max_value=n))
    i = data.draw(st.integers(min_value=0, max_value=m - 1))
    rewritten = [*entries[:i], entries[i] + b"!", *entries[i + 1 :]]
    leaves = [leaf_hash(e) for e in rewritten]
    proof = consistency_proof(m, leaves)
    assert not verify_consistency(m, n, naive_mth(entries[:m]), tree_root(leaves), proof)


def test_bad_proof_requests_are_refused_clearly() -> None:
    leaves = [leaf_hash(b"a")]
    for call in (lambda: inclusion_proof(1, leaves), lambda: consistency_proof(2, leaves)):
        try:
            call()
        except ValueError as error:
            assert "leaves" in str(error)
        else:
            raise AssertionError("accepted an index outside the tree")
