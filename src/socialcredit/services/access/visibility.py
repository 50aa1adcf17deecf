"""What a caller may see of stored data: readable categories, list entries and credit files.

One place for the rules of ``Principal.may_read`` applied to whole result sets: as an SQL
condition (so that paging and totals count only what the caller sees) and to a credit file
already loaded. The public sees persons' identity numbers masked wherever they appear.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar, cast

from sqlalchemy import ColumnElement, and_, exists, or_

from socialcredit.core.access import Principal, mask_identities
from socialcredit.core.disclosure import disclosure_of as disclosure_of
from socialcredit.core.disclosure import rating_categories
from socialcredit.core.disclosure import rating_disclosure as rating_disclosure
from socialcredit.core.durations import parse_duration
from socialcredit.core.pack.model import Rulebook
from socialcredit.core.rules.functions import add_interval
from socialcredit.store import tables as t

T = TypeVar("T")


def may_read(book: Rulebook, caller: Principal, category: str | None, subject: str) -> bool:
    """May the caller read a record of ``category`` about ``subject``? Its disclosure class
    decides, whichever agency sent it (an agency key reads its own agency's records only as
    far as its scope names their class). A category no pack defines is readable by
    auditors, administrators and its own subject."""
    disclosure = disclosure_of(book, category)
    if disclosure is None:
        return caller.role in ("auditor", "admin") or (
            caller.role == "subject" and caller.subject == subject
        )
    return caller.may_read(disclosure, subject)


def readable_categories(book: Rulebook, caller: Principal) -> list[str]:
    """The categories whose disclosure class the caller may read about anyone."""
    return sorted(
        category
        for category, (_, spec, _) in book.categories.items()
        if caller.role in ("auditor", "admin")
        or (caller.role in ("agency", "public") and caller.may_read(spec.disclosure, ""))
    )


def record_condition(
    book: Rulebook, caller: Principal, subject_column: Any
) -> ColumnElement[bool] | None:
    """An SQL condition on ``records`` (joined) that keeps what the caller may read; None when
    the caller reads everything. ``subject_column`` is the subject id column to match."""
    if caller.role in ("auditor", "admin"):
        return None
    condition: ColumnElement[bool] = subject_column == (caller.subject or "")
    if caller.role == "subject":
        return condition
    return t.records.c.category.in_(readable_categories(book, caller))


def shown_to(caller: Principal, value: T) -> T:
    """``value`` as an answer to ``caller``: for a caller who sees identities masked (the
    public), every person's identity number in it masked at any depth
    (``core.access.mask_identities``). Every public answer goes through here: the API, the
    portal's pages, the feed, the exports."""
    return cast(T, mask_identities(value)) if caller.masks_identities() else value


def visible_file(found: dict[str, Any], caller: Principal, book: Rulebook) -> dict[str, Any]:
    """A credit file (``services.decisions.decide.credit_file``) cut to what the caller may
    see: the records it may read; the entries, measures and ratings derived only from such records
    (the public gets no ratings and only measures that follow a list entry); when nothing is
    visible, an answer that cannot be told from a file that does not exist; persons' ids
    masked for the public."""
    subject = found["subject"]["id"]

    def readable(record: dict[str, Any]) -> bool:
        return may_read(book, caller, record["category"], subject)

    records = [r for r in found["records"] if readable(r)]
    entries = [e for e in found["entries"] if all(readable(r) for r in e["records"])]
    if caller.role == "public":
        as_of = dt.date.fromisoformat(found["as_of"])
        records = [r for r in records if published(book, r, found["entries"], as_of)]
        entries = [e for e in entries if e["active"]]
    result = {
        **found,
        "records": records,
        "entries": entries,
        "measures": [m for m in found["measures"] if _measure_visible(book, caller, m, subject)],
        "ratings": [
            r for r in found["ratings"] if rating_readable(book, caller, r["rating"], subject)
        ],
    }
    nothing = not (records or result["measures"] or result["ratings"])
    if nothing and not _reads_everything(caller, subject):
        result["subject"] = {**found["subject"], "name": None, "known": False}
        result["roles"] = []
    return shown_to(caller, result)


