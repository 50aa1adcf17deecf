"""Validation by column (issue 14) against the row validator it stands in for.

``services.records.columns.read_by_column`` reads a row only when every column check passes
and leaves every other row to ``core.records.read_row`` (the reference). So on random rows,
valid and bad, every row it reads must be one the reference reads the same way; canonical
valid rows must all be read by column (else the column path would be a no-op). Odd values
one by one, and whole files ingested, are in tests/test_ingest_by_column_files.py. The
identity-number column check must agree with python-stdnum's check characters and with
``parse_id`` on every code it judges.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import string
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from stdnum.cn import ric, uscc

from socialcredit.core.catalog import FieldType
from socialcredit.core.errors import InvalidIdentifier
from socialcredit.core.identifiers import USCC_ALPHABET, parse_id
from socialcredit.core.pack.model import Rulebook
from socialcredit.core.records import RowRejected, Submission, read_row
from socialcredit.services.packs.rulebook import load_book
from socialcredit.services.records.bounds import future_dates, latest_day
from socialcredit.services.records.columns import PLAIN_FORMS, read_by_column
from socialcredit.services.records.id_columns import check_ids
from tests.test_identifiers import resident_ids, unified_codes

CATEGORIES = (
    ("court.enforcement_case", "court"),
    ("market.registration", "samr"),
    ("sta.credit_deduction", "sta"),
    ("sta.direct_d_conduct", "sta"),
)
LATEST = latest_day()
FUTURE = (LATEST + dt.timedelta(days=1)).isoformat()


@st.composite
def uscc_with_letters(draw: st.DrawFn) -> str:
    """A valid USCC whose registration authority and class (positions 1-2) may be letters."""
    head = draw(st.text(USCC_ALPHABET, min_size=2, max_size=2))
    division = draw(st.text(string.digits, min_size=6, max_size=6))
    body = head + division + draw(st.text(USCC_ALPHABET, min_size=9, max_size=9))
    return body + uscc.calc_check_digit(body)


VALID_IDS = st.one_of(resident_ids(), unified_codes(), uscc_with_letters())


@st.composite
def identity_numbers(draw: st.DrawFn) -> str:
    """Valid codes, codes with one character changed, random codes, and codes written in
    forms the reference compacts (lower case, spaces) or refuses (wrong length)."""
    code = draw(VALID_IDS)
    changes = ["none"] * 12 + ["swap", "random", "lower", "space", "cut"]
    change = draw(st.sampled_from(changes))
    if change == "swap":
        at = draw(st.integers(0, 17))
        return code[:at] + draw(st.sampled_from(USCC_ALPHABET + "XIOSZ")) + code[at + 1 :]
    if change == "random":
        return draw(st.text(USCC_ALPHABET, min_size=18, max_size=18))
    if change == "lower":
        return code.lower()
    if change == "space":
        return f" {code}"
    return code[:17] if change == "cut" else code


@given(st.lists(identity_numbers(), min_size=1, max_size=40))
def test_the_id_column_agrees_with_stdnum_and_parse_id(codes: list[str]) -> None:
    column = check_ids(codes)
    for code, kind, birth, region in zip(
        codes, column.kinds, column.birth_dates, column.regions, strict=True
    ):
        try:
            expected = parse_id(code)
        except InvalidIdentifier:
            assert kind is None, code
            continue
        if code != expected.code:  # not canonical: left to parse_id
            assert kind is None, code
            continue
        assert kind == expected.kind, code
        assert (birth, region) == (expected.birth_date, expected.region), code
        check = ric.calc_check_digit(code) if kind == "person" else uscc.calc_check_digit(code)
        assert check == code[-1], code


def odd_values(kind: FieldType) -> st.SearchStrategy[Any]:
    """Every kind of bad value of a field type, and valid ones written in unusual forms."""
    blank = st.sampled_from([None, "", "  "])
    bad_text = st.sampled_from(["a\x07b", "x" * 2001, " padded ", "line\nfeed", "\u3000全角\u3000"])
    by_base: dict[str, st.SearchStrategy[Any]] = {
        "text": st.one_of(st.text(min_size=1, max_size=12), bad_text),
        "int": st.one_of(
            st.integers(-(10**16), 10**16).map(str),
            st.sampled_from(["1,000", "1,000,000", "12.0", "1e3", "inf", "+7", "-0", "007"]),
        ),
        "decimal": st.one_of(
            st.floats(allow_nan=True, allow_infinity=True).map(repr),
            st.decimals(-(10**13), 10**13, places=5).map(str),
            st.sampled_from(["1,5", "89.9", "-0.5", ".5", "1.", "1e3", "1_000"]),
        ),
        "money": st.one_of(
            st.decimals(-10, 10**14, places=3).map(str),
            st.decimals(-(10**14), 10**14, places=2).map(str),
            st.sampled_from(["1,000", "1,5", "1,200.50", "1,000,000", "-0", "nan", "１２"]),
        ),
        "date": st.one_of(
            st.dates(dt.date(1890, 1, 1), dt.date(2210, 1, 1)).map(str),
            st.sampled_from(["2018-02-30", "20180301", "2018-3-1", "2018-W10-1", FUTURE]),
        ),
        "bool": st.sampled_from(["true", "False", "YES", "n", "1", "0", "maybe", "yeſ", "ｙｅｓ"]),
        "id": identity_numbers(),
        "enum": st.one_of(st.sampled_from(kind.choices), st.sampled_from(["other", " x "])),
    }
    return st.one_of(blank, by_base[kind.base], st.integers(0, 5), st.just(True))


def valid_values(kind: FieldType) -> st.SearchStrategy[Any]:
    return VALID[kind.base] if kind.base != "enum" else st.sampled_from(kind.choices)


VALID: dict[str, st.SearchStrategy[Any]] = {
    "text": st.text(st.characters(codec="utf-8", exclude_categories=["Cc", "Cs"]), max_size=8)
    .map(str.strip)
    .filter(bool),
    "int": st.integers(-(10**15) + 1, 10**15 - 1).map(str),
    "decimal": st.decimals(-(10**11) + 1, 10**11 - 1, places=2).map(str),
    "money": st.decimals(0, 10**12, places=2).map(str),
    "date": st.dates(dt.date(1900, 1, 1), dt.date(2199, 12, 31)).map(str),
    "bool": st.sampled_from(["true", "false", "yes", "no", "1", "0", "y", "n", "t", "f"]),
    "id": VALID_IDS,
}


@functools.cache
def _types(category: str) -> dict[str, FieldType]:
    """The fields of a category of the loaded packs (none for an unknown category)."""
    found = load_book().categories.get(category)
    return found[2] if found else {}


def mostly(valid: st.SearchStrategy[Any], odd: st.SearchStrategy[Any]) -> Any:
    """``valid`` eleven times in twelve, else ``odd``: so that many rows pass every check."""
    return st.integers(0, 11).flatmap(lambda n: valid if n else odd)


@st.composite
def rows(draw: st.DrawFn, category: str) -> dict[str, Any]:
    """One row, mostly of ``category``, its values valid or bad, now and then a column left
    out or a stray column, in the flat layout of a CSV file (or a JSON line's values)."""
    others = st.sampled_from([c for c, _ in CATEGORIES] + ["no.such_category"])
    category = draw(mostly(st.just(category), others))
    types = _types(category)
    decided = mostly(
        st.dates(dt.date(1990, 1, 1), LATEST).map(str), st.sampled_from(["2018-13-01", FUTURE])
    )
    row: dict[str, Any] = {
        "subject": draw(identity_numbers()),
        "name": draw(st.one_of(st.none(), st.text(max_size=8), st.just("名" * 201))),
        "category": category,
        "doc_no": draw(st.one_of(*[st.text(min_size=1, max_size=6)] * 5, st.just(" "))),
        "decided_on": draw(decided),
        "status": draw(st.sampled_from([None, None, "active", "performed", "revoked", "lost"])),
        "status_date": draw(st.one_of(st.none(), decided)),
    }
    spoiled = draw(st.sampled_from([None, *types]))  # one field's value odd, or none
    for name, kind in types.items():
        row[name] = draw(odd_values(kind) if name == spoiled else valid_values(kind))
    if draw(st.integers(0, 4)) == 0:
        del row[draw(st.sampled_from(sorted(row)))]
    if draw(st.integers(0, 9)) == 0:
        row["stray_column"] = "x"
    return row


def reference(book: Rulebook, row: dict[str, Any], agency: str) -> Submission | list[str]:
    """What ``Loader._read`` makes of a row: a submission, or the reasons it is refused."""
    try:
        submission = read_row(book, row, agency)
    except RowRejected as error:
        return error.reasons
    return future_dates(submission.record, LATEST) or submission


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_rows_read_by_column_are_the_reference_rows(book: Rulebook, data: st.DataObject) -> None:
    category, agency = data.draw(st.sampled_from(CATEGORIES))
    drawn = data.draw(st.lists(rows(category), min_size=1, max_size=12))
    for row, read in zip(drawn, read_by_column(book, drawn, agency, LATEST), strict=True):
        if read is None:
            continue
        expected = reference(book, row, agency)
        assert isinstance(expected, Submission), (row, expected)
        assert repr(read) == repr(expected)  # repr: 1 and 1.0 and True are told apart


@settings(max_examples=100)
@given(st.data())
def test_valid_canonical_rows_are_all_read_by_column(book: Rulebook, data: st.DataObject) -> None:
    category, agency = data.draw(st.sampled_from(CATEGORIES))
    drawn = data.draw(st.lists(rows(category), min_size=1, max_size=12))
    accepted = [
        row
        for row in drawn
        if row.get("category") == category
        and isinstance(reference(book, row, agency), Submission)
        and _canonical(book, row)
    ]
    read = read_by_column(book, accepted, agency, LATEST)
    assert None not in read, [r for r, s in zip(accepted, read, strict=True) if s is None]


def _canonical(book: Rulebook, row: dict[str, Any]) -> bool:
    """Every value text in the plain form a column check reads (no padding, no commas, an
    identity number as ``parse_id`` writes it, a number in ``PLAIN_FORMS``)."""
    types = book.categories[row["category"]][2]
    for key, value in row.items():
        if value is None:
            continue
        if type(value) is not str or value != value.strip() or not value:
            return False
        kind = types.get(key)
        base = "id" if key == "subject" else kind.base if kind else "text"
        if base == "id" and parse_id(value).code != value:
            return False
        if base in PLAIN_FORMS and not re.match(PLAIN_FORMS[base], value):
            return False
    return True
