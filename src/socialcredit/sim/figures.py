"""Published national figures (``data/national_figures.yaml``) and the simulated value that
corresponds to each, scaled per capita."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from socialcredit.sim.rates import DATA
from socialcredit.sim.run import VariantResult

FIGURES_FILE = DATA / "national_figures.yaml"
DEBTORS = "dishonest-judgment-debtors"
# The daily column each kind sums, over a period ending on the figure's date.
COLUMNS = {
    "cumulative_entries": f"in:{DEBTORS}",
    "cumulative_flights": "flights_blocked",
    "cumulative_rail": "rail_blocked",
    "cumulative_complied": "case_performances",
    "yearly_inflow": f"in:{DEBTORS}",
    "yearly_restored": f"out:{DEBTORS}",
}


@dataclass(frozen=True)
class Figure:
    """One published figure, where it comes from, and whether calibration may fit on it."""

    id: str
    kind: str
    value: float
    wording: str
    source: str
    confidence: str
    use: str
    first: dt.date | None
    last: dt.date | None

    @property
    def held_out(self) -> bool:
        return self.use == "held_out"


@dataclass(frozen=True)
class Figures:
    population: float
    items: tuple[Figure, ...]

    def fitted(self) -> list[Figure]:
        return [f for f in self.items if not f.held_out]


def _period(item: dict[str, Any]) -> tuple[dt.date | None, dt.date | None]:
    if "year" in item and item["kind"].startswith("yearly"):
        year = int(item["year"])
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    return item.get("from"), item.get("as_of")


def load_figures(path: Path = FIGURES_FILE) -> Figures:
    """The figures of the file; ``use`` must be fit or held_out."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    items = []
    for item in data["figures"]:
        if item["use"] not in ("fit", "held_out"):
            raise ValueError(f"{path}: figure {item['id']}: use must be fit or held_out")
        first, last = _period(item)
        items.append(
            Figure(
                str(item["id"]),
                str(item["kind"]),
                float(item["value"]),
                str(item["wording"]),
                str(item["source"]),
                str(item["confidence"]),
                str(item["use"]),
                first,
                last,
            )
        )
    return Figures(float(data["population"]["value"]), tuple(items))


def simulated(figure: Figure, result: VariantResult, scale: float) -> float | None:
    """The model's value for the figure, times ``scale``; None if the model has none
    (a kind it does not simulate, or a period outside the run)."""
    column = COLUMNS.get(figure.kind)
    if column is None or figure.last is None or not result.rows:
        return None
    days = [dt.date.fromisoformat(str(r["day"])) for r in (result.rows[0], result.rows[-1])]
    if figure.last > days[1] or (figure.first is not None and figure.first < days[0]):
        return None
    total = 0
    for row in result.rows:
        day = dt.date.fromisoformat(str(row["day"]))
        if day <= figure.last and (figure.first is None or day >= figure.first):
            total += int(row[column])  # type: ignore[call-overload]
    return total * scale
