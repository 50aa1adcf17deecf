"""Work to do just before a transaction commits, inside it.

SQLAlchemy calls a connection's ``commit`` listeners before it sends COMMIT, while the
transaction is still open, so work registered here (allocating feed positions, sealing the
audit log) commits or rolls back with the caller's own writes. State is kept per
transaction object, so a transaction that rolls back (or is closed without commit) leaves
nothing behind for the next one.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, Engine, event

Work = Callable[[Connection, Any], None]
_pending: weakref.WeakKeyDictionary[Any, dict[str, tuple[Work, Any]]] = weakref.WeakKeyDictionary()


def transaction_state(db: Connection, name: str, work: Work, initial: Callable[[], Any]) -> Any:
    """The state that ``work(db, state)`` will receive just before the current transaction
    commits (made by ``initial`` on the first call in the transaction; the caller may change
    it until then). Nothing runs if the transaction rolls back."""
    _listen(db.engine)
    transaction = db.get_transaction() or db.begin()  # what autobegin would start
    hooks = _pending.setdefault(transaction, {})
    if name not in hooks:
        hooks[name] = (work, initial())
    return hooks[name][1]


def state_of(db: Connection, name: str) -> Any | None:
    """The state registered under ``name`` in the current transaction, if any."""
    transaction = db.get_transaction()
    hooks = _pending.get(transaction) if transaction is not None else None
    return hooks[name][1] if hooks and name in hooks else None


def _listen(engine: Engine) -> None:
    if not event.contains(engine, "commit", _run):
        event.listen(engine, "commit", _run)
        event.listen(engine, "rollback", _forget)


def _run(db: Connection) -> None:
    transaction = db.get_transaction()
    hooks = _pending.pop(transaction, None) if transaction is not None else None
    for work, state in (hooks or {}).values():
        work(db, state)


def _forget(db: Connection) -> None:
    transaction = db.get_transaction()
    if transaction is not None:
        _pending.pop(transaction, None)
