"""Loading facts from the store into memory for the engine: all of them (labelling) or
those of one subject and the organisations he holds a role in (decisions, reports)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, select

from socialcredit.core.facts import MemoryFacts, Record, Relation, StatusChange, Subject
from socialcredit.core.pack.model import Rulebook
from socialcredit.store import tables as t


def load_all(db: Connection, book: Rulebook) -> MemoryFacts:
    """Every subject, relation and record of a category the rulebook knows."""
    facts = MemoryFacts()
    for row in db.execute(select(t.subjects)):
        facts.add_subject(Subject(row.id, row.kind, row.name, row.birth_date, row.region))
    for row in db.execute(select(t.relations)):
        facts.add_relation(Relation(row.org_id, row.role, row.person_id, row.since, row.until))
    categories = list(book.categories)
    history = _history(
        db.execute(
            select(t.record_status).join(t.records).where(t.records.c.category.in_(categories))
        )
    )
    query = select(t.records).where(t.records.c.category.in_(categories))
    facts.extend(_records(book, db.execute(query), history))
    return facts


def load_subject(db: Connection, book: Rulebook, subject_id: str) -> MemoryFacts:
    """The subject, the organisations he holds roles in, and all their records; where a
    rating spreads by contagion, also those organisations' officers and their other
    organisations."""
    facts = MemoryFacts()
    roles = _relations(db, t.relations.c.person_id.in_([subject_id]))
    orgs = {r.org for r in roles}
    if _has_contagion(book):
        officers = _relations(db, t.relations.c.org_id.in_(orgs | {subject_id}))
        others = _relations(db, t.relations.c.person_id.in_({r.person for r in officers}))
        roles = list({*roles, *officers, *others})
        orgs |= {r.org for r in roles}
    ids = {subject_id, *orgs}
    for row in db.execute(select(t.subjects).where(t.subjects.c.id.in_(ids))):
        facts.add_subject(Subject(row.id, row.kind, row.name, row.birth_date, row.region))
    records = select(t.records).where(
        t.records.c.subject_id.in_(ids), t.records.c.category.in_(list(book.categories))
    )
    rows = list(db.execute(records))
    statuses = select(t.record_status).where(t.record_status.c.record_id.in_([r.id for r in rows]))
    facts.extend(_records(book, rows, _history(db.execute(statuses))), roles)
    return facts


def _relations(db: Connection, condition: Any) -> list[Relation]:
    rows = db.execute(select(t.relations).where(condition))
    return [Relation(r.org_id, r.role, r.person_id, r.since, r.until) for r in rows]


def _has_contagion(book: Rulebook) -> bool:
    return any(rule.version.contagion for rules in book.ratings.values() for rule in rules)


def _history(rows: Iterable[Any]) -> dict[str, list[StatusChange]]:
    history: dict[str, list[StatusChange]] = defaultdict(list)
    for row in rows:
        history[row.record_id].append(StatusChange(row.status, row.date))
    return history


def _records(
    book: Rulebook, rows: Iterable[Any], history: dict[str, list[StatusChange]]
) -> Iterable[Record]:
    for row in rows:
        types = book.categories[row.category][2]
        fields = {name: field_type.load(row.fields.get(name)) for name, field_type in types.items()}
        changes = tuple(sorted(history.get(row.id, ()), key=lambda c: c.on))
        yield Record(
            row.id,
            row.subject_id,
            row.category,
            row.agency,
            row.doc_no,
            row.decided_on,
            fields,
            changes,
        )
