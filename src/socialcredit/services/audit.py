"""Writing a use case's audit entry, in the use case's own transaction."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import Connection

from socialcredit.core.access import Principal
from socialcredit.store.audit_log import append, append_many


def audit(
    db: Connection,
    caller: Principal,
    action: str,
    *,
    subject: str | None = None,
    purpose: str | None = None,
    result: str | None = None,
    revisions: Mapping[str, str] | None = None,
) -> None:
    """Append one entry: who (``caller``) did what (``action``) about whom, why, with what."""
    entry = {
        "actor": caller.actor,
        "action": action,
        "subject": subject,
        "purpose": purpose,
        "result": result,
        "revisions": dict(revisions or {}),
    }
    append(db, entry)


def audit_many(
    db: Connection, caller: Principal, action: str, entries: Iterable[Mapping[str, Any]]
) -> None:
    """Append one entry per item of ``entries`` (subject, purpose, result, revisions), all
    by ``caller`` doing ``action``, with one insert: what ``audit`` writes for each."""
    append_many(
        db,
        [
            {
                "actor": caller.actor,
                "action": action,
                "subject": entry.get("subject"),
                "purpose": entry.get("purpose"),
                "result": entry.get("result"),
                "revisions": dict(entry.get("revisions") or {}),
            }
            for entry in entries
        ],
    )
