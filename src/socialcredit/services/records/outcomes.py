"""The per-row report of an ingest: how each row went, and the counts."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class RowOutcome:
    row: int
    outcome: str  # accepted, updated, corrected, duplicate, rejected
    reasons: list[str] = field(default_factory=list)
    record_id: str | None = None


@dataclass
class IngestReport:
    batch_id: str
    file: str
    agency: str
    already_loaded: bool = False
    outcomes: list[RowOutcome] = field(default_factory=list)
    reading: dict[str, Any] = field(default_factory=dict)  # encoding, mapping, normalised
    warnings: list[str] = field(default_factory=list)  # about the file as a whole

    def count(self, outcome: str) -> int:
        return sum(1 for o in self.outcomes if o.outcome == outcome)

    @property
    def rejected(self) -> list[RowOutcome]:
        return [o for o in self.outcomes if o.outcome == "rejected"]

    def as_dict(self) -> dict[str, Any]:
        counts = {
            k: self.count(k) for k in ("accepted", "updated", "corrected", "duplicate", "rejected")
        }
        return {
            "batch": self.batch_id,
            "file": self.file,
            "agency": self.agency,
            "already_loaded": self.already_loaded,
            "reading": self.reading,
            "warnings": self.warnings,
            "rows": len(self.outcomes),
            **counts,
            "rejections": [{"row": o.row, "reasons": o.reasons} for o in self.rejected],
        }
