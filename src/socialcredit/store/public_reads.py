"""Reads by public callers, counted instead of chained (issue 13 item 19).

A public read shows public data to someone the service cannot name (the anonymous portal, or
a public key): chaining each one would let anyone grow the audit log and contend for its
sealer at will, and each entry would say no more than "the public read S today". So such
reads add one to a counter per subject, day and caller: one small row, updated in place,
under a lock on that row only. Reads by named callers (agencies, subjects, auditors) are
chained as before.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection, select
from sqlalchemy.dialects import postgresql, sqlite

from socialcredit.store import tables as t
from socialcredit.store.audit_log import append

PUBLIC_ACTOR = "public:"


def count_public_read(
    db: Connection, subject_id: str, actor: str, day: dt.date | None = None
) -> None:
    """Add one to the reads of ``subject_id`` by ``actor`` on ``day`` (today, UTC)."""
    dialect = postgresql if db.dialect.name == "postgresql" else sqlite
    c = t.public_reads.c
    statement = dialect.insert(t.public_reads).values(
        subject_id=subject_id, day=day or dt.datetime.now(dt.UTC).date(), actor=actor, reads=1
    )
    db.execute(
        statement.on_conflict_do_update(
            index_elements=[c.subject_id, c.day, c.actor], set_={"reads": c.reads + 1}
        )
    )


def log_read(db: Connection, entry: Mapping[str, Any]) -> None:
    """Log a read: counted for a public caller (``actor`` ``public:...``) reading a subject,
    chained with ``append`` for everyone else."""
    subject = entry.get("subject")
    if str(entry["actor"]).startswith(PUBLIC_ACTOR) and subject:
        count_public_read(db, subject, str(entry["actor"])[:128])
    else:
        append(db, entry)


def public_reads(db: Connection, subject_id: str) -> list[dict[str, Any]]:
    """The public reads of a subject, newest day first."""
    c = t.public_reads.c
    query = select(c.day, c.actor, c.reads).where(c.subject_id == subject_id)
    return [dict(r._mapping) for r in db.execute(query.order_by(c.day.desc(), c.actor))]
