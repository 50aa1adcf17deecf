"""The CSV reader makes each row into one dict, as ``csv.DictReader`` would read it: blank
lines skipped, a header's names stripped (a column without a name dropped), empty and
missing values None, more values than columns a bad row."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from socialcredit.io.csv_lines import BadRow, csv_lines

PIECES = st.sampled_from(["a", "b", " ", ",", '"', "\n", "\r", "\t", "全", "x", ""])


def dict_reader_rows(text: str) -> list[Any]:
    """What ``csv.DictReader`` reads, each row's names stripped and empty values None."""
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if reader.fieldnames is None:
        return []
    rows: list[Any] = []
    for row in reader:
        if None in row:
            rows.append(("more values than columns", json.dumps(row[None], ensure_ascii=False)))
        else:
            rows.append({k.strip(): v if v != "" else None for k, v in row.items() if k})
    return rows


@settings(max_examples=500)
@given(st.lists(PIECES, max_size=40).map("".join))
def test_rows_are_read_as_dict_reader_reads_them(text: str) -> None:
    read = [
        (row.reason, row.raw) if isinstance(row, BadRow) else row
        for _, row in csv_lines(io.StringIO(text, newline=""))
    ]
    expected = dict_reader_rows(text)
    assert len(read) == len(expected)
    for got, want in zip(read, expected, strict=True):
        if isinstance(got, tuple) and got[0].startswith("a quote opened"):
            continue  # the last row, its quote never closed: the reader's own reason
        assert got == want
        assert list(got) == list(want)  # the same columns in the same order
