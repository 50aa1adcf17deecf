"""Charts of a run, PNG from matplotlib Figure objects (rendered by Agg, no pyplot): list
sizes, measures by domain and cumulative blocked purchases, each variant side by side."""

from __future__ import annotations

from pathlib import Path

import numpy
import numpy.typing
from matplotlib.figure import Figure

from socialcredit.sim.run import VariantResult

STYLES = ("-", "--", ":", "-.")  # one line style per variant, one colour per series
MAIN_LISTS = (
    "dishonest-judgment-debtors",
    "consumption-restricted-debtors",
    "publicised-administrative-penalties",
)


def _days(result: VariantResult) -> numpy.typing.NDArray[numpy.datetime64]:
    return numpy.array([str(r["day"]) for r in result.rows], dtype="datetime64[D]")


def _series(result: VariantResult, column: str) -> list[int]:
    return [int(r.get(column, 0)) for r in result.rows]  # type: ignore[call-overload]


def _cumulative(values: list[int]) -> list[int]:
    total, out = 0, []
    for value in values:
        total += value
        out.append(total)
    return out


def write_charts(out: Path, results: list[VariantResult]) -> list[Path]:
    """Write the three charts into ``out``; return their paths."""
    return [_list_sizes(out, results), _domains(out, results), _blocked(out, results)]


def _list_sizes(out: Path, results: list[VariantResult]) -> Path:
    figure = Figure(figsize=(9, 4.5))
    axis = figure.subplots()
    for index, result in enumerate(results):
        style = STYLES[index % len(STYLES)]
        for colour, list_id in enumerate(MAIN_LISTS):
            if f"listed:{list_id}" in result.columns:
                label = f"{list_id} ({result.variant.name})"
                values = _series(result, f"listed:{list_id}")
                axis.plot(_days(result), values, f"C{colour}{style}", label=label)
    axis.set_title("Subjects on each list (entries in force)")
    axis.set_ylabel("entries")
    axis.legend(fontsize=7)
    return _save(figure, out / "list_sizes.png")


def _domains(out: Path, results: list[VariantResult]) -> Path:
    figure = Figure(figsize=(9, 4.5))
    axis = figure.subplots()
    domains = [c.removeprefix("measures:") for c in results[0].columns if c.startswith("measures:")]
    width = 0.8 / max(len(results), 1)
    for index, result in enumerate(results):
        peaks = [max(_series(result, f"measures:{d}"), default=0) for d in domains]
        positions = [i + index * width for i in range(len(domains))]
        axis.bar(positions, peaks, width=width, label=result.variant.name)
    axis.set_xticks([i + 0.4 - width / 2 for i in range(len(domains))], domains, rotation=30)
    axis.set_title("Measures in force by domain (peak over the run)")
    axis.legend(fontsize=8)
    return _save(figure, out / "measures_by_domain.png")


def _blocked(out: Path, results: list[VariantResult]) -> Path:
    figure = Figure(figsize=(9, 4.5))
    axis = figure.subplots()
    for index, result in enumerate(results):
        style = STYLES[index % len(STYLES)]
        for colour, (column, name) in enumerate(
            (("flights_blocked", "flights"), ("rail_blocked", "G-trains"))
        ):
            values = _cumulative(_series(result, column))
            label = f"{name} blocked ({result.variant.name})"
            axis.plot(_days(result), values, f"C{colour}{style}", label=label)
    axis.set_title("Ticket purchases blocked by the engine's decision (cumulative)")
    axis.legend(fontsize=8)
    return _save(figure, out / "blocked_purchases.png")


def _save(figure: Figure, path: Path) -> Path:
    figure.tight_layout()
    figure.savefig(path, dpi=110)  # Figure without pyplot renders with Agg
    return path
