"""A background sealer: decisions logged without sealing at their commit are chained in
groups, every few seconds, by one thread per store in the API's process.

Each decision's entry is committed to ``audit_pending`` before its answer is returned (so a
crash loses nothing, docs/audit-log.md); what the sealer saves is the sealing work each
decision's transaction would otherwise do (locking the tree's row, reading the chain's last
entry, writing the sealed rows) — 60% of a single decision's time in process. Started when
``SOCIALCREDIT_AUDIT_SEAL_EVERY`` is above 0; until then every entry is sealed at its commit.
"""

from __future__ import annotations

import logging
import threading
import weakref

from sqlalchemy import Engine, select

from socialcredit.store import tables as t
from socialcredit.store.audit_log import seal

LOG = logging.getLogger(__name__)
_SEALERS: weakref.WeakKeyDictionary[Engine, threading.Event] = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


def sealer_running(engine: Engine) -> bool:
    """Whether this process runs a background sealer for the store behind ``engine``."""
    stopped = _SEALERS.get(engine)
    return stopped is not None and not stopped.is_set()


def start_sealer(engine: Engine, every: float) -> threading.Event:
    """Seal the pending entries every ``every`` seconds in a daemon thread (once per store);
    set the returned event to stop it."""
    with _LOCK:
        stopped = _SEALERS.get(engine)
        if stopped is not None and not stopped.is_set():
            return stopped
        stopped = _SEALERS[engine] = threading.Event()
    thread = threading.Thread(
        target=_run, args=(engine, every, stopped), name="audit-sealer", daemon=True
    )
    thread.start()
    return stopped


def seal_pending(engine: Engine) -> int:
    """Seal what is pending now, if anything; how many entries were sealed."""
    with engine.connect() as db:
        waiting = db.execute(select(t.audit_pending.c.id).limit(1)).first()
    if waiting is None:
        return 0
    with engine.begin() as db:
        return seal(db, wait=False)


def _run(engine: Engine, every: float, stopped: threading.Event) -> None:
    while not stopped.wait(every):
        try:
            seal_pending(engine)
        except Exception:  # the store gone away (a test's schema dropped): stop quietly
            LOG.exception("audit sealer: stopping")
            stopped.set()
            return
