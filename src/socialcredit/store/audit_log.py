"""The audit log in the store: append under a lock, read in order, verify."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import Connection, select, text

from socialcredit.core.audit import chain_entry, verify
from socialcredit.store import tables as t


def append(db: Connection, entry: Mapping[str, Any]) -> dict[str, Any]:
    """Append one entry (actor, action, subject, purpose, result, revisions) to the chain."""
    return append_many(db, [entry])[0]


def append_many(db: Connection, new: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Append entries in order with one read of the last entry and one multi-row insert."""
    _lock(db)
    last = db.execute(select(t.audit_log).order_by(t.audit_log.c.seq.desc()).limit(1)).first()
    previous: dict[str, Any] | None = dict(last._mapping) if last else None
    at = dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")
    rows = []
    for entry in new:
        content = {
            "seq": previous["seq"] + 1 if previous else 1,
            "at": at,
            "actor": entry["actor"],
            "action": entry["action"],
            "subject": entry.get("subject"),
            "purpose": entry.get("purpose"),
            "result": entry.get("result"),
            "revisions": dict(entry.get("revisions") or {}),
        }
        previous = chain_entry(previous, content)
        rows.append(previous)
    if rows:
        db.execute(t.audit_log.insert(), rows)
    return rows


def _lock(db: Connection) -> None:
    """Hold the write lock before reading the last entry, so that two writers cannot both
    take the same next number: PostgreSQL locks the table; SQLite takes its database write
    lock with a write that changes nothing."""
    if db.dialect.name == "postgresql":
        db.execute(text("LOCK TABLE audit_log IN EXCLUSIVE MODE"))
    elif db.dialect.name == "sqlite":
        db.execute(text("UPDATE audit_log SET seq = seq WHERE 0"))


def entries(db: Connection, subject: str | None = None) -> list[dict[str, Any]]:
    query = select(t.audit_log).order_by(t.audit_log.c.seq)
    if subject is not None:
        query = query.where(t.audit_log.c.subject == subject)
    return [dict(row._mapping) for row in db.execute(query)]


def verify_chain(db: Connection) -> list[str]:
    return verify(entries(db))
