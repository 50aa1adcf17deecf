"""Rows of an agency's own layout turned into our rows by an ingest mapping.

Each cell is NFKC-normalised first (full-width digits, letters and brackets become their
ordinary forms; the subject's name is kept as written), then renamed to its record key,
translated by the value map, and, for date keys, read with the mapping's date formats and
written YYYY-MM-DD. A cell that fits no date format makes its row a ``BadRow`` naming the
column; the other rows go on. The catalog then validates the row as any other.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from socialcredit.core.errors import SocialCreditError
from socialcredit.io.mappings import Mapping

KEPT_AS_WRITTEN = frozenset({"name"})


class LayoutMismatch(SocialCreditError):
    """A file whose columns are not the ones its mapping describes."""


@dataclass
class ReadNotes:
    """What reading did to a file: the encoding used, the mapping, the cells normalised."""

    encoding: str | None = None
    mapping: str | None = None
    normalised: Counter[str] = field(default_factory=Counter)

    def as_dict(self) -> dict[str, Any]:
        return {
            "encoding": self.encoding,
            "mapping": self.mapping,
            "normalised_cells": sum(self.normalised.values()),
            "normalised_by_column": dict(sorted(self.normalised.items())),
        }


def reading_lines(reading: dict[str, Any]) -> list[str]:
    """What reading did (``ReadNotes.as_dict()``), in words for a report."""
    found = []
    if reading.get("encoding"):
        found.append(f"encoding: {reading['encoding']}")
    if reading.get("mapping"):
        found.append(f"mapping: {reading['mapping']}")
    by_column = reading.get("normalised_by_column") or {}
    if by_column:
        columns = ", ".join(f"{c} ({n})" for c, n in by_column.items())
        total = reading.get("normalised_cells", 0)
        found.append(f"NFKC-normalised {total} cell(s) written in full-width forms: {columns}")
    return found


def nfkc(value: str, column: str, notes: ReadNotes | None) -> str:
    """``value`` in NFKC form; counts the change against ``column``."""
    normal = unicodedata.normalize("NFKC", value)
    if normal != value and notes is not None:
        notes.normalised[column] += 1
    return normal


def _plain(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


class Translator:
    """Applies one mapping to the rows of one file."""

    def __init__(self, mapping: Mapping, date_keys: tuple[str, ...]) -> None:
        spec = mapping.spec
        self.mapping, self.spec, self.date_keys = mapping, spec, frozenset(date_keys)
        self.values = {
            key: {_plain(raw): ours for raw, ours in table.items()}
            for key, table in spec.values.items()
        }
        self.examples = ", ".join(dt.date(2018, 12, 31).strftime(f) for f in spec.date_formats)
        # Headers are compared in NFKC form: 执行标的（元） in the file is 执行标的(元) here.
        self.columns = {_plain(column): target for column, target in spec.columns.items()}
        self.ignore = {_plain(column) for column in spec.ignore}

    def check_header(self, header: Iterable[str]) -> None:
        """Raise LayoutMismatch unless the file has every mapped column and no other."""
        present = {_plain(column) for column in header}
        missing = [c for c in self.columns if c not in present]
        extra = sorted(present - set(self.columns) - self.ignore)
        problems = []
        if missing:
            problems.append(f"lacks the column(s) {', '.join(missing)}")
        if extra:
            problems.append(f"has column(s) the mapping does not name: {', '.join(extra)}")
        if problems:
            raise LayoutMismatch(
                f"the file {' and '.join(problems)} (mapping {self.mapping.id}; "
                "list columns to drop under 'ignore')"
            )

    def row(self, raw: dict[str, Any], notes: ReadNotes | None) -> dict[str, Any] | str:
        """Our row for one of the file's rows, or the reasons it cannot be read."""
        out: dict[str, Any] = {"category": self.spec.category}
        reasons = []
        cells = {_plain(column): value for column, value in raw.items()}
        for column, target in self.columns.items():
            value = cells.get(column)
            if isinstance(value, str):
                if target not in KEPT_AS_WRITTEN:
                    value = nfkc(value, column, notes)
                value = value.strip() or None
            if value is not None and target in self.values:
                value = self.values[target].get(value, value)
            if value is not None and target in self.date_keys:
                day = self._date(str(value))
                if day is None:
                    reasons.append(
                        f"{column} ({target}): {value!r} fits no date format of the mapping "
                        f"(written like {self.examples})"
                    )
                value = day
            out[target] = value
        return "; ".join(reasons) if reasons else out

    def _date(self, text: str) -> str | None:
        for fmt in self.spec.date_formats:
            try:
                return dt.datetime.strptime(text, fmt).date().isoformat()
            except ValueError:
                continue
        return None
