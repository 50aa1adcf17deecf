"""Writing a use case's audit entry, in the use case's own transaction."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import Connection

from socialcredit.core.access import Principal
from socialcredit.store.audit_log import append_many
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
    seal_at_commit: bool = True,
) -> None:
    """Append one entry: who (``caller``) did what (``action``) about whom, why, with what.
    ``seal_at_commit`` false: chained later by a sealer (``start_sealer``)."""
    entry = _entry(caller, action, subject, purpose, result, revisions)
    append_many(db, [entry], seal_at_commit)


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


def audit_many(
    db: Connection,
    caller: Principal,
    action: str,
    entries: Iterable[Mapping[str, Any]],
    seal_at_commit: bool = True,
) -> None:
    """Append one entry per item of ``entries`` (subject, purpose, result, revisions), all
    by ``caller`` doing ``action``, with one insert: what ``audit`` writes for each."""
    logged = [
        _entry(
            caller,
            action,
            entry.get("subject"),
            entry.get("purpose"),
            entry.get("result"),
            entry.get("revisions"),
        )
        for entry in entries
    ]
    append_many(db, logged, seal_at_commit)


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
