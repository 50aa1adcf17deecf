"""The use case "verify the audit log": auditors and administrators check its chain, its
signed heads and the witness file; and the operator's tools over the log (seal, sign, prove),
which the command line reaches through here, never through the store."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine

from socialcredit.core.access import Principal
from socialcredit.services.errors import forbidden
from socialcredit.settings import audit_key_path, audit_witness_path
from socialcredit.store.audit_heads import read_witness, sign_head, verify_log
from socialcredit.store.audit_key import ensure_key, load_private_key, load_public_key, public_pem
from socialcredit.store.audit_log import seal
from socialcredit.store.audit_proofs import consistency, inclusion

__all__ = [
    "consistency",
    "ensure_key",
    "inclusion",
    "load_private_key",
    "load_public_key",
    "public_pem",
    "read_witness",
    "seal",
    "sign_head",
    "verify_audit_log",
    "verify_log",
]


def verify_audit_log(engine: Engine, caller: Principal) -> dict[str, Any]:
    """How many entries, whether the chain is intact, and every problem found."""
    if caller.role not in ("auditor", "admin"):
        raise forbidden(f"a {caller.role} key may not do this")
    url = engine.url.render_as_string(hide_password=False)
    key_path = audit_key_path(url)
    public = load_public_key(key_path) if key_path.exists() else None
    with engine.connect() as db:
        report = verify_log(db, public, read_witness(audit_witness_path(url)))
    problems = list(report["problems"])
    return {"entries": report["entries"], "intact": not problems, "problems": problems}
