"""Agency feeds in the agencies' own layouts, for ingestion through a mapping.

Real agencies do not send our columns: a court exports GBK text with Chinese headers, 是/否
and dates written 2018年3月1日, often with full-width digits; a market regulator sends an
Excel workbook. ``write_own_layouts`` rewrites feeds already written (our layout) into such
files by running a shipped mapping (``mappings/``) backwards, so that ingesting the new file
with that mapping yields the same records as the original. Rows the original corrupted on
purpose stay corrupt.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from socialcredit.io.csv_out import CsvWriter
from socialcredit.io.excel import write_workbook
from socialcredit.io.mappings import MAPPINGS_ROOT, Mapping, load_mapping

FULL_WIDTH = str.maketrans({chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)})
FULL_WIDTH_EVERY = 4  # every fourth row writes its identity number and case number full-width


@dataclass(frozen=True)
class OwnLayout:
    """One feed rewritten: the original file, the mapping, the new file and how it is kept."""

    source: str
    mapping: str
    file: str
    encoding: str | None = None  # a CSV's encoding; None for a workbook

    def manifest_item(self, mapping_dir: Path) -> dict[str, str]:
        spec = load_mapping(mapping_dir / self.mapping).spec
        return {
            "file": self.file,
            "agency": spec.agency,
            "mapping": str(mapping_dir / self.mapping),
            "replaces": self.source,
        }


OWN_LAYOUTS = (
    OwnLayout(
        "court-enforcement.csv", "court-enforcement-zh.yaml", "court-enforcement-gbk.csv", "gbk"
    ),
    OwnLayout("samr-penalties.csv", "samr-penalties-zh.yaml", "samr-penalties.xlsx"),
)


def write_own_layouts(feeds: Path, mapping_dir: Path = MAPPINGS_ROOT) -> list[dict[str, str]]:
    """Write every OWN_LAYOUTS file beside its original in ``feeds``; return what to ingest
    (file, agency, mapping, and the original file it stands for)."""
    items = []
    for layout in OWN_LAYOUTS:
        mapping = load_mapping(mapping_dir / layout.mapping)
        rows = _own_rows(feeds / layout.source, mapping, workbook=layout.encoding is None)
        columns = list(mapping.spec.columns)
        target = feeds / layout.file
        if layout.encoding is None:
            table = [[row.get(c) for c in columns] for row in rows]
            write_workbook(target, columns, table, mapping.spec.sheet or "Sheet1")
        else:
            _write_csv(target, ["序号", *columns], rows, layout.encoding)
        items.append(layout.manifest_item(mapping_dir))
    return items


def _write_csv(path: Path, columns: list[str], rows: Iterator[dict[str, Any]], enc: str) -> None:
    with path.open("w", encoding=enc, newline="") as handle:
        # an agency's own layout that ingest reads back: the values exactly as they are
        writer = CsvWriter(handle, columns, for_people=False)
        for number, row in enumerate(rows, start=1):
            writer.writerow([number, *(row.get(c) or "" for c in columns[1:])])


def _own_rows(source: Path, mapping: Mapping, workbook: bool) -> Iterator[dict[str, Any]]:
    """The rows of ``source`` as the agency would write them, by the mapping's columns."""
    spec = mapping.spec
    back = {target: column for column, target in spec.columns.items()}
    words = {key: _first_word(table) for key, table in spec.values.items()}
    dates = set(mapping.date_keys())
    with source.open(encoding="utf-8", newline="") as handle:
        for number, row in enumerate(csv.DictReader(handle), start=1):
            own: dict[str, Any] = {}
            for target, column in back.items():
                value: Any = row.get(target) or None
                if value is not None and target in words:
                    value = words[target].get(value, value)
                if value is not None and target in dates:
                    value = _own_date(value, workbook)
                if value is not None and target in ("subject", "doc_no"):
                    value = value.translate(FULL_WIDTH) if number % FULL_WIDTH_EVERY == 0 else value
                own[column] = value
            yield own


def _first_word(table: dict[str, str]) -> dict[str, str]:
    """Our value -> the agency's first word for it."""
    found: dict[str, str] = {}
    for raw, ours in table.items():
        found.setdefault(ours, raw)
    return found


def _own_date(value: str, workbook: bool) -> Any:
    """A date as the agency writes it: a date cell in a workbook, 2018年3月1日 in text."""
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        return value  # a corrupt date stays corrupt
    return day if workbook else f"{day.year}年{day.month}月{day.day}日"
