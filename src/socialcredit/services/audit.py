"""Writing a use case's audit entry, in the use case's own transaction."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import Connection

from socialcredit.core.access import Principal
from socialcredit.store.audit_log import append


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
