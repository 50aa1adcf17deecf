"""Publishing feed events so that a consumer following its cursor gets each exactly once.

The feed's cursor is the event id, and a consumer asks for ids above the last it saw. Ids
taken at insert would become visible at commit, in commit order, not id order: a long
transaction's events (small ids, committed late) would fall behind a consumer who already
moved past them. So on PostgreSQL ``publish`` keeps the rows with the transaction and
inserts them just before it commits, under a transaction-level advisory lock: ids are taken
only by the holder of the lock, which it releases after its commit is visible, so every id
is visible before any larger id is taken. The lock is held only from the insert to the
commit, never for the caller's whole transaction. SQLite already serialises writers from
their first write to their commit, so there the rows go in at once.

A transaction that publishes many events (an ingest of a large file) does not hold them all
in memory: past ``SPILL`` rows from earlier calls (outside savepoints) they are inserted under
*provisional* ids, negative and so below every cursor, and renumbered in order just before
commit, under the same lock. A savepoint rolled back takes its events with it, as it would
take inserted rows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, event, func, insert, select, text

from socialcredit.store import tables as t
from socialcredit.store.bulk import insert_rows
from socialcredit.store.commit_hooks import state_of, transaction_state

HOOK = "events.publish"
LOCK = 0x5C_FEED  # the advisory lock key of feed positions (any fixed bigint)
SPILL = 5000  # rows kept in memory before they go to the table under provisional ids
SEQUENCE = "pg_get_serial_sequence('events', 'id')"
RENUMBER = text(
    f"UPDATE events SET id = renumbered.new FROM ("
    f" SELECT old, nextval({SEQUENCE}) AS new FROM ("
    f"  SELECT id AS old FROM events WHERE id BETWEEN :low AND :high ORDER BY id DESC"
    f" ) AS provisional"
    f") AS renumbered WHERE events.id = renumbered.old"
)


def publish(db: Connection, rows: Sequence[Mapping[str, Any]] | Mapping[str, Any]) -> None:
    """Publish feed events (rows of ``events`` without ``id``; or one such row) with the
    caller's transaction."""
    if isinstance(rows, Mapping):
        rows = [rows]
    if not rows:
        return
    if db.dialect.name != "postgresql":
        insert_rows(db, t.events, rows)
        return
    _watch_savepoints(db)
    pending: _Pending = transaction_state(db, HOOK, _insert_before_commit, _Pending)
    if pending and len(pending) + len(rows) > SPILL and not db.in_nested_transaction():
        _spill(db, pending)  # what earlier calls published; this call's rows its caller holds
    pending.extend(dict(r) for r in rows)


def _spill(db: Connection, pending: _Pending) -> None:
    """Insert the rows under provisional ids (the sequence's next values, negated: later rows
    get lower ids) and remember their range."""
    provisional = insert(t.events).values(id=-func.nextval(text(SEQUENCE)))
    ids = db.execute(provisional.returning(t.events.c.id), list(pending)).scalars().all()
    pending.low = min([pending.low, *ids])
    pending.high = max([pending.high, *ids])
    pending.clear()


def _insert_before_commit(db: Connection, pending: _Pending) -> None:
    if pending or pending.low < 0:
        db.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK})
    if pending.low < 0:
        db.execute(RENUMBER, {"low": pending.low, "high": pending.high})
    if pending:
        insert_rows(db, t.events, list(pending))  # COPY: ids from the sequence, in order


def read(db: Connection, after: int, limit: int) -> list[dict[str, Any]]:
    """The events after cursor ``after``, oldest first (unfiltered; for tests and tools)."""
    query = select(t.events).where(t.events.c.id > after).order_by(t.events.c.id).limit(limit)
    return [dict(row._mapping) for row in db.execute(query)]


# --- savepoints: forget what a rolled-back savepoint published -------------------------------


class _Pending(list[dict[str, Any]]):
    """The transaction's unpublished rows, and a stack of their counts when each savepoint
    opened since the first row began (savepoints nest, so a stack follows them; one opened
    before the first row has no mark: everything is after it)."""

    def __init__(self) -> None:
        super().__init__()
        self.marks: list[int] = []
        self.low, self.high = 0, -(2**62)  # the range of provisional ids spilled


def _watch_savepoints(db: Connection) -> None:
    if not event.contains(db.engine, "savepoint", _mark):
        event.listen(db.engine, "savepoint", _mark)
        event.listen(db.engine, "rollback_savepoint", _undo)
        event.listen(db.engine, "release_savepoint", _keep)


def _mark(db: Connection, _name: str | None) -> None:
    pending = state_of(db, HOOK)
    if pending is not None:
        pending.marks.append(len(pending))


def _undo(db: Connection, _name: str, _context: object) -> None:
    pending = state_of(db, HOOK)
    if pending is not None:
        del pending[pending.marks.pop() if pending.marks else 0 :]


def _keep(db: Connection, _name: str, _context: object) -> None:
    pending = state_of(db, HOOK)
    if pending is not None and pending.marks:
        pending.marks.pop()