def _measure_visible(
    book: Rulebook, caller: Principal, measure: dict[str, Any], subject: str
) -> bool:
    """Is a measure shown to the caller? Only when the caller may read what triggered it: each
    record behind its list entry, or for a grade every category that can count in the
    rating (``rating_readable``: the rule that hides ``ratings``). A measure a hidden grade
    triggers is hidden whole, not shown without its trigger: which measures follow which
    grade is public in the pack, so the measure alone would tell the grade. The public sees
    only measures that follow a list entry."""
    trigger = measure["trigger"]
    if not all(may_read(book, caller, r["category"], subject) for r in trigger["records"]):
        return False
    if trigger["kind"] == "rating":
        return rating_readable(book, caller, trigger["rating"], subject)
    return caller.role != "public" or trigger["kind"] == "list_entry"


def published(
    book: Rulebook, record: dict[str, Any], entries: list[dict[str, Any]], as_of: dt.date
) -> bool:
    """Is a record (as in a credit file) published to the public on ``as_of``? A record
    behind list entries is published while one of them is in force (deleted or expired
    listings are no longer shown); any other record from its decision until the end of its
    category's maximum publication period, if the pack sets one."""
    behind = [e for e in entries if any(r["id"] == record["id"] for r in e["records"])]
    if behind:
        return any(e["active"] for e in behind)
    decided = dt.date.fromisoformat(record["decided_on"])
    return decided <= as_of and as_of < publication_end(book, record["category"], decided)


def publication_end(book: Rulebook, category: str, decided: dt.date) -> dt.date:
    """The day a record's publication ends by its category's maximum; far future if none."""
    found = book.categories.get(category)
    longest = found[1].publication_max if found else None
    return add_interval(decided, parse_duration(longest)) if longest else dt.date.max


def published_condition(book: Rulebook, run_id: int | None, as_of: dt.date) -> Any:
    """The SQL twin of ``published`` on ``records``, with the entries of a stored label run
    (``run_id``; None: no run yet, every record is judged by its publication period)."""
    r, e = t.records.c, t.list_entries.c
    in_period = or_(*_period_conditions(book, as_of))
    if run_id is None:
        return and_(r.decided_on <= as_of, in_period)
    behind = exists().where(e.record_id == r.id, e.run_id == run_id)
    in_force = behind.where(e.starts <= as_of, or_(e.ends.is_(None), e.ends > as_of))
    return or_(in_force, and_(~behind, r.decided_on <= as_of, in_period))


def _period_conditions(book: Rulebook, as_of: dt.date) -> list[Any]:
    r = t.records.c
    unlimited = [c for c, (_, spec, _) in book.categories.items() if not spec.publication_max]
    conditions: list[Any] = [r.category.in_(unlimited)]
    for category, (_, spec, _) in book.categories.items():
        if spec.publication_max:
            cutoff = add_interval(as_of, -parse_duration(spec.publication_max))
            conditions.append(and_(r.category == category, r.decided_on > cutoff))
    return conditions


def _reads_everything(caller: Principal, subject: str) -> bool:
    return caller.role in ("auditor", "admin") or (
        caller.role == "subject" and caller.subject == subject
    )


def rating_readable(book: Rulebook, caller: Principal, rating_id: str, subject: str) -> bool:
    """A grade is shown only to a caller who may read every category that can count in it."""
    if caller.role == "public":
        return False
    categories = rating_categories(book, rating_id)
    return all(may_read(book, caller, category, subject) for category in categories)


def event_condition(caller: Principal) -> ColumnElement[bool] | None:
    """An SQL condition on ``events`` that keeps what ``Principal.may_read`` lets the caller
    read (by the event's disclosure class and subject, not its source agency); None:
    everything."""
    e = t.events.c
    if caller.role in ("auditor", "admin"):
        return None
    if caller.role == "subject":
        return e.subject_id == (caller.subject or "")
    if caller.role == "public":
        return e.disclosure == "public"
    return e.disclosure.in_(sorted(caller.disclosures))
