"""Writing a use case's audit entry, in the use case's own transaction."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import Connection

from socialcredit.core.access import Principal
from socialcredit.store.audit_log import append
from socialcredit.store.public_reads import log_read


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
    append(db, _entry(caller, action, subject, purpose, result, revisions))


def audit_read(
    db: Connection,
    caller: Principal,
    action: str,
    *,
    subject: str,
    purpose: str | None = None,
    result: str | None = None,
    revisions: Mapping[str, str] | None = None,
) -> None:
    """Log a read of ``subject``'s data: counted, not chained, for a public caller (who
    could otherwise grow the chain and contend for its lock at will); chained like
    ``audit`` for everyone else (``store.public_reads.log_read``)."""
    log_read(db, _entry(caller, action, subject, purpose, result, revisions))


def _entry(
    caller: Principal,
    action: str,
    subject: str | None,
    purpose: str | None,
    result: str | None,
    revisions: Mapping[str, str] | None,
) -> dict[str, object]:
    return {
        "actor": caller.actor,
        "action": action,
        "subject": subject,
        "purpose": purpose,
        "result": result,
        "revisions": dict(revisions or {}),
    }
