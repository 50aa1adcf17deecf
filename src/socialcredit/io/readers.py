"""Reading agency files row by row. A row that cannot be read becomes a ``BadRow`` with the
reason, and reading goes on: nothing valid is lost because of a bad line.

CSV files may be UTF-8 (with or without a byte-order mark), GBK or GB18030: the encoding is
detected (or declared) and written into ``ReadNotes``. With an ingest mapping
(``io.mappings``) the agency's own columns and values are translated into ours first, and
cells are NFKC-normalised (full-width digits and letters become ordinary ones; the name is
kept as written), the notes counting the cells changed. Without a mapping values are kept
exactly as sent.
"""

from __future__ import annotations

import codecs
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from socialcredit.core.errors import SocialCreditError
from socialcredit.io.csv_lines import BadRow as BadRow  # where readers' callers look
from socialcredit.io.csv_lines import Row as Row
from socialcredit.io.csv_lines import csv_lines
from socialcredit.io.encoding import SAMPLE_BYTES, Encoding, detect, not_utf8_hint
from socialcredit.io.excel import UnreadableWorkbook, sheet_rows
from socialcredit.io.mapped import LayoutMismatch, ReadNotes, Translator
from socialcredit.io.mappings import Mapping

FORMATS = {
    ".csv": "csv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".parquet": "parquet",
    ".xlsx": "xlsx",
}


class UnreadableFile(SocialCreditError):
    """A file that cannot be read at all (missing, unknown format, not text)."""


def file_format(path: Path) -> str:
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise UnreadableFile(
            f"{path}: unknown format {path.suffix!r}; use .csv, .jsonl, .parquet or .xlsx"
        )
    return fmt


def check_readable(path: Path) -> None:
    """Raise UnreadableFile unless ``path`` is a file of a known format."""
    if not path.is_file():
        raise UnreadableFile(f"{path}: no such file")
    file_format(path)


def read_rows(
    path: Path,
    notes: ReadNotes | None = None,
    mapping: Mapping | None = None,
    date_keys: tuple[str, ...] = (),
    encoding: str = "auto",
) -> Iterator[tuple[int, Row]]:
    """(row number, row) for every data row; row numbers count from 1 after any header.

    ``notes`` (when given) is filled with the encoding used and the cells normalised;
    ``mapping`` translates the agency's own layout, reading ``date_keys`` as dates;
    ``encoding`` of a CSV file: ``auto`` detects it, a codec name declares it (the file is
    then refused whole unless all of it decodes)."""
    check_readable(path)
    fmt = file_format(path)
    if mapping is not None:
        if fmt not in ("csv", "xlsx"):
            raise UnreadableFile(f"{path}: a mapping reads .csv or .xlsx files, not .{fmt}")
        yield from _mapped(path, fmt, mapping, date_keys, notes)
        return
    if fmt in ("csv", "xlsx"):
        declared = None if encoding == "auto" else Encoding(encoding, "declared")
        yield from _csv_rows(path, declared, notes) if fmt == "csv" else _sheet(path, None)
        return
    yield from {"jsonl": _jsonl_rows, "parquet": _parquet_rows}[fmt](path)


def _mapped(
    path: Path,
    fmt: str,
    mapping: Mapping,
    date_keys: tuple[str, ...],
    notes: ReadNotes | None,
) -> Iterator[tuple[int, Row]]:
    if notes is not None:
        notes.mapping = mapping.label
    translator = Translator(mapping, date_keys)
    if fmt == "csv":
        chosen = mapping.spec.encoding
        given = None if chosen == "auto" else Encoding(chosen, "from the mapping")
        raw = _csv_rows(path, given, notes)
    else:
        raw = _sheet(path, mapping.spec.sheet)
    checked = False
    for number, row in raw:
        if isinstance(row, BadRow):
            yield number, row
            continue
        if not checked:
            try:
                translator.check_header(row)
            except LayoutMismatch as error:
                raise UnreadableFile(f"{path}: {error}") from None
            checked = True
        result = translator.row(row, notes)
        if isinstance(result, str):
            yield number, BadRow(result, json.dumps(row, ensure_ascii=False))
        else:
            yield number, result


def _csv_rows(
    path: Path, encoding: Encoding | None, notes: ReadNotes | None
) -> Iterator[tuple[int, Row]]:
    """Rows of a CSV file in ``encoding`` (detected when None). Bytes that do not decode
    make their row a ``BadRow``; the other rows are read."""
    found = encoding or detect(path)
    if notes is not None:
        notes.encoding = found.describe()
    if encoding is not None:
        _check_decodes(path, found)
    with path.open(encoding=found.codec, errors="replace", newline="") as handle:
        for number, row in csv_lines(handle):
            if not isinstance(row, BadRow) and any("\ufffd" in v for v in row.values() if v):
                reason = f"bytes that are not valid {found.codec} text (the file is read as such)"
                yield number, BadRow(reason, json.dumps(row, ensure_ascii=False))
                continue
            yield number, row


def _sheet(path: Path, sheet: str | None) -> Iterator[tuple[int, Row]]:
    try:
        yield from sheet_rows(path, sheet)
    except UnreadableWorkbook as error:
        raise UnreadableFile(str(error)) from None


def _check_decodes(path: Path, encoding: Encoding) -> None:
    """Raise UnreadableFile unless the whole file is text in the declared encoding."""
    decoder = codecs.getincrementaldecoder(encoding.codec)()
    offset = 0
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            try:
                decoder.decode(block)
            except UnicodeDecodeError as error:
                where = offset + error.start
                hint = not_utf8_hint(block) if encoding.codec.startswith("utf") else ""
                raise UnreadableFile(
                    f"{path}: not {encoding.describe()} text ({error.reason} at byte {where})"
                    + hint
                ) from None
            offset += len(block)
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError as error:
            message = f"{path}: not {encoding.describe()} text ({error.reason})"
            raise UnreadableFile(message) from None


def read_data(data: bytes, fmt: str, name: str) -> Iterator[tuple[int, Row]]:
    """(row number, row) for every data row of ``data`` (a whole body already in memory) in
    the format ``fmt`` (csv or jsonl); errors name the data as ``name``."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        hint = not_utf8_hint(data)
        raise UnreadableFile(f"{name}: not UTF-8 text ({error.reason}){hint}") from None
    if fmt == "csv":
        yield from csv_lines(io.StringIO(text, newline=""))
    elif fmt == "jsonl":
        yield from parse_jsonl(io.StringIO(text))
    else:
        raise UnreadableFile(f"{name}: unknown format {fmt!r}; send CSV or JSON Lines")


def _jsonl_rows(path: Path) -> Iterator[tuple[int, Row]]:
    try:
        with path.open(encoding="utf-8") as handle:
            yield from parse_jsonl(handle)
    except UnicodeDecodeError as error:
        hint = not_utf8_hint(path.read_bytes()[:SAMPLE_BYTES])
        raise UnreadableFile(f"{path}: not UTF-8 text ({error.reason}){hint}") from None


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
