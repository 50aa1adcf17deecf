"""Writing the agency feeds: CSV files with the envelope columns, then the category's fields.

Rows are written as they are made (nothing is held per row), with a corrupted copy now and
then (see ``invalid``), and ``progress`` is told how many rows were written since it was last
called.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import TextIO

from socialcredit.io.csv_out import CsvWriter
from socialcredit.synth.invalid import Corrupter, Row

ENVELOPE = ("subject", "name", "category", "doc_no", "decided_on", "status", "status_date")
REGISTRATION_FIELDS = ("legal_representative", "principal", "actual_controller")
ENFORCEMENT_FIELDS = (
    "amount_due",
    "ground",
    "aggravated",
    "security_sufficient",
    "seized_assets_sufficient",
    "later_in_order",
    "court",
)
PROGRESS_EVERY = 1000


class RowCounter:
    """Counts rows written and reports them to ``progress`` in steps of PROGRESS_EVERY."""

    def __init__(self, progress: Callable[[int], None] | None) -> None:
        self._progress = progress
        self._pending = 0
        self.total = 0

    def add(self, rows: int = 1) -> None:
        """Count rows just written."""
        self.total += rows
        self._pending += rows
        if self._pending >= PROGRESS_EVERY:
            self.flush()

    def flush(self) -> None:
        """Report the rows not yet reported."""
        if self._progress is not None and self._pending:
            self._progress(self._pending)
        self._pending = 0


class FeedWriter:
    """One CSV feed: a header, then valid rows each possibly followed by a corrupted copy."""

    def __init__(
        self,
        path: Path,
        fields: tuple[str, ...],
        invalid_kinds: tuple[str, ...],
        counter: RowCounter,
        corrupter: Corrupter,
    ) -> None:
        self.path = path
        self.columns = ENVELOPE + fields
        self._kinds = invalid_kinds
        self._counter = counter
        self._corrupter = corrupter
        self._handle: TextIO = path.open("w", encoding="utf-8", newline="")
        # an agency's file that ingest reads back: the values exactly as they are
        self._writer = CsvWriter(self._handle, self.columns, for_people=False, line_end="\n")

    def write(self, row: Row, fresh_doc_no: Callable[[], str]) -> None:
        """Write a valid row; maybe follow it with a corrupted copy under a fresh doc_no."""
        self._writer.writerow([row[column] for column in self.columns])
        self._counter.add()
        copy = self._corrupter.maybe_corrupt(row, self._kinds, fresh_doc_no)
        if copy is not None:
            self._writer.writerow([copy[column] for column in self.columns])
            self._counter.add()

    def close(self) -> None:
        """Close the file."""
        self._handle.close()

    def __enter__(self) -> FeedWriter:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()


def flag(value: bool) -> str:
    """A boolean as the feeds write it."""
    return "true" if value else "false"
