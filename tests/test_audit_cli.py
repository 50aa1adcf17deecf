"""``socialcredit audit-log``: init creates the key beside the store, sign writes heads to the
store and the witness file, verify finds a consistent rewrite and exits 1, and the proofs
verify."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import load_pem_public_key
from sqlalchemy import update
from typer.testing import CliRunner

from socialcredit.cli.main import app
from socialcredit.core.merkle import verify_inclusion
from socialcredit.core.tree_head import TreeHead, signature_problem
from socialcredit.store import tables as t
from socialcredit.store.database import connect
from tests.test_audit_tamper import alter, rewrite

runner = CliRunner()


@pytest.fixture
def signed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.delenv("SOCIALCREDIT_AUDIT_KEY", raising=False)
    monkeypatch.delenv("SOCIALCREDIT_AUDIT_WITNESS", raising=False)
    db = f"sqlite:///{tmp_path / 'store.db'}"
    init = runner.invoke(app, ["init", "--db", db])
    assert init.exit_code == 0 and "store.audit-key.pem" in init.output
    for name in ("one", "two", "three"):
        assert (
            runner.invoke(app, ["keys", "create", "auditor", "--name", name, "--db", db]).exit_code
            == 0
        )
        signed = runner.invoke(app, ["audit-log", "sign", "--db", db])
        assert signed.exit_code == 0, signed.output
    return db


def test_sign_then_verify(signed: str, tmp_path: Path) -> None:
    witness = tmp_path / "store.audit-heads.jsonl"
    assert len(witness.read_text().splitlines()) == 3
    result = runner.invoke(app, ["audit-log", "verify", "--db", signed])
    assert result.exit_code == 0, result.output
    assert "3 entries, 3 signed heads (3 witnessed)" in result.output


def test_verify_finds_a_consistent_rewrite(signed: str) -> None:
    engine = connect(signed)
    with engine.begin() as db:
        rewrite(db, alter(1))
    result = runner.invoke(app, ["audit-log", "verify", "--db", signed])
    assert result.exit_code == 1
    assert "entries 1-1 no longer hash to its root" in result.output


def test_verify_without_a_key_checks_the_chain_and_says_so(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'bare.db'}"
    assert runner.invoke(app, ["init", "--db", db]).exit_code == 0
    (tmp_path / "bare.audit-key.pem").unlink()
    result = runner.invoke(app, ["audit-log", "verify", "--db", db])
    assert result.exit_code == 0 and "only the chain was checked" in result.output


def test_heads_without_the_key_are_a_problem(signed: str, tmp_path: Path) -> None:
    (tmp_path / "store.audit-key.pem").unlink()
    result = runner.invoke(app, ["audit-log", "verify", "--db", signed])
    assert result.exit_code == 1 and "no public key to check them" in result.output


def test_proofs_are_printed_and_verify(signed: str) -> None:
    inclusion = runner.invoke(app, ["audit-log", "prove", "2", "--db", signed])
    proof = json.loads(inclusion.output)
    assert proof["verified"] and proof["tree_size"] == 3 and proof["signed_head"]
    consistency = runner.invoke(app, ["audit-log", "consistency", "1", "3", "--db", signed])
    assert json.loads(consistency.output)["verified"]
    outside = runner.invoke(app, ["audit-log", "prove", "9", "--db", signed])
    assert outside.exit_code == 1 and "entry 9 is not in the tree of 3 entries" in outside.output


def test_the_signer_refuses_a_tampered_head(signed: str) -> None:
    engine = connect(signed)
    with engine.begin() as db:
        db.execute(update(t.audit_heads).values(tree_size=t.audit_heads.c.tree_size + 100))
    result = runner.invoke(app, ["audit-log", "sign", "--db", signed])
    assert result.exit_code == 1 and "refusing to sign" in result.output


def test_a_witness_checks_a_proof_with_the_public_key_alone(signed: str) -> None:
    pem = runner.invoke(app, ["audit-log", "public-key", "--db", signed]).output
    public = load_pem_public_key(pem.encode())
    assert isinstance(public, Ed25519PublicKey)
    proof = json.loads(runner.invoke(app, ["audit-log", "prove", "1", "--db", signed]).output)
    head = TreeHead.from_dict(proof["signed_head"])
    assert signature_problem(head, public) is None
    path = [bytes.fromhex(p) for p in proof["path"]]
    leaf, root = bytes.fromhex(proof["leaf_hash"]), bytes.fromhex(head.root_hash)
    assert verify_inclusion(leaf, 0, head.tree_size, path, root)
    assert not verify_inclusion(leaf, 1, head.tree_size, path, root)
