"""Portal sessions: a random token per sign-in, stored hashed with the API key it stands for.

The browser never holds the key itself, so a stolen cookie is not a key to the API; a session
ends when it expires, when its holder signs out, or when its key is revoked.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from sqlalchemy import Engine, delete, insert, select

from socialcredit.core.access import Principal
from socialcredit.services.access.keys import principal_of
from socialcredit.store import tables as t

LIFETIME = dt.timedelta(hours=8)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def open_session(engine: Engine, key_id: str, now: dt.datetime | None = None) -> str:
    """A new session for a key; returns the token the cookie carries."""
    now = now or dt.datetime.now(dt.UTC)
    token = secrets.token_urlsafe(32)
    values = {"token_hash": _hash(token), "key_id": key_id, "created_at": now}
    with engine.begin() as db:
        db.execute(delete(t.portal_sessions).where(t.portal_sessions.c.expires_at <= now))
        db.execute(insert(t.portal_sessions).values(**values, expires_at=now + LIFETIME))
    return token


def session_principal(
    engine: Engine, token: str, now: dt.datetime | None = None
) -> Principal | None:
    """The principal of a session that has not expired and whose key is not revoked."""
    now = now or dt.datetime.now(dt.UTC)
    s, k = t.portal_sessions.c, t.api_keys.c
    query = (
        select(t.api_keys, s.expires_at)
        .join(t.portal_sessions, s.key_id == k.id)
        .where(s.token_hash == _hash(token), k.revoked_at.is_(None))
    )
    with engine.connect() as db:
        row = db.execute(query).first()
    if row is None or _aware(row.expires_at) <= now:
        return None
    return principal_of(row)


def close_session(engine: Engine, token: str) -> None:
    with engine.begin() as db:
        db.execute(delete(t.portal_sessions).where(t.portal_sessions.c.token_hash == _hash(token)))


def _aware(moment: dt.datetime) -> dt.datetime:
    """SQLite gives back naive datetimes; they were written in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
