"""Subject search for a caller: by name, USCC or resident ID number (also one masked as the
portals mask it), paged, over the subjects the caller may see a record of (the public:
subjects with a public-disclosure record, persons' identity numbers masked, as the publicity
portals show them)."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Select, and_, exists, func, or_, select

from socialcredit.core.access import Principal, mask_id
from socialcredit.core.errors import InvalidIdentifier
from socialcredit.core.identifiers import parse_id
from socialcredit.core.pack.model import Rulebook
from socialcredit.services.access.visibility import published_condition, record_condition
from socialcredit.services.context import Context
from socialcredit.services.lists.query import latest_run
from socialcredit.store import tables as t

MAX_QUERY = 100
MASKED = re.compile(r"\d{6}\*{8}\d{3}[\dX]")


@dataclass(frozen=True)
class Hit:
    """One subject found: ``ref`` is what a link may carry (a USCC, or for a person whom the
    caller sees masked, the id of a record the caller may read about him)."""

    ref: str
    shown_id: str
    kind: str
    name: str | None
    active_entries: int


@dataclass(frozen=True)
class Found:
    query: str
    total: int
    hits: list[Hit]
    counted_on: str | None = None  # the day of the label run the entry counts are of


def search_subjects(
    db: Connection, book: Rulebook, caller: Principal, query: str, offset: int, limit: int
) -> Found:
    """Subjects whose name contains ``query`` (for the public: organisations so, persons
    only by their full name) or whose id is ``query``, as far as the caller may read a
    record about them; ordered by name, then id."""
    text = " ".join(query.split())[:MAX_QUERY]
    if not text:
        return Found(text, 0, [])
    s = t.subjects.c
    condition = _matches(text, caller.masks_identities())
    run = latest_run(db)
    readable = _readable_record(book, caller, run)
    base = select(s.id, s.kind, s.name).where(
        condition, exists(readable.where(t.records.c.subject_id == s.id))
    )
    total = int(db.execute(select(func.count()).select_from(base.subquery())).scalar_one())
    rows = db.execute(base.order_by(s.name, s.id).offset(offset).limit(limit)).all()
    active = _active_entries(db, readable, run, [row.id for row in rows])
    hits = [_hit(db, caller, readable, row, active.get(row.id, 0)) for row in rows]
    return Found(text, total, hits, run["as_of"] if run else None)


def _matches(text: str, whole_person_names: bool) -> Any:
    s = t.subjects.c
    if MASKED.fullmatch(text.upper()):  # an id as the portals show it: the birth date hidden
        return s.id.like(f"{text[:6]}{'_' * 8}{text[14:].upper()}")
    try:
        code = parse_id(text).code
    except InvalidIdentifier:
        code = None
    by_name = _by_name(text, whole_person_names)
    return or_(s.id == code, by_name) if code else by_name


def _by_name(text: str, whole_person_names: bool) -> Any:
    """Subjects by name: any part of it; with ``whole_person_names`` (the public), a person
    only by his full name, the same once normalised (``full_name``), so that a surname
    alone lists nobody, as the SPC's own search asks for a full name. Organisations are
    public registrations and are found by any part of their name."""
    s = t.subjects.c
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    by_part = s.name.like(f"%{escaped}%", escape="\\")
    if not whole_person_names:
        return by_part
    names = {full_name(text), full_name(text).replace(" ", "")}
    person = and_(s.kind == "person", func.lower(s.name).in_(sorted(names)))
    return or_(and_(s.kind != "person", by_part), person)


def full_name(text: str) -> str:
    """A name as the public search compares it: NFKC (full-width letters and spaces become
    ordinary ones), single spaces, lower case."""
    return " ".join(unicodedata.normalize("NFKC", text).split()).lower()


def _readable_record(book: Rulebook, caller: Principal, run: dict[str, Any] | None) -> Select[Any]:
    """Records the caller may read; for the public, only those published on the date of the
    latest label run ``run`` (or today, before any run)."""
    r = t.records.c
    query = select(r.id)
    condition = record_condition(book, caller, r.subject_id)
    if condition is not None:
        query = query.where(condition)
    if caller.role == "public":
        day = dt.date.fromisoformat(run["as_of"]) if run else dt.date.today()
        query = query.where(published_condition(book, run["id"] if run else None, day))
    return query


def _active_entries(
    db: Connection, readable: Select[Any], run: dict[str, Any] | None, subjects: list[str]
) -> dict[str, int]:
    """Entries of the latest label run in force on its date (started by it, not ended),
    per subject, whose record the caller may read (for the public: published on that
    date), as the subject's page of that date shows them."""
    if run is None or not subjects:
        return {}
    e = t.list_entries
    day = dt.date.fromisoformat(run["as_of"])
    query = (
        select(e.c.subject_id, func.count())
        .where(e.c.run_id == run["id"], e.c.subject_id.in_(subjects))
        .where(e.c.starts <= day, or_(e.c.ends.is_(None), e.c.ends > day))
        .where(e.c.record_id.in_(readable))
        .group_by(e.c.subject_id)
    )
    return {row[0]: int(row[1]) for row in db.execute(query)}


def _hit(db: Connection, caller: Principal, readable: Select[Any], row: Any, active: int) -> Hit:
    if not (caller.masks_identities() and row.kind == "person"):
        return Hit(row.id, row.id, row.kind, row.name, active)
    query = readable.where(t.records.c.subject_id == row.id)
    record = db.execute(query.order_by(t.records.c.id).limit(1)).first()
    ref = f"r-{record.id}" if record else mask_id(row.id)
    return Hit(ref, mask_id(row.id), row.kind, row.name, active)


def subject_of_record(db: Connection, book: Rulebook, caller: Principal, rid: str) -> str | None:
    """The subject of a record the caller may read (a link's ``r-<record id>``), else None."""
    query = _readable_record(book, caller, latest_run(db)).add_columns(t.records.c.subject_id)
    found = db.execute(query.where(t.records.c.id == rid)).first()
    return str(found.subject_id) if found else None


def search(ctx: Context, caller: Principal, query: str, offset: int, limit: int) -> Found:
    """The use case "search": ``search_subjects`` in a connection of its own."""
    with ctx.engine.connect() as db:
        return search_subjects(db, ctx.book, caller, query, offset, limit)


def record_subject(ctx: Context, caller: Principal, rid: str) -> str | None:
    """The use case "follow a record's link": ``subject_of_record``."""
    with ctx.engine.connect() as db:
        return subject_of_record(db, ctx.book, caller, rid)
