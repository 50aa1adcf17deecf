"""Reading one submitted row into a Record, against the catalog of the loaded packs.

A row is rejected with every reason found (unknown category, agency not permitted, wrong
type, invalid identity number); the caller keeps the valid rows of the same file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from socialcredit.core.catalog import FieldError, plausible_date
from socialcredit.core.errors import InvalidIdentifier, SocialCreditError
from socialcredit.core.facts import STATUSES, Record, Relation, StatusChange, Subject
from socialcredit.core.identifiers import parse_id
from socialcredit.core.pack.model import Rulebook

ENVELOPE = (
    "subject",
    "name",
    "category",
    "agency",
    "doc_no",
    "decided_on",
    "status",
    "status_date",
)
NESTED = "fields"


class RowRejected(SocialCreditError):
    """A row that cannot become a record; ``reasons`` lists every problem found."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__("; ".join(reasons))
        self.reasons = reasons


@dataclass(frozen=True)
class Submission:
    """A valid row: the record, its subject and the relations it states."""

    record: Record
    subject: Subject
    relations: tuple[Relation, ...]
    original: dict[str, Any]


def record_id(category: str, agency: str, doc_no: str) -> str:
    """A record is identified by its category, source agency and source document number."""
    key = f"{category}\x1f{agency}\x1f{doc_no}".encode()
    return hashlib.sha1(key).hexdigest()[:20]


def read_row(book: Rulebook, row: Mapping[str, Any], agency: str | None = None) -> Submission:
    """Validate a row (flat CSV columns or JSON with a ``fields`` object) into a record."""
    reasons: list[str] = []
    category_id = _text(row.get("category"))
    agency_id = agency or _text(row.get("agency"))
    subject = _subject(row, reasons)
    category = book.categories.get(category_id) if category_id else None
    if not category_id:
        reasons.append("category is missing")
    elif category is None:
        reasons.append(f"category {category_id!r} is not in the catalog of the loaded packs")
    if not agency_id:
        reasons.append("agency is missing")
    elif category is not None and agency_id not in category[1].agencies:
        allowed = ", ".join(category[1].agencies)
        reasons.append(f"agency {agency_id!r} may not submit {category_id} (only {allowed})")
    doc_no = _text(row.get("doc_no"))
    if not doc_no:
        reasons.append("doc_no (the source document number) is missing")
    decided_on = _date(row.get("decided_on"), "decided_on", reasons)
    history = _history(row, reasons)
    values = _fields(row, category[2] if category else {}, reasons) if category else {}
    if reasons or subject is None or category is None or decided_on is None:
        raise RowRejected(reasons)
    assert category_id is not None and agency_id is not None and doc_no is not None
    record = Record(
        record_id(category_id, agency_id, doc_no),
        subject.id,
        category_id,
        agency_id,
        doc_no,
        decided_on,
        values,
        history,
    )
    relations = tuple(
        Relation(subject.id, role, values[field], since=decided_on)
        for field, role in category[1].relations.items()
        if values.get(field)
    )
    return Submission(record, subject, relations, dict(row))


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _subject(row: Mapping[str, Any], reasons: list[str]) -> Subject | None:
    code = _text(row.get("subject"))
    if not code:
        reasons.append("subject (the identity number) is missing")
        return None
    try:
        identifier = parse_id(code)
    except InvalidIdentifier as error:
        reasons.append(f"subject {code!r} is not a valid identity number: {error.reason}")
        return None
    name = _text(row.get("name"))
    if name is not None and len(name) > 200:
        reasons.append("name is longer than 200 characters")
    return Subject(identifier.code, identifier.kind, name, identifier.birth_date, identifier.region)


def _date(value: Any, key: str, reasons: list[str]) -> dt.date | None:
    day = _parse_date(value, key, reasons)
    if day is not None and (problem := plausible_date(day)):
        reasons.append(f"{key} should be a plausible date: {problem}")
        return None
    return day


def _parse_date(value: Any, key: str, reasons: list[str]) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    text = _text(value)
    if text is None:
        reasons.append(f"{key} is missing")
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        reasons.append(f"{key} should be a date written YYYY-MM-DD, not {text!r}")
        return None


def _history(row: Mapping[str, Any], reasons: list[str]) -> tuple[StatusChange, ...]:
    status = _text(row.get("status"))
    if status is None or status == "active":
        return ()
    if status not in STATUSES:
        reasons.append(f"status should be one of {', '.join(STATUSES)}, not {status!r}")
        return ()
    day = _date(row.get("status_date"), "status_date", reasons)
    return (StatusChange(status, day),) if day else ()


def _fields(row: Mapping[str, Any], types: Mapping[str, Any], reasons: list[str]) -> dict[str, Any]:
    """The category's fields: nested under ``fields`` (JSON) or as flat columns (CSV).

    A flat column named like an envelope key (``name``) also feeds a field of that name.
    """
    nested = row.get(NESTED)
    if nested is not None and not isinstance(nested, Mapping):
        reasons.append("fields should be an object of field values")
        return {}
    if nested is not None:
        source: Mapping[str, Any] = nested
        stray = sorted(set(row) - set(ENVELOPE) - {NESTED})
    else:
        source = {k: v for k, v in row.items() if k in types or k not in ENVELOPE}
        stray = []
    unknown = sorted(map(str, set(source) - set(types))) + stray
    if unknown:
        reasons.append(
            f"unknown field(s) {', '.join(unknown)} (the category has {', '.join(types)})"
        )
    values = {}
    for name, field_type in types.items():
        try:
            values[name] = field_type.read(source.get(name))
        except FieldError as error:
            reasons.append(f"field {name} {error}")
    return values
