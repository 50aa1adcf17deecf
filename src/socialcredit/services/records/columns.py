"""Rows validated by column (issue 14): every field of a chunk's rows checked one column at a
time, and a record built only for the rows that pass every check.

A column check accepts only what the row validator (``core.records.read_row``, kept as the
reference) accepts, with the same values; what it does not accept it leaves to that
validator, which gives the reasons: a row the checks pass is read here, every other row
(a bad value, a value written in an unusual form, a JSON value that is not text) is
``None`` and read one by one. So the reasons, and the rows accepted, are the reference's.

- identity numbers: ``id_columns.check_ids`` (check characters with numpy, birth dates
  and division codes once per distinct value);
- text, whole numbers, decimals and amounts: Arrow compute (length, control characters, a
  regular expression for the plain forms: ``1,000`` and ``1,5`` are left to the reference);
- dates, booleans and choices, which take few distinct values: the catalog's own reader
  once per distinct value, rows by look-up.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from socialcredit.core.catalog import MAX_TEXT, FieldError, FieldType, plausible_date
from socialcredit.core.facts import STATUSES, Record, Relation, StatusChange, Subject
from socialcredit.core.pack.model import Rulebook
from socialcredit.core.records import ENVELOPE, NESTED, Submission, record_id
from socialcredit.services.records.id_columns import check_ids

Column = list[Any]  # one value per row; FAILED where the row does not pass


class _Failed:
    """The value of a cell that does not pass its column check."""

    def __repr__(self) -> str:
        return "FAILED"


FAILED: Any = _Failed()
PLAIN_FORMS = {  # the plain forms a number's column check reads; the rest go to the reference
    "int": r"^[+-]?[0-9]{1,15}$",
    "decimal": r"^[+-]?[0-9]{1,11}(\.[0-9]{1,4})?$",
    "money": r"^\+?[0-9]{1,13}(\.[0-9]{1,2})?$",
}
NUMBER = {"int": int, "decimal": float, "money": float}
CONTROL = r"[\x00-\x08\x0b-\x1f]"
TEXT_OR_NOTHING = frozenset({str, type(None)})


def read_by_column(
    book: Rulebook, rows: Sequence[dict[str, Any]], agency: str, latest: dt.date
) -> list[Submission | None]:
    """Per row, its submission when every column check passes, else None (for the row
    validator). ``latest``: the last day a record's dates may name."""
    results: list[Submission | None] = [None] * len(rows)
    if not agency:
        return results
    for (category_id, keys), indices in _groups(rows).items():
        found = book.categories.get(category_id)
        if found is None or agency not in found[1].agencies:
            continue
        types = found[2]
        if any(k not in types for k in keys if k not in ENVELOPE):
            continue  # unknown fields: the reference names them
        group = [rows[i] for i in indices]
        built = _read_group(group, category_id, agency, types, found[1].relations, latest)
        for index, submission in zip(indices, built, strict=True):
            results[index] = submission
    return results


def _groups(rows: Sequence[dict[str, Any]]) -> dict[tuple[Any, tuple[str, ...]], list[int]]:
    """Row positions by (category, columns); rows with nested ``fields`` are left out."""
    groups: dict[tuple[Any, tuple[str, ...]], list[int]] = defaultdict(list)
    for index, row in enumerate(rows):
        category = row.get("category")
        if type(category) is str and NESTED not in row:
            groups[(category, tuple(row))].append(index)
    return groups


def _read_group(
    group: list[dict[str, Any]],
    category: str,
    agency: str,
    types: dict[str, FieldType],
    relations: Mapping[str, str],
    latest: dt.date,
) -> list[Submission | None]:
    ids = check_ids(_texts([row.get("subject") for row in group]))
    names = _name_column(_texts([row.get("name") for row in group]))
    doc_nos = _stripped(_texts([row.get("doc_no") for row in group]))
    decided = _envelope_dates(_texts([row.get("decided_on") for row in group]), latest)
    histories = _histories(group, latest)
    fields = {name: _field_column(group, name, kind) for name, kind in types.items()}
    failed = _failed_rows([names, decided, histories, *fields.values()])
    failed.update(
        i
        for i, (kind, doc_no) in enumerate(zip(ids.kinds, doc_nos, strict=True))
        if not kind or not doc_no
    )
    built: list[Submission | None] = [None] * len(group)
    for i, cells in enumerate(zip(*fields.values(), strict=True)):
        if i in failed:
            continue
        row, values, day = group[i], dict(zip(fields, cells, strict=True)), decided[i]
        code, kind = row["subject"], ids.kinds[i]
        assert kind is not None
        record = Record(
            record_id(category, agency, doc_nos[i]),
            *(code, category, agency, doc_nos[i], day, values, histories[i]),
        )
        subject = Subject(code, kind, names[i], ids.birth_dates[i], ids.regions[i])
        stated = tuple(
            Relation(code, role, values[field], since=day)
            for field, role in relations.items()
            if values.get(field)
        )
        built[i] = Submission(record, subject, stated, row)
    return built


