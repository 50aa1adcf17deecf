"""The decision index of one store in this process: built once, kept fresh, asked first.

One holder per store (its SQLAlchemy engine) and rulebook, made on first use (``holder_for``)
and kept for the life of the process, with one rule engine: nothing is rebuilt per request.

- Until an index of every subject is built, a subject is swept into the index the first time
  it is asked about (one engine evaluation per day its answer can change), then answered by
  look-ups. ``start`` builds the index of every subject in a background thread (the API does
  so at start-up) and swaps it in when done.
- Before every answer the holder catches up with the store's committed changes: the feed
  events of kind ``record.*`` after its cursor (``events.id``, in commit order) name the
  subjects whose facts changed, written by this process or any other worker; those and the
  subjects reached from them through relations are re-swept with their facts read fresh. A
  write also calls ``refresh`` (``index.refresh_after_write``) after its commit, so that the
  writer pays for the re-sweep, before its response returns.
- A change that touches more than ``RESWEEP_LIMIT`` subjects (a large file ingested by
  another process) empties the index instead: every subject is swept again on demand, and a
  started holder builds anew in the background.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import weakref
from collections.abc import Iterable

from sqlalchemy import Connection, Engine, func, select

from socialcredit.core.engine import Engine as RuleEngine
from socialcredit.core.facts import MemoryFacts
from socialcredit.core.pack.model import Rulebook
from socialcredit.index import DecisionIndex, IndexDecision
from socialcredit.index.build import reached
from socialcredit.index.decisions import FactsFor
from socialcredit.services.decisions.index import merge_facts, relations_around, store_facts
from socialcredit.services.records.facts import load_all, load_subject
from socialcredit.settings import index_window
from socialcredit.store import tables as t

LOG = logging.getLogger(__name__)
RESWEEP_LIMIT = 500  # subjects re-swept at once before the index is rather built anew
# Built once: SQLAlchemy computes a statement's cache key on every execution of a new one.
LATEST = select(func.max(t.events.c.id))
FACTS_KEPT = 10_000  # subjects whose facts are kept for explanations (``IndexHolder.reader``)
_HOLDERS: weakref.WeakKeyDictionary[Engine, dict[int, IndexHolder]] = weakref.WeakKeyDictionary()
_REGISTRY = threading.Lock()


def holder_for(db_engine: Engine, book: Rulebook) -> IndexHolder:
    """This process's holder of the index of the store behind ``db_engine`` under ``book``."""
    with _REGISTRY:
        books = _HOLDERS.setdefault(db_engine, {})
        holder = books.get(id(book))
        if holder is None:
            holder = books[id(book)] = IndexHolder(db_engine, book, *index_window())
        return holder


def refresh_after_write(db_engine: Engine, subjects: Iterable[str] = ()) -> None:
    """Call after a write to the store has committed, before its response: every index of
    this store in this process catches up with it (the subjects of its record events, or
    ``subjects``, and those reached from them re-swept). Other processes catch up before
    their next answer."""
    for holder in holders_of(db_engine):
        holder.refresh(subjects)


def holders_of(db_engine: Engine) -> list[IndexHolder]:
    """The holders made in this process over ``db_engine`` (none: no index to refresh)."""
    with _REGISTRY:
        return list(_HOLDERS.get(db_engine, {}).values())


