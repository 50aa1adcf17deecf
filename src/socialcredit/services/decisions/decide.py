"""Decisions and credit files for one subject, answered online from the store."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Connection, Engine, select

from socialcredit.core.engine import Decision
from socialcredit.core.engine import Engine as RuleEngine
from socialcredit.core.engine.decide import explain_entry, explain_record
from socialcredit.core.engine.deletions import explain_deletion
from socialcredit.core.errors import UnknownAction
from socialcredit.core.identifiers import parse_id
from socialcredit.core.pack.model import Rulebook
from socialcredit.services.records.facts import load_subject
from socialcredit.store import tables as t


def decide(
    db_engine: Engine, book: Rulebook, subject: str, action: str, as_of: dt.date
) -> Decision:
    """May ``subject`` do ``action`` on ``as_of``? Raises InvalidIdentifier or UnknownAction."""
    code = parse_id(subject).code
    if action not in book.actions:
        raise UnknownAction(action, sorted(book.actions))
    with db_engine.connect() as db:
        facts = load_subject(db, book, code)
    return RuleEngine(book).decide(facts, code, action, as_of)


def credit_file(db_engine: Engine, book: Rulebook, subject: str, as_of: dt.date) -> dict[str, Any]:
    """The subject's credit file on ``as_of``: records, entries (past and present), ratings,
    measures in force, and the organisations through which measures reach him."""
    code = parse_id(subject).code
    with db_engine.connect() as db:
        return credit_file_in(db, book, code, as_of)


def credit_file_in(db: Connection, book: Rulebook, code: str, as_of: dt.date) -> dict[str, Any]:
    """``credit_file`` read through an open connection (a use case's transaction)."""
    facts = load_subject(db, book, code)
    known = db.execute(select(t.subjects.c.id).where(t.subjects.c.id == code)).first() is not None
    engine = RuleEngine(book)
    state = engine.state(facts, code, as_of)
    person = facts.subject(code)
    return {
        "subject": {"id": code, "kind": person.kind, "name": person.name, "known": known},
        "as_of": as_of.isoformat(),
        "records": [
            explain_record(book, r) | {"status": r.status_on(as_of), "fields": _plain(r.fields)}
            for r in facts.records_of(code)
        ],
        "entries": [
            explain_entry(book, e)
            | {"active": e.active_on(as_of), "deletion": explain_deletion(book, e, as_of)}
            for e in state.entries
        ],
        "ratings": [
            {"rating": r.rating_id, "grade": r.grade, "score": r.score} for r in state.ratings
        ],
        "measures": [engine.explain(m) for m in state.measures],
        "roles": [
            {"org": r.org, "role": r.role, "since": _iso(r.since)} for r in facts.roles_of(code)
        ],
        "pack_revisions": book.revisions(),
    }


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _plain(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in values.items()}
