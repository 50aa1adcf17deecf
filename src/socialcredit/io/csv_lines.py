"""CSV text read row by row: each row one dict of its values by the header's names, a row
that cannot be read a ``BadRow`` naming why (more values than columns, a quote never
closed), and reading goes on."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

# A field may be as long as a whole upload; a text field's own limit is the catalog's.
csv.field_size_limit(64 * 1024 * 1024)


@dataclass(frozen=True)
class BadRow:
    """A row that cannot be read, with the reason and its raw text."""

    reason: str
    raw: str


Row = dict[str, Any] | BadRow


def csv_lines(handle: Iterable[str]) -> Iterator[tuple[int, Row]]:
    """Rows of CSV text; a quote left open, which swallows the rest of the file into the
    row where it opened, makes that row a ``BadRow`` naming the line it opened on. Blank
    lines are skipped (as ``csv.DictReader`` does); each row is made into one dict."""
    lines = _KeptLines(handle)
    reader = csv.reader(lines)
    header = next(reader, None)
    if header is None:
        return
    lines.take()  # the header
    cells = _Cells(header)
    held: tuple[int, Row, int, str] | None = None
    number = 0
    for values in reader:
        if not values:
            continue
        number += 1
        if held is not None:
            yield held[0], held[1]
        held = (number, cells.of(values), lines.first, lines.take())
    if held is not None:
        last, row, first, raw = held
        yield last, BadRow(_open_quote(first, lines.count), raw[:500]) if _unclosed(raw) else row


class _Cells:
    """A CSV row's values as a dict keyed by the header's names (stripped; a column without
    a name dropped), empty values as None, missing ones too; more values than columns
    make a ``BadRow``."""

    def __init__(self, header: list[str]) -> None:
        self.width = len(header)
        self.kept = [i for i, name in enumerate(header) if name]
        self.names = [header[i].strip() for i in self.kept]
        self.every = len(self.kept) == self.width

    def of(self, values: list[str]) -> Row:
        if len(values) > self.width:
            extra = json.dumps(values[self.width :], ensure_ascii=False)
            return BadRow("more values than columns", extra)
        cells: list[str | None] = [v or None for v in values]
        if len(cells) < self.width:
            cells += [None] * (self.width - len(cells))
        if not self.every:
            cells = [cells[i] for i in self.kept]
        return dict(zip(self.names, cells, strict=True))


class _KeptLines:
    """The lines a CSV reader takes, kept since the last ``take`` (the current row's)."""

    def __init__(self, handle: Iterable[str]) -> None:
        self.lines = iter(handle)
        self.kept: list[str] = []
        self.count, self.first = 0, 1

    def __iter__(self) -> _KeptLines:
        return self

    def __next__(self) -> str:
        line = next(self.lines)
        self.count += 1
        if not self.kept:
            self.first = self.count
        self.kept.append(line)
        return line

    def take(self) -> str:
        raw, self.kept = "".join(self.kept), []
        return raw


def _unclosed(raw: str) -> bool:
    """Does the CSV text of one row end inside a quoted value?"""
    try:
        list(csv.reader(io.StringIO(raw, newline=""), strict=True))
    except csv.Error as error:
        return "unexpected end of data" in str(error)
    return False


def _open_quote(first: int, last: int) -> str:
    return (
        f"a quote opened on line {first} is never closed: it swallows every line after it, "
        f"to the end of the file (line {last}); close the quote and send those rows again"
    )
