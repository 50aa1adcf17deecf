"""Charts as inline SVG, drawn on the server with matplotlib (no script, no network)."""

from __future__ import annotations

import io
import re
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")
from matplotlib.figure import Figure

matplotlib.rcParams["svg.fonttype"] = "none"  # text stays text: smaller, selectable
matplotlib.rcParams["svg.hashsalt"] = "socialcredit"  # the same chart gives the same SVG
COLOURS = ("#0b4fa8", "#a3001b", "#0f6b2d", "#7a4b00", "#5b2a86", "#00616e", "#4a4a4a", "#b3541e")


def _svg(figure: Figure, title: str) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight")
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r"<metadata>.*?</metadata>", "", svg, flags=re.S)
    label = title.replace('"', "'")
    return svg.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1)


def lines(title: str, labels: Sequence[str], series: dict[str, Sequence[int]]) -> str:
    """One line per series over the labels (dates)."""
    figure = Figure(figsize=(8.5, 4.2))
    axes = figure.add_subplot()
    for number, (name, values) in enumerate(series.items()):
        colour = COLOURS[number % len(COLOURS)]
        axes.plot(list(labels), list(values), marker="o", markersize=3, label=name, color=colour)
    axes.set_title(title)
    axes.set_ylabel("entries in force")
    axes.tick_params(axis="x", labelrotation=45)
    axes.grid(alpha=0.3)
    axes.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
    return _svg(figure, title)


def bars(title: str, counts: dict[str, int], xlabel: str) -> str:
    """Horizontal bars, the largest on top."""
    ordered = sorted(counts.items(), key=lambda kv: kv[1])
    figure = Figure(figsize=(8.5, 0.3 * len(ordered) + 1.2))
    axes = figure.add_subplot()
    axes.barh([k for k, _ in ordered], [v for _, v in ordered], color=COLOURS[0])
    axes.set_title(title)
    axes.set_xlabel(xlabel)
    axes.grid(axis="x", alpha=0.3)
    return _svg(figure, title)


def paired_bars(
    title: str,
    labels: Sequence[str],
    first: Sequence[int],
    second: Sequence[int],
    names: tuple[str, str],
) -> str:
    """Two bars per label (inflow and outflow)."""
    figure = Figure(figsize=(8.5, 4))
    axes = figure.add_subplot()
    positions = range(len(labels))
    axes.bar([p - 0.2 for p in positions], list(first), 0.4, label=names[0], color=COLOURS[1])
    axes.bar([p + 0.2 for p in positions], list(second), 0.4, label=names[1], color=COLOURS[2])
    axes.set_xticks(list(positions), list(labels), rotation=45)
    axes.set_title(title)
    axes.set_ylabel("entries")
    axes.grid(axis="y", alpha=0.3)
    axes.legend(frameon=False)
    return _svg(figure, title)