def _failed_rows(columns: list[Column]) -> set[int]:
    """The rows with a cell that did not pass."""
    return {i for column in columns for i, cell in enumerate(column) if cell is FAILED}


def _texts(values: list[Any]) -> list[Any]:
    """The column itself when it holds only text or nothing; else FAILED for every other
    value (a JSON number, list or object is the reference's to read)."""
    if TEXT_OR_NOTHING.issuperset(map(type, values)):
        return values
    return [v if v is None or type(v) is str else FAILED for v in values]


def _stripped(values: list[Any]) -> list[Any]:
    """Text as the reference reads it (``str.strip``, empty as None)."""
    return [v if v is FAILED else (v.strip() or None if v is not None else None) for v in values]


def _name_column(values: list[Any]) -> Column:
    return [v if v is FAILED or v is None or len(v) <= 200 else FAILED for v in _stripped(values)]


def _envelope_dates(values: list[Any], latest: dt.date) -> Column:
    """``decided_on`` and ``status_date``: a real day written YYYY-MM-DD, 1900 to 2199, not
    after ``latest``."""
    return _by_distinct(values, lambda text: _envelope_day(text, latest))


def _envelope_day(raw: Any, latest: dt.date) -> Any:
    text = raw.strip() if isinstance(raw, str) else None
    try:
        day = dt.date.fromisoformat(text) if text else None
    except ValueError:
        return FAILED
    if day is None or plausible_date(day) or day > latest:
        return FAILED
    return day


def _histories(group: list[dict[str, Any]], latest: dt.date) -> Column:
    """Per row, its status change (``()`` when active), FAILED when the reference must say why."""
    statuses = _stripped(_texts([row.get("status") for row in group]))
    if all(s is None or s == "active" for s in statuses):
        return [()] * len(group)
    dates = _envelope_dates(_texts([row.get("status_date") for row in group]), latest)
    return [
        ()
        if status is None or status == "active"
        else (StatusChange(status, day),)
        if status in STATUSES and day is not FAILED
        else FAILED
        for status, day in zip(statuses, dates, strict=True)
    ]


def _field_column(group: list[dict[str, Any]], name: str, kind: FieldType) -> Column:
    raw = _texts([row.get(name) for row in group])
    if kind.base in ("date", "bool", "enum"):
        return _by_distinct(raw, lambda value: _reference_value(kind, value))
    if kind.base == "id":
        ids = check_ids(raw)
        return [
            None if v is None and kind.optional else v if k is not None else FAILED
            for v, k in zip(raw, ids.kinds, strict=True)
        ]
    return _checked_text(_stripped(raw), kind)


def _reference_value(kind: FieldType, value: Any) -> Any:
    try:
        return kind.read(value)
    except FieldError:
        return FAILED


def _by_distinct(values: list[Any], read: Callable[[Any], Any]) -> Column:
    """Each distinct value read once, every row by look-up."""
    known = {value: read(value) for value in set(values) if value is not FAILED}
    return [FAILED if value is FAILED else known[value] for value in values]


def _checked_text(values: list[Any], kind: FieldType) -> Column:
    """Text, whole numbers, decimals and amounts: Arrow compute over the stripped column."""
    present = [v for v in values if v is not None and v is not FAILED]
    passes = iter(_passes(present, kind.base))
    convert = NUMBER.get(kind.base, str)
    column: Column = []
    for value in values:
        if value is FAILED:
            column.append(FAILED)
        elif value is None:
            column.append(None if kind.optional else FAILED)
        else:
            column.append(convert(value) if next(passes) else FAILED)
    return column


def _passes(values: list[str], base: str) -> list[bool]:
    array = pa.array(values, type=pa.string())
    if base == "text":
        ok = pc.and_(
            pc.less_equal(pc.utf8_length(array), MAX_TEXT),
            pc.invert(pc.match_substring_regex(array, CONTROL)),
        )
    else:
        ok = pc.match_substring_regex(array, PLAIN_FORMS[base])
    return ok.to_pylist()  # type: ignore[no-any-return]
