"""Writing a use case's audit entry, in the use case's own transaction."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import Connection

from socialcredit.core.access import Principal
from socialcredit.store.audit_log import append_many


def audit(
    db: Connection,
    caller: Principal,
    action: str,
    *,
    subject: str | None = None,
    purpose: str | None = None,
    result: str | None = None,
    revisions: Mapping[str, str] | None = None,
    seal_at_commit: bool = True,
) -> None:
    """Append one entry: who (``caller``) did what (``action``) about whom, why, with what.
    ``seal_at_commit`` false: chained later by a sealer (``start_sealer``)."""
    entry = {
        "actor": caller.actor,
        "action": action,
        "subject": subject,
        "purpose": purpose,
        "result": result,
        "revisions": dict(revisions or {}),
    }
    append_many(db, [entry], seal_at_commit)


def audit_many(
    db: Connection,
    caller: Principal,
    action: str,
    entries: Iterable[Mapping[str, Any]],
    seal_at_commit: bool = True,
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
        seal_at_commit,
    )
