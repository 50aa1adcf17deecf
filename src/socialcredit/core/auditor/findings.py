"""Findings: one sentence each, ranked so that the report can put the worst first."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

HIGH, MEDIUM, LOW = 3, 2, 1
SEVERITY_WORDS = {HIGH: "high", MEDIUM: "medium", LOW: "low"}
METRICS = (
    "legality",
    "governance",
    "proportionality",
    "duration",
    "due_process",
    "conflicts",
    "spillover",
    "collateral",
    "amplification",
    "vagueness",
)


@dataclass(frozen=True)
class Finding:
    """A problem the auditor found: which pack, which metric, how serious, where, what."""

    pack: str
    metric: str
    severity: int
    item: str
    text: str
    score: float = 0.0  # orders findings of one severity (e.g. a proportionality ratio)

    def as_dict(self) -> dict[str, Any]:
        return {
            "pack": self.pack,
            "metric": self.metric,
            "severity": SEVERITY_WORDS[self.severity],
            "item": self.item,
            "text": self.text,
        }


def worst_first(findings: list[Finding]) -> list[Finding]:
    """High before medium before low; then by metric (legality first), score and pack."""
    return sorted(
        findings,
        key=lambda f: (-f.severity, METRICS.index(f.metric), -f.score, f.pack, f.item),
    )
