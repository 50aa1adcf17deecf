"""The simulator's rates, read from ``data/rates.yaml``, each with its basis."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

DATA = Path(__file__).resolve().parent / "data"
RATES_FILE = DATA / "rates.yaml"


@dataclass(frozen=True)
class Rates:
    """Every rate of the model (see ``data/rates.yaml`` for units and bases)."""

    person_case_rate: float
    org_case_rate: float
    case_intensity: float
    consumption_order_share: float
    performed_share: float
    performance_days_median: float
    performance_days_sigma: float
    revoked_share: float
    revocation_days_max: float
    early_deletion_share: float
    early_deletion_days: float
    penalty_org_rate: float
    penalty_performed_share: float
    repair_application_share: float
    record_error_rate: float
    objection_share: float
    objection_days_max: float
    correction_days: float
    flight_attempt_rate: float
    rail_attempt_rate: float
    list_legal_representatives: float
    late_filing_share: float
    late_filing_cured_share: float
    late_filing_cure_days_median: float
    basis: Mapping[str, str] = field(default_factory=dict, compare=False, repr=False)

    def with_values(self, values: Mapping[str, float]) -> Rates:
        """These rates with some replaced; an unknown name is a ValueError."""
        unknown = sorted(set(values) - set(rate_names()))
        if unknown:
            raise ValueError(f"unknown rate(s) {unknown}; known: {', '.join(rate_names())}")
        changes: dict[str, Any] = dict(values)
        return dataclasses.replace(self, **changes)

    def as_dict(self) -> dict[str, float]:
        return {name: float(getattr(self, name)) for name in rate_names()}


def rate_names() -> list[str]:
    """The names of the rates, in file order."""
    return [f.name for f in dataclasses.fields(Rates) if f.name != "basis"]


def load_rates(path: Path = RATES_FILE) -> Rates:
    """The rates of the file; each entry has a numeric ``value`` and a ``basis``."""
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    missing = sorted(set(rate_names()) - set(data))
    if missing:
        raise ValueError(f"{path}: rates missing: {missing}")
    values = {name: float(data[name]["value"]) for name in rate_names()}
    basis = {name: " ".join(str(data[name]["basis"]).split()) for name in rate_names()}
    return Rates(**values, basis=basis)
