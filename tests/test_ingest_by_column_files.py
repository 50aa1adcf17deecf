"""Validation by column (issue 14), value by value and file by file: each odd value of each
field type is read by column only as the reference reads it, and a random file ingested
whole gives every row the reference's outcome and reasons (strategies and the reference in
tests/test_ingest_by_column.py)."""

from __future__ import annotations

import csv
import itertools
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine

from socialcredit.core.pack.model import Rulebook
from socialcredit.core.records import Submission
from socialcredit.services.records.columns import read_by_column
from socialcredit.services.records.ingest import ingest_file
from tests.test_ingest_by_column import CATEGORIES, FUTURE, LATEST, reference, rows

ODD = {  # per field type: bad values, and valid ones in forms a column check leaves alone
    "text": ["a\x07b", "x" * 2000, "x" * 2001, " padded ", "tab\tin", "\u3000全角\u3000", "\x85"],
    "int": ["1,000", "1,000,000", "12.0", "1e3", "inf", "nan", "+7", "-0", "007", "1" * 16,
            "9" * 15, "-" + "9" * 15, "١٢", "1_000", " 5 ", "0x10", "true"],
    "decimal": ["1,5", "89.9", "-0.5", ".5", "1.", "1e3", "1_000", "nan", "-inf", "0.12345",
                "99999999999.9999", "999999999999", "1" * 13, "+3", "-0", " 2.5 "],
    "money": ["-5", "-5.00", "-0", "1,000", "1,5", "1,200.50", "1,000,000", "1e3", "nan",
              "inf", "１２", " 12 ", "+12", "10000000000000", "9999999999999.99", "0.001",
              "12.5", ".5", "12."],
    "date": ["2018-02-30", "20180301", "2018-3-1", "2018-W10-1", "1899-12-31", "2200-01-01",
             " 2018-03-01 ", FUTURE, "2018-03-01T00:00"],
    "bool": ["TRUE", "Yes", " y ", "maybe", "yeſ", "ｙｅｓ", "2", "K"],
    "id": ["11010519491231002x", " 11010519491231002X", "110105194912310021",
           "91350100M000100Y4", "91350100M000100Y43", "913501OOM000100Y43", "9135010OM000100Y43"],
    "enum": [" padded ", "OTHER", "other"],
}  # fmt: skip
PLAIN = {"text": "x", "int": "7", "decimal": "1.5", "money": "100.00", "date": "2020-01-01",
         "bool": "true", "id": "11010519491231002X"}  # fmt: skip


def plain_row(book: Rulebook, category: str, doc_no: str) -> dict[str, Any]:
    """A valid row of ``category`` with a plain value in every field."""
    types = book.categories[category][2]
    row = {"subject": "91350100M000100Y43", "category": category, "doc_no": doc_no}
    row["decided_on"] = "2020-01-01"
    for name, kind in types.items():
        row[name] = kind.choices[0] if kind.base == "enum" else PLAIN[kind.base]
    return row


@pytest.mark.parametrize(("category", "agency"), CATEGORIES)
def test_each_odd_value_is_read_as_the_reference_reads_it(
    book: Rulebook, category: str, agency: str
) -> None:
    types = book.categories[category][2]
    drawn = [plain_row(book, category, "plain")]
    for name, kind in types.items():
        for value in [*ODD[kind.base], None, ""]:
            drawn.append({**plain_row(book, category, f"{name}={value}"), name: value})
    read = read_by_column(book, drawn, agency, LATEST)
    assert read[0] is not None  # a plain row is read by column
    for row, submission in zip(drawn, read, strict=True):
        if submission is not None:
            assert repr(submission) == repr(reference(book, row, agency)), row


EXAMPLES = itertools.count()


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(st.data())
def test_an_ingested_file_gets_the_reference_outcome_of_every_row(
    tmp_path: Path, store: Engine, book: Rulebook, data: st.DataObject
) -> None:
    """Through the whole ingest (CSV read, columns, loader, store): each row is accepted or
    refused with the reference's reasons, and every valid row is stored."""
    category, agency = data.draw(st.sampled_from(CATEGORIES))
    drawn = data.draw(st.lists(rows(category), min_size=1, max_size=30))
    example = next(EXAMPLES)
    for i, row in enumerate(drawn):  # each row its own document
        doc = row.get("doc_no")
        row["doc_no"] = f"{example}-{i}-{doc}" if isinstance(doc, str) and doc.strip() else doc
    path = _csv(tmp_path / f"rows-{example}.csv", drawn)
    report = ingest_file(store, book, path, agency)
    with path.open(encoding="utf-8", newline="") as handle:
        read = [{k: v or None for k, v in r.items()} for r in csv.DictReader(handle)]
    for outcome, row in zip(report.outcomes, read, strict=True):
        expected = reference(book, row, agency)
        if isinstance(expected, Submission):
            assert (outcome.outcome, outcome.record_id) == ("accepted", expected.record.id)
        else:
            assert (outcome.outcome, outcome.reasons) == ("rejected", expected), row


def _csv(path: Path, drawn: list[dict[str, Any]]) -> Path:
    """The rows as one CSV file of every column any row has (a missing value left empty;
    a value that is not text written as its text, as an agency's export would)."""
    columns = list(dict.fromkeys(key for row in drawn for key in row))
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        for row in drawn:
            writer.writerow({k: "" if v is None else str(v) for k, v in row.items()})
    return path
