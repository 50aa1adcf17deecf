"""One label run at a time stores its result: a run compares what it found with the measures
in force after the last run (``labelling.events``) and emits the differences as feed events,
so two runs that overlap must not both compare against the same last run (issue 13 item 18).

The lock is taken first in the transaction that compares and stores, and is held until it
commits: PostgreSQL's transaction-scoped advisory lock; on SQLite the database's write lock,
taken at once by a write that changes nothing (the busy timeout makes the second run wait).
"""

from __future__ import annotations

from sqlalchemy import Connection, text

LABEL_LOCK = 7_202_612  # the PostgreSQL advisory lock of labelling (ingest's is 7_202_611)


def serialise_labelling(db: Connection) -> None:
    """Wait until no other run is storing its result, then hold that right until ``db``'s
    transaction ends."""
    if db.dialect.name == "postgresql":
        db.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LABEL_LOCK})
    elif db.dialect.name == "sqlite":
        db.execute(text("UPDATE label_runs SET id = id WHERE 0"))
