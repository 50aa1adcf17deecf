"""Reading agency files row by row. A row that cannot be read becomes a ``BadRow`` with the
reason, and reading goes on: nothing valid is lost because of a bad line."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from socialcredit.core.errors import SocialCreditError

# A field may be as long as a whole upload; a text field's own limit is the catalog's.
csv.field_size_limit(64 * 1024 * 1024)
FORMATS = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".parquet": "parquet"}


@dataclass(frozen=True)
class BadRow:
    reason: str
    raw: str


Row = dict[str, Any] | BadRow


class UnreadableFile(SocialCreditError):
    """A file that cannot be read at all (missing, unknown format, not text)."""


def file_format(path: Path) -> str:
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise UnreadableFile(
            f"{path}: unknown format {path.suffix!r}; use .csv, .jsonl or .parquet"
        )
    return fmt


def check_readable(path: Path) -> None:
    """Raise UnreadableFile unless ``path`` is a file of a known format."""
    if not path.is_file():
        raise UnreadableFile(f"{path}: no such file")
    file_format(path)


def read_rows(path: Path) -> Iterator[tuple[int, Row]]:
    """(row number, row) for every data row; row numbers count from 1 after any header."""
    check_readable(path)
    reader = {"csv": _csv_rows, "jsonl": _jsonl_rows, "parquet": _parquet_rows}[file_format(path)]
    yield from reader(path)


def read_data(data: bytes, fmt: str, name: str) -> Iterator[tuple[int, Row]]:
    """(row number, row) for every data row of ``data`` (a whole body already in memory) in
    the format ``fmt`` (csv or jsonl); errors name the data as ``name``."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise UnreadableFile(f"{name}: not UTF-8 text ({error.reason})") from None
    if fmt == "csv":
        yield from _csv_lines(io.StringIO(text, newline=""))
    elif fmt == "jsonl":
        yield from parse_jsonl(io.StringIO(text))
    else:
        raise UnreadableFile(f"{name}: unknown format {fmt!r}; send CSV or JSON Lines")


def _csv_rows(path: Path) -> Iterator[tuple[int, Row]]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            yield from _csv_lines(handle)
    except UnicodeDecodeError as error:
        raise UnreadableFile(f"{path}: not UTF-8 text ({error.reason})") from None


def _csv_lines(handle: Iterable[str]) -> Iterator[tuple[int, Row]]:
    reader = csv.DictReader(handle)
    for number, row in enumerate(reader, start=1):
        if None in row:
            yield number, BadRow("more values than columns", json.dumps(row.get(None)))
            continue
        yield number, {k.strip(): (v if v != "" else None) for k, v in row.items() if k}


def _jsonl_rows(path: Path) -> Iterator[tuple[int, Row]]:
    try:
        with path.open(encoding="utf-8") as handle:
            yield from parse_jsonl(handle)
    except UnicodeDecodeError as error:
        raise UnreadableFile(f"{path}: not UTF-8 text ({error.reason})") from None


def parse_jsonl(lines: Iterator[str] | Any) -> Iterator[tuple[int, Row]]:
    number = 0
    for line in lines:
        if not line.strip():
            continue
        number += 1
        try:
            value = json.loads(line)
        except json.JSONDecodeError as error:
            yield number, BadRow(f"not valid JSON: {error.msg} at column {error.colno}", line[:500])
            continue
        except RecursionError:
            yield number, BadRow("JSON nested too deeply", line[:500])
            continue
        if isinstance(value, dict):
            yield number, value
        else:
            yield number, BadRow("a JSON line must be an object", line[:500])


def _parquet_rows(path: Path) -> Iterator[tuple[int, Row]]:
    try:
        import pyarrow.parquet as pq  # an optional extra: pip install socialcredit[parquet]
    except ImportError:
        raise UnreadableFile(
            "reading Parquet needs pyarrow: pip install 'socialcredit[parquet]'"
        ) from None
    table = pq.read_table(path)
    yield from enumerate(table.to_pylist(), start=1)
