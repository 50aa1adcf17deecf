"""Writing CSV: the one helper every CSV the project writes goes through.

A file for people (an export, a download, a result a clerk opens in a spreadsheet):

- starts with a UTF-8 byte-order mark, so that Excel on Chinese Windows reads it as UTF-8
  rather than in the local code page (GBK);
- neutralises formula injection as OWASP recommends: a text cell that begins with ``=``,
  ``+``, ``-``, ``@``, a tab or a carriage return gets a single quote in front, so that a
  name such as ``=HYPERLINK("...")`` opens as text, not as a live formula. Only the file
  changes; the stored value stays as it was.

Only text is neutralised. A number (``int``, ``float``, ``Decimal``) is written as the number
it is, so an amount of -5 stays ``-5`` and sorts and sums as a number; a negative amount held
as text (``"-5"``, e.g. a field of a record's JSON or a document number) is text and gets the
quote, since a spreadsheet cannot tell it from the start of a formula.

A file for machines that the project reads back as an agency's input (the synthetic agency
feeds) is written with ``for_people=False``: no mark and no quote, because the quote would
become part of the value ingested.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any, TextIO

BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """``value`` as a spreadsheet may show it: a text that a spreadsheet would run as a
    formula with a single quote in front; anything else unchanged.

    >>> neutralise('=HYPERLINK("http://x")'), neutralise("-5"), neutralise(-5)
    ('\\'=HYPERLINK("http://x")', "'-5", -5)
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return f"'{value}"
    return value


class CsvWriter:
    """Rows written one at a time to ``out`` (opened with ``newline=""``) under ``header``.
    ``None`` is an empty cell. For people: the byte-order mark first and every text cell
    neutralised; for machines (``for_people=False``): the values as they are."""

    def __init__(
        self,
        out: TextIO,
        header: Sequence[str],
        *,
        for_people: bool = True,
        line_end: str = "\r\n",
    ) -> None:
        self._writer = csv.writer(out, lineterminator=line_end)
        self._cell = neutralise if for_people else _as_is
        if for_people:
            out.write(BOM)
        self._writer.writerow([self._cell(name) for name in header])

    def writerow(self, row: Iterable[Any]) -> None:
        self._writer.writerow(["" if value is None else self._cell(value) for value in row])


def write_csv(
    out: TextIO,
    header: Sequence[str],
    rows: Iterable[Iterable[Any]],
    *,
    for_people: bool = True,
    line_end: str = "\r\n",
) -> None:
    """Write ``header`` and ``rows`` to ``out`` (see ``CsvWriter``)."""
    writer = CsvWriter(out, header, for_people=for_people, line_end=line_end)
    for row in rows:
        writer.writerow(row)


def csv_bytes(header: Sequence[str], rows: Iterable[Iterable[Any]]) -> bytes:
    """A CSV file for people (byte-order mark, neutralised cells, CRLF lines) in UTF-8."""
    out = io.StringIO(newline="")
    write_csv(out, header, rows)
    return out.getvalue().encode("utf-8")


def _as_is(value: Any) -> Any:
    return value
