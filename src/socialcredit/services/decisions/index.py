"""The decision index over the store: build it after labelling, refresh it after a write.

A thin adapter; the index itself is ``socialcredit.index``. Built from every fact of the
store (as labelling loads them), it answers later explanations and uncovered days from the
store, one subject at a time, as ``decide`` does today. ``refresh`` re-sweeps the subjects a
write touched and those reached from them through relations, with their facts read fresh.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import Connection, Engine, or_, select

from socialcredit.core.facts import MemoryFacts, Relation
from socialcredit.core.pack.model import Rulebook
from socialcredit.index import DecisionIndex
from socialcredit.index.build import reached
from socialcredit.index.decisions import FactsFor
from socialcredit.services.records.facts import load_all, load_subject
from socialcredit.store import tables as t


def store_facts(db_engine: Engine, book: Rulebook) -> FactsFor:
    """A subject's facts read from the store when asked (explanations, uncovered days)."""

    def facts_for(subject_id: str) -> MemoryFacts:
        with db_engine.connect() as db:
            return load_subject(db, book, subject_id)

    return facts_for


def build_index(db_engine: Engine, book: Rulebook, start: dt.date, end: dt.date) -> DecisionIndex:
    """The index of every subject in the store over the days [start, end)."""
    with db_engine.connect() as db:
        facts = load_all(db, book)
    return DecisionIndex.build(book, facts, start, end, store_facts(db_engine, book))


def refresh(
    index: DecisionIndex, db_engine: Engine, book: Rulebook, subject_ids: Iterable[str]
) -> set[str]:
    """After a write about ``subject_ids`` (committed, or visible on ``db_engine``): re-sweep
    them and the subjects reached through relations. Returns the subjects re-swept."""
    with db_engine.connect() as db:
        around = relations_around(db, set(subject_ids))
        touched = reached(book, around, subject_ids)
        facts = MemoryFacts()
        for subject_id in sorted(touched):
            merge_facts(facts, load_subject(db, book, subject_id))
    index.update(touched, facts, store_facts(db_engine, book), reach=False)
    return touched


def relations_around(db: Connection, subject_ids: set[str]) -> MemoryFacts:
    """The relations ``reached`` follows: the subjects' officers, those persons' roles, and
    the officers of those organisations."""
    facts = MemoryFacts()
    first = _relations(db, subject_ids)
    persons = {r.person for r in first}
    second = _relations(db, persons)
    third = _relations(db, {r.org for r in second})
    facts.extend(relations=set(first) | set(second) | set(third))
    return facts


def _relations(db: Connection, ids: set[str]) -> list[Relation]:
    if not ids:
        return []
    rows = db.execute(
        select(t.relations).where(
            or_(t.relations.c.org_id.in_(ids), t.relations.c.person_id.in_(ids))
        )
    )
    return [Relation(r.org_id, r.role, r.person_id, r.since, r.until) for r in rows]


def merge_facts(into: MemoryFacts, part: MemoryFacts) -> None:
    """Add ``part`` to ``into``: each subject, record (by id) and relation once."""
    into.subjects.update(part.subjects)
    for subject_id, records in part.records.items():
        known = {r.id for r in into.records_of(subject_id)}
        for record in records:
            if record.id not in known:
                into.add_record(record)
    relations = {r for rs in into.relations.values() for r in rs}
    for relation in {r for rs in part.relations.values() for r in rs} - relations:
        into.add_relation(relation)
