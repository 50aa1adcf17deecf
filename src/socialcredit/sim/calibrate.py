"""Calibration: fit four rates on some published figures, then compare the model with the
figures it did not see (held out), scaled per capita.

The fit is a fixed-point iteration of four separable one-dimensional scalings: each fitted
rate is multiplied by real / simulated for its own figure (the quantities are about
proportional to their rate), for a few short runs that end on the last fitted figure's date.
The held-out figures are read only from the final run, after the rates are fixed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from socialcredit.sim.figures import Figure, Figures, simulated
from socialcredit.sim.rates import Rates
from socialcredit.sim.run import SimConfig, VariantResult, run_variant
from socialcredit.sim.whatif import BASELINE, Variant

CALIBRATION_START = dt.date(2013, 10, 1)  # the list's first day (spc-2013)
CALIBRATION_END = dt.date(2024, 12, 31)
FITS = {  # rate -> the figure it is fitted on
    "case_intensity": "list-end-2017",
    "performed_share": "complied-2013-10-to-2018-05",
    "flight_attempt_rate": "flights-end-2017",
    "rail_attempt_rate": "rail-end-2017",
}
BOUNDS = {"performed_share": (0.01, 0.9)}
ITERATIONS = 3
Progress = Callable[[str, int], None]


@dataclass(frozen=True)
class Comparison:
    figure: Figure
    simulated: float | None

    @property
    def relative_error(self) -> float | None:
        if self.simulated is None:
            return None
        return (self.simulated - self.figure.value) / self.figure.value


@dataclass(frozen=True)
class Calibration:
    rates: Rates
    trail: list[dict[str, float]]
    comparisons: list[Comparison]
    scale: float


def fit_rates(
    config: SimConfig, figures: Figures, progress: Progress | None = None
) -> tuple[Rates, list[dict[str, float]]]:
    """The rates after ITERATIONS rounds of scaling on the fitted figures only."""
    fitted = {f.id: f for f in figures.fitted()}
    last = max(d for name in FITS.values() if (d := fitted[name].last) is not None)
    rates, trail = config.rates, []
    scale = figures.population / config.persons
    for round_no in range(ITERATIONS):
        short = dataclasses.replace(
            config, rates=rates, start=CALIBRATION_START, end=last, variants=()
        )
        result = _run(short, f"fit {round_no + 1}/{ITERATIONS}", progress)
        values = {}
        for rate, figure_id in FITS.items():
            value = simulated(fitted[figure_id], result, scale)
            current = getattr(rates, rate)
            factor = fitted[figure_id].value / value if value else 2.0
            low, high = BOUNDS.get(rate, (0.0, float("inf")))
            values[rate] = min(high, max(low, current * factor))
        trail.append({**values, "round": float(round_no + 1)})
        rates = rates.with_values(values)
    return rates, trail


def calibrate(config: SimConfig, figures: Figures, progress: Progress | None = None) -> Calibration:
    """Fit on the fitted figures, then one full run compared with every figure."""
    rates, trail = fit_rates(config, figures, progress)
    final = dataclasses.replace(
        config, rates=rates, start=CALIBRATION_START, end=CALIBRATION_END, variants=()
    )
    result = _run(final, "final run", progress)
    scale = figures.population / config.persons
    comparisons = [Comparison(f, simulated(f, result, scale)) for f in figures.items]
    return Calibration(rates, trail, comparisons, scale)


def _run(config: SimConfig, label: str, progress: Progress | None) -> VariantResult:
    step = (lambda days: progress(label, days)) if progress else None
    return run_variant(config, Variant(BASELINE), step)


def calibration_table(calibration: Calibration) -> list[dict[str, Any]]:
    """One row per figure: id, use, real, simulated (per capita), relative error."""
    rows = []
    for c in calibration.comparisons:
        error = c.relative_error
        rows.append(
            {
                "figure": c.figure.id,
                "wording": c.figure.wording,
                "use": c.figure.use,
                "confidence": c.figure.confidence,
                "real": c.figure.value,
                "simulated": round(c.simulated)
                if c.simulated is not None and c.simulated >= 1
                else c.simulated,
                "relative_error": round(error, 3) if error is not None else None,
            }
        )
    return rows


def calibration_markdown(calibration: Calibration, config: SimConfig) -> str:
    """The calibration report: what was fitted on what, and the error on everything."""
    lines = [
        "# Calibration",
        "",
        f"Nation: {config.persons:,} persons, {config.orgs:,} organisations, seed {config.seed}; "
        f"{CALIBRATION_START} to {CALIBRATION_END}. Simulated values are scaled per capita "
        f"(x {calibration.scale:,.0f}).",
        "",
        "Fitted rates (each on one figure; the held-out figures were not used):",
        "",
    ]
    for rate, figure in FITS.items():
        lines.append(f"- `{rate}` = {getattr(calibration.rates, rate):.4g}, on `{figure}`")
    lines += [
        "",
        "| figure | use | real | simulated | relative error |",
        "| --- | --- | ---: | ---: | ---: |",
    ]
    for row in calibration_table(calibration):
        error = row["relative_error"]
        shown = "not simulated" if row["simulated"] is None else f"{row['simulated']:,}"
        lines.append(
            f"| {row['wording']} | {row['use']} | {row['real']:,} | {shown} | "
            f"{'-' if error is None else f'{error:+.1%}'} |"
        )
    held = [
        r["relative_error"]
        for r in calibration_table(calibration)
        if r["use"] == "held_out" and r["relative_error"] is not None
    ]
    if held:
        mean = sum(abs(e) for e in held) / len(held)
        lines += [
            "",
            f"Mean absolute relative error on the {len(held)} simulated held-out figures: "
            f"{mean:.1%}.",
        ]
    return "\n".join(lines) + "\n"
