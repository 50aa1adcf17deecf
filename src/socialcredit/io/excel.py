"""Reading and writing Excel workbooks (.xlsx) with openpyxl.

Rows are read from one sheet (the first, or one named), the first row being the header.
A cell becomes text as a clerk would type it: a date as YYYY-MM-DD, a whole number without
``.0``, a boolean as true/false, an empty cell as None. Entirely empty rows are skipped.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils.exceptions import InvalidFileException

from socialcredit.core.errors import SocialCreditError


class UnreadableWorkbook(SocialCreditError):
    """A workbook that cannot be opened, or lacks the sheet asked for."""


def cell_text(value: Any) -> str | None:
    """A cell's value as text; None for an empty cell."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value)
    return text if text.strip() else None


def sheet_rows(path: Path, sheet: str | None = None) -> Iterator[tuple[int, dict[str, Any]]]:
    """(row number counted from 1 after the header, {header: text}) for every non-empty row."""
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as error:
        raise UnreadableWorkbook(f"{path}: not an .xlsx workbook ({error})") from None
    try:
        if sheet is not None and sheet not in book.sheetnames:
            names = ", ".join(book.sheetnames)
            raise UnreadableWorkbook(f"{path}: no sheet {sheet!r} (it has {names})")
        rows = (
            book[sheet].iter_rows(values_only=True)
            if sheet
            else book.active.iter_rows(values_only=True)
        )
        header = next(rows, None)
        if header is None:
            return
        names_ = [cell_text(h) or "" for h in header]
        for number, values in enumerate(rows, start=1):
            cells = [cell_text(v) for v in values]
            if all(c is None for c in cells):
                continue
            row = {name.strip(): cells[i] if i < len(cells) else None
                   for i, name in enumerate(names_) if name.strip()}  # fmt: skip
            yield number, row
    finally:
        book.close()


def write_workbook(
    path: Path, columns: Sequence[str], rows: Sequence[Sequence[Any]], sheet: str = "Sheet1"
) -> None:
    """Write ``rows`` under a header of ``columns`` into a new workbook at ``path``."""
    path.write_bytes(workbook_bytes(columns, rows, sheet))


def workbook_bytes(
    columns: Sequence[str], rows: Sequence[Sequence[Any]], sheet: str = "Sheet1"
) -> bytes:
    """A workbook of one sheet: a header of ``columns``, then ``rows``."""
    buffer = io.BytesIO()
    book = Workbook(write_only=True)
    out = book.create_sheet(sheet)
    out.append([_cell(out, name) for name in columns])
    for row in rows:
        out.append([_cell(out, value) for value in row])
    book.save(buffer)
    return buffer.getvalue()


def _cell(sheet: Any, value: Any) -> Any:
    """A value a workbook can hold: control characters that the file format forbids (and
    lone surrogates) become U+FFFD, so one odd name never makes the whole workbook fail;
    a text beginning with ``=`` is stored as text, never as a formula (openpyxl would make
    it one), so a name such as ``=HYPERLINK(...)`` opens as the name it is."""
    if not isinstance(value, str):
        return value
    text = ILLEGAL_CHARACTERS_RE.sub("\ufffd", value.encode("utf-8", "replace").decode("utf-8"))
    if not text.startswith("="):
        return text
    cell = WriteOnlyCell(sheet, text)
    cell.data_type = "s"
    return cell
