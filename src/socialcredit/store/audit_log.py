"""The audit log in the store: append under a lock, read in order, verify."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection, select, text

from socialcredit.core.audit import chain_entry, verify
from socialcredit.store import tables as t


def append(db: Connection, entry: Mapping[str, Any]) -> dict[str, Any]:
    """Append one entry (actor, action, subject, purpose, result, revisions) to the chain."""
    if db.dialect.name == "postgresql":
        db.execute(text("LOCK TABLE audit_log IN EXCLUSIVE MODE"))
    last = db.execute(select(t.audit_log).order_by(t.audit_log.c.seq.desc()).limit(1)).first()
    content = {
        "seq": (last.seq + 1) if last else 1,
        "at": dt.datetime.now(dt.UTC).isoformat(timespec="microseconds"),
        "actor": entry["actor"],
        "action": entry["action"],
        "subject": entry.get("subject"),
        "purpose": entry.get("purpose"),
        "result": entry.get("result"),
        "revisions": dict(entry.get("revisions") or {}),
    }
    row = chain_entry(dict(last._mapping) if last else None, content)
    db.execute(t.audit_log.insert().values(**row))
    return row


def entries(db: Connection, subject: str | None = None) -> list[dict[str, Any]]:
    query = select(t.audit_log).order_by(t.audit_log.c.seq)
    if subject is not None:
        query = query.where(t.audit_log.c.subject == subject)
    return [dict(row._mapping) for row in db.execute(query)]


def verify_chain(db: Connection) -> list[str]:
    return verify(entries(db))
