"""API keys: created once and shown once, stored as a sha256 hash, revocable."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from sqlalchemy import Engine, bindparam, select, update

from socialcredit.core.access import ROLES, Principal, Role
from socialcredit.core.errors import SocialCreditError
from socialcredit.core.identifiers import parse_id
from socialcredit.services.access.principals import cli_principal
from socialcredit.services.audit import audit
from socialcredit.services.errors import forbidden
from socialcredit.store import tables as t

PREFIX = "sck"
# Built once (every request authenticates): a new statement's cache key is computed anew.
BY_HASH = select(t.api_keys).where(t.api_keys.c.key_hash == bindparam("hash"))


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def create_key(
    engine: Engine,
    role: str,
    name: str,
    agency: str | None = None,
    subject: str | None = None,
    scopes: dict[str, list[str]] | None = None,
    by: Principal | None = None,
) -> str:
    """Create a key and return it (the only time it is seen in clear). ``by``: who creates it
    (an administrator; default the command line's principal), named in the audit log."""
    by = by or cli_principal()
    if by.role != "admin":
        raise forbidden("only an administrator creates keys")
    if role not in ROLES:
        raise SocialCreditError(f"unknown role {role!r}; roles are {', '.join(ROLES)}")
    if role == "agency" and not agency:
        raise SocialCreditError("an agency key names its agency (--agency)")
    if role == "subject":
        if not subject:
            raise SocialCreditError("a subject key names its subject (--subject)")
        subject = parse_id(subject).code
    key_id = secrets.token_hex(4)
    key = f"{PREFIX}_{key_id}_{secrets.token_urlsafe(24)}"
    with engine.begin() as db:
        db.execute(
            t.api_keys.insert().values(
                id=key_id,
                key_hash=_hash(key),
                role=role,
                name=name,
                agency=agency,
                subject_id=subject,
                scopes=scopes or {},
                created_at=dt.datetime.now(dt.UTC),
            )
        )
        audit(db, by, "key.create", result=f"{role}:{name}:{key_id}")
    return key


def list_keys(engine: Engine) -> list[dict[str, Any]]:
    with engine.connect() as db:
        rows = db.execute(select(t.api_keys).order_by(t.api_keys.c.created_at))
        return [{k: v for k, v in row._mapping.items() if k != "key_hash"} for row in rows]


def revoke_key(engine: Engine, key_id: str, by: Principal | None = None) -> bool:
    """Revoke an active key at once; False when there is none by that id."""
    by = by or cli_principal()
    if by.role != "admin":
        raise forbidden("only an administrator revokes keys")
    with engine.begin() as db:
        done = db.execute(
            update(t.api_keys)
            .where(t.api_keys.c.id == key_id, t.api_keys.c.revoked_at.is_(None))
            .values(revoked_at=dt.datetime.now(dt.UTC))
        ).rowcount
        if done:
            audit(db, by, "key.revoke", result=key_id)
    return bool(done)


def authenticate(engine: Engine, key: str) -> Principal | None:
    """The principal a key stands for, or None when it is unknown or revoked."""
    with engine.connect() as db:
        row = db.execute(BY_HASH, {"hash": _hash(key)}).first()
    if row is None or row.revoked_at is not None:
        return None
    return principal_of(row)


def principal_of(row: Any) -> Principal:
    """The principal of a row of ``api_keys``."""
    scopes = row.scopes or {}
    role: Role = row.role
    return Principal(
        key_id=row.id,
        role=role,
        name=row.name,
        agency=row.agency,
        subject=row.subject_id,
        categories=frozenset(scopes.get("categories", [])),
        disclosures=frozenset(scopes.get("disclosures", [])),
        actions=frozenset(scopes.get("actions", [])),
    )