class IndexHolder:
    """The index over one store: swept on demand or built whole, caught up before answers."""

    def __init__(self, db_engine: Engine, book: Rulebook, start: dt.date, end: dt.date):
        self.db_engine, self.book = db_engine, book
        self.engine = RuleEngine(book)
        self.revisions = book.revisions()
        self.start, self.end = start, end
        self.index = self._empty()
        self.complete = False  # every subject of the store is in the index
        self.swept: set[str] = set()  # subjects swept on demand while not complete
        self.cursor: int | None = None  # the last feed event caught up with
        self.state = "on demand"  # "building" while a full build runs, then "ready"
        self._lock = threading.RLock()
        self._started = False
        self._facts: dict[str, MemoryFacts] = {}  # facts read for explanations (``reader``)
        self._generation = 0  # counts the changes caught up with: a read older is not kept

    def _empty(self) -> DecisionIndex:
        return DecisionIndex.build(self.book, MemoryFacts(), self.start, self.end)

    def covers(self, day: dt.date) -> bool:
        return self.start <= day < self.end

    def answer(
        self, db: Connection, subject: str, action: str, day: dt.date, explain: bool
    ) -> IndexDecision:
        """The index's answer (``source`` "index"), or the engine's for a day the index does
        not cover (``source`` "engine"), with the facts read through ``db`` when needed."""
        seen = self.generation
        self.catch_up(db)
        self.ensure([subject])
        return self.index.decide(subject, action, day, explain, self.reader(db, seen))

    def ensure(self, subjects: Iterable[str]) -> None:
        """Sweep on demand the subjects not yet in the index (nothing once it is complete),
        on facts read afresh under the lock: a caller's older snapshot could miss a write
        that another thread has caught up with meanwhile."""
        if self.complete:
            return
        missing = set(subjects) - self.swept
        if missing:
            with self._lock, self.db_engine.connect() as fresh:
                self._sweep(fresh, missing - self.swept, reach=False)

    def catch_up(self, db: Connection, also: Iterable[str] = ()) -> None:
        """Re-sweep the subjects of the record events committed since the cursor (and
        ``also``), with those reached from them."""
        latest = int(db.execute(LATEST).scalar() or 0)
        extra = set(also)
        if self.cursor is not None and latest <= self.cursor and not extra:
            return
        with self._lock:
            self._forget_facts()
            if self.cursor is None:  # nothing swept before this: nothing to re-sweep
                self.cursor = latest
            changed = extra | _changed_subjects(db, self.cursor, latest)
            self._sweep(db, changed, reach=True)
            self.cursor = max(self.cursor, latest)

    def refresh(self, subjects: Iterable[str] = ()) -> None:
        """After a committed write (about ``subjects``): catch up now, so that the writer
        pays for the re-sweep and the next answer needs none."""
        with self.db_engine.connect() as db:
            self.catch_up(db, subjects)

    def _sweep(self, db: Connection, subjects: set[str], reach: bool) -> None:
        """Re-sweep ``subjects`` (and, with ``reach``, those reached from them) on their
        facts as ``db`` reads them; too many at once: start the index afresh."""
        if not subjects:
            return
        touched = (
            reached(self.book, relations_around(db, subjects), subjects) if reach else subjects
        )
        if not self.complete:
            touched = (touched & self.swept) | (subjects if not reach else set())
        if len(touched) > RESWEEP_LIMIT:
            self._reset()
            return
        facts = MemoryFacts()
        for subject in sorted(touched):
            merge_facts(facts, load_subject(db, self.book, subject))
        self.index.update(touched, facts, store_facts(self.db_engine, self.book), reach=False)
        if not self.complete:
            self.swept |= touched

    def _reset(self) -> None:
        LOG.info("decision index: a large change; swept again on demand")
        self.index, self.complete, self.swept = self._empty(), False, set()
        self._forget_facts()
        if self._started:
            self._started = False
            self.start_building()

    def start_building(self) -> None:
        """Build the index of every subject in a background thread (once); answers come
        from on-demand sweeps until it is swapped in."""
        with self._lock:
            if self._started or self.complete:
                return
            self._started, self.state = True, "building"
        threading.Thread(target=self._build, name="decision-index", daemon=True).start()

    def build_now(self) -> None:
        """Build the index of every subject in this thread (tests, benchmarks)."""
        self._started, self.state = True, "building"
        self._build()

    def _build(self) -> None:
        try:
            with self.db_engine.connect() as db:
                # The cursor first: every change after it is caught up with after the swap.
                cursor = int(db.execute(LATEST).scalar() or 0)
                facts = load_all(db, self.book)
            built = DecisionIndex.build(
                self.book, facts, self.start, self.end, store_facts(self.db_engine, self.book)
            )
        except Exception:  # a store gone away: stay on demand, say so in the log
            LOG.exception("decision index: the build failed; answering on demand")
            self.state, self._started = "failed", False
            return
        with self._lock:
            self.index, self.complete, self.swept = built, True, set()
            self.cursor, self.state = cursor, "ready"
            self._forget_facts()

    @property
    def generation(self) -> int:
        """Read before ``catch_up``, given to ``reader``."""
        return self._generation

    def reader(self, db: Connection, seen: int | None = None) -> FactsFor:
        """A subject's facts (explanations, uncovered days): kept from an earlier answer
        when nothing changed since, else read through ``db``, after ``catch_up``.

        The kept facts are forgotten whenever a change is caught up with (``catch_up``
        past its cursor, a write's ``refresh``, a build swapped in, a reset), so that they
        are never older than what the index answers from. A read is kept only if no change
        was caught up with since ``seen`` (``generation`` read before the answer's
        ``catch_up``; None: none is kept), checked and stored under the lock that forgetting
        holds: a read whose snapshot began before another thread caught up with a write may
        miss it. At most ``FACTS_KEPT`` subjects are kept."""
        generation = -1 if seen is None else seen

        def facts_for(subject: str) -> MemoryFacts:
            found = self._facts.get(subject)
            if found is None:
                found = load_subject(db, self.book, subject)
                with self._lock:
                    if generation == self._generation:
                        if len(self._facts) >= FACTS_KEPT:
                            self._facts.clear()
                        self._facts[subject] = found
            return found

        return facts_for

    def _forget_facts(self) -> None:
        with self._lock:
            self._facts = {}
            self._generation += 1


def _changed_subjects(db: Connection, after: int, latest: int) -> set[str]:
    query = select(t.events.c.subject_id).where(
        t.events.c.id > after,
        t.events.c.id <= latest,
        t.events.c.kind.like("record.%"),
        t.events.c.subject_id.is_not(None),
    )
    return {row.subject_id for row in db.execute(query)}
