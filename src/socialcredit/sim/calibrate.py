"""Calibration: fit four rates on some published figures, then compare the model with the
figures it did not see (held out), scaled per capita.

The fit is a fixed-point iteration of one-dimensional scalings, in two stages (the conduct,
then the ticket purchases): each fitted rate is multiplied by real / simulated for its own
figure (the quantities are about proportional to their rate), for a few short runs that end
on the last fitted figure's date.
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
# rate -> the figure it is fitted on, in two stages: the conduct first, then the ticket
# purchases, which depend on who is listed but do not change it.
STAGES = (
    {"case_intensity": "list-end-2017", "performed_share": "complied-2013-10-to-2018-05"},
    {"flight_attempt_rate": "flights-end-2017", "rail_attempt_rate": "rail-end-2017"},
)
FITS = {rate: figure for stage in STAGES for rate, figure in stage.items()}
BOUNDS = {"performed_share": (0.01, 0.9)}
ITERATIONS = 5
TOLERANCE = 0.01  # stop early when every fitted figure is within 1%
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
    trail: list[dict[str, float | int]]
    comparisons: list[Comparison]
    scale: float


def fit_rates(
    config: SimConfig, figures: Figures, progress: Progress | None = None
) -> tuple[Rates, list[dict[str, float | int]]]:
    """The rates after fitting each stage of FITS in turn, on the fitted figures only.

    A stage scales its rates for at most ITERATIONS rounds, each a run from
    CALIBRATION_START to the last fitted figure's date, and stops when its figures are within
    TOLERANCE; the rates of its last run are kept. The trail keeps each round's rates and the
    simulated/real ratio of every fitted figure."""
    fitted = {f.id: f for f in figures.fitted()}
    last = max(d for stage in STAGES for f in stage.values() if (d := fitted[f].last))
    rates, trail = config.rates, []
    scale = figures.population / config.persons
    previous: tuple[Rates, VariantResult] | None = None
    for stage_no, stage in enumerate(STAGES, start=1):
        for round_no in range(1, ITERATIONS + 1):
            if previous is None or previous[0] != rates:  # a new stage starts where it was
                label = f"fit stage {stage_no}, round {round_no}"
                run = _run(dataclasses.replace(config, rates=rates, end=last), label, progress)
                previous = (rates, run)
            result = previous[1]
            ratios = {
                rate: (simulated(fitted[figure_id], result, scale) or 0.0) / fitted[figure_id].value
                for stage_rates in STAGES
                for rate, figure_id in stage_rates.items()
            }
            trail.append(
                {"stage": stage_no, "round": round_no, **rates.as_dict(), **_prefixed(ratios)}
            )
            own = {rate: ratios[rate] for rate in stage}
            if round_no == ITERATIONS or all(abs(r - 1) < TOLERANCE for r in own.values()):
                break  # keep the rates of the last run, so that the next one repeats it
            rates = rates.with_values({rate: _scaled(rates, rate, r) for rate, r in own.items()})
    return rates, trail


def _prefixed(ratios: dict[str, float]) -> dict[str, float]:
    return {f"ratio:{FITS[rate]}": round(ratio, 4) for rate, ratio in ratios.items()}


def _scaled(rates: Rates, rate: str, ratio: float) -> float:
    """The rate divided by its figure's simulated/real ratio, within its bounds."""
    current = float(getattr(rates, rate))
    new = current / ratio if ratio > 0 else current * 2
    low, high = BOUNDS.get(rate, (0.0, float("inf")))
    return min(high, max(low, new))


def calibrate(config: SimConfig, figures: Figures, progress: Progress | None = None) -> Calibration:
    """Fit on the fitted figures, then one full run compared with every figure."""
    base = dataclasses.replace(
        config,
        start=CALIBRATION_START,
        end=CALIBRATION_END,
        registered_until=CALIBRATION_END,
        variants=(),
        warm_up_days=0,
    )
    rates, trail = fit_rates(base, figures, progress)
    result = _run(dataclasses.replace(base, rates=rates), "final run", progress)
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


def _real(value: float) -> str:
    return f"{value:,.0f}" if value >= 1 else f"{value:.2%}"


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
            f"| {row['wording']} | {row['use']} | {_real(row['real'])} | {shown} | "
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
