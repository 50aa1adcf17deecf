"""The per-row report of an ingest, and the summary of a label run."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from socialcredit.services.models.base import Answer
from socialcredit.services.records.outcomes import IngestReport


class Rejection(Answer):
    row: int
    reasons: list[str]


class IngestAnswer(Answer):
    """How every row of a batch went: counts by outcome, and each rejected row's reasons."""

    batch: str
    file: str | None
    agency: str
    already_loaded: bool
    reading: dict[str, Any] = Field(default_factory=dict)  # encoding, mapping, normalised
    warnings: list[str] = Field(default_factory=list)  # about the file as a whole (empty...)
    rows: int
    accepted: int
    updated: int
    corrected: int
    duplicate: int
    rejected: int
    rejections: list[Rejection]

    @classmethod
    def of(cls, report: IngestReport, file: str | None) -> IngestAnswer:
        return cls.model_validate({**report.as_dict(), "file": file})


class LabelAnswer(Answer):
    """A label run: its size, the entries active on its date by list, grades by rating."""

    run: int
    as_of: str
    subjects: int
    records: int
    entries: int
    active_entries: dict[str, int]
    grades: dict[str, int]
    engine: str  # which engine labelled: duckdb, spark or python
