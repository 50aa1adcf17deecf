"""Portal sessions in the store: a token stands for a key until it expires, is closed, or
its key is revoked; only the token's hash is stored."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine, select

from socialcredit.services.access.keys import create_key, revoke_key
from socialcredit.services.access.sessions import (
    LIFETIME,
    close_session,
    open_session,
    session_principal,
)
from socialcredit.store import tables as t
from tests.conftest import RIC

NOW = dt.datetime(2026, 11, 26, 9, 0, tzinfo=dt.UTC)


def test_a_session_stands_for_its_key_until_it_expires(store: Engine) -> None:
    key = create_key(store, "subject", "Zhang San", subject=RIC)
    key_id = key.split("_")[1]
    token = open_session(store, key_id, NOW)
    caller = session_principal(store, token, NOW + LIFETIME - dt.timedelta(seconds=1))
    assert caller is not None and caller.subject == RIC and caller.key_id == key_id
    assert session_principal(store, token, NOW + LIFETIME) is None
    assert session_principal(store, token + "x", NOW) is None
    with store.connect() as db:
        stored = db.execute(select(t.portal_sessions.c.token_hash)).scalars().all()
    assert token not in stored and key not in stored


def test_closing_or_revoking_ends_a_session(store: Engine) -> None:
    key = create_key(store, "agency", "court", agency="court")
    key_id = key.split("_")[1]
    closed, revoked = open_session(store, key_id, NOW), open_session(store, key_id, NOW)
    close_session(store, closed)
    assert session_principal(store, closed, NOW) is None
    assert session_principal(store, revoked, NOW) is not None
    assert revoke_key(store, key_id)
    assert session_principal(store, revoked, NOW) is None
