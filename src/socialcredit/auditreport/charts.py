"""Charts of an audit as SVG text (matplotlib, Agg backend), to inline in HTML or write out."""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Callable
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib.figure import Figure

from socialcredit.core.auditor import Audit
from socialcredit.core.pack.schema import Level

plt.rcParams.update({"svg.fonttype": "none", "svg.hashsalt": "socialcredit-audit", "font.size": 9})
COLOURS = [
    "#1b4965",
    "#5fa8d3",
    "#62b6cb",
    "#bee9e8",
    "#cae9ff",
    "#f4a261",
    "#e76f51",
    "#9d4edd",
    "#adb5bd",
    "#6c757d",
]


def chart_svgs(audit: Audit) -> dict[str, str]:
    """Every chart of the audit, by name, as standalone SVG text."""
    makers: dict[str, Callable[[Audit], Figure]] = {
        "legality": legality_chart,
        "proportionality": proportionality_chart,
        "spillover": spillover_chart,
        "amplification": amplification_chart,
        "due_process": due_process_chart,
    }
    return {name: _svg(maker(audit)) for name, maker in makers.items()}


def _svg(figure: Figure) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(figure)
    text = buffer.getvalue()
    return text[text.index("<svg") :]


def _names(audit: Audit) -> list[str]:
    return [p.pack.id for p in audit.packs]


def legality_chart(audit: Audit) -> Figure:
    """Measures in force by the level of their legal basis, one bar per pack."""
    levels = [level.value for level in Level]
    counts = [p.metrics["legality"]["by_level"]["measures"]["levels"] for p in audit.packs]
    figure, axes = plt.subplots(figsize=(7.5, 0.45 * len(counts) + 1.4))
    names = _names(audit)
    left = [0.0] * len(names)
    for index, level in enumerate(levels):
        values = [float(c.get(level, 0)) for c in counts]
        if any(values):
            axes.barh(
                names,
                values,
                left=left,
                label=level.replace("_", " "),
                color=COLOURS[index % len(COLOURS)],
            )
            left = [a + b for a, b in zip(left, values, strict=True)]
    axes.invert_yaxis()
    axes.set_xlabel("measures in force, by the level of their legal basis")
    if any(left):  # no legend to draw when no pack has a measure in force
        axes.legend(loc="lower right", fontsize=7, frameon=False)
    axes.spines[["top", "right"]].set_visible(False)
    return figure


def proportionality_chart(audit: Audit) -> Figure:
    """Every measure's ratio as a dot, one row per pack, the worst labelled; the alarm line."""
    names = _names(audit)
    figure, axes = plt.subplots(figsize=(7.5, 0.45 * len(names) + 1.4))
    for index, pack in enumerate(audit.packs):
        counts = Counter(row["ratio"] for row in pack.metrics["proportionality"])
        ratios = sorted(counts)
        sizes = [14 + 8 * counts[r] for r in ratios]
        axes.scatter(ratios, [index] * len(ratios), s=sizes, alpha=0.7, color=COLOURS[6])
        if ratios:
            worst = ratios[-1]
            label = f"{worst:g} (x{counts[worst]})" if counts[worst] > 1 else f"{worst:g}"
            axes.text(worst + 0.3, index, label, va="center", fontsize=7)
    alarm = float(audit.scales.data["proportionality_alarm"])
    axes.axvline(alarm, color="black", linestyle="--", linewidth=1)
    axes.set_yticks(range(len(names)), names)
    axes.set_ylim(len(names) - 0.5, -0.5)
    axes.set_xlabel("severity x years / gravity; bigger dot = more measures (dashed: the alarm)")
    axes.spines[["top", "right"]].set_visible(False)
    return figure


def spillover_chart(audit: Audit) -> Figure:
    """Share of each pack's measures that act in a domain unrelated to the conduct."""
    shares = [p.metrics["spillover"]["share"] for p in audit.packs]
    values = [100.0 * s if s is not None else 0.0 for s in shares]
    figure, axes = plt.subplots(figsize=(7.5, 0.45 * len(values) + 1.2))
    axes.barh(_names(audit), values, color=COLOURS[5])
    for index, share in enumerate(shares):
        label = "no sanction" if share is None else f"{share:.0%}"
        axes.text(values[index] + 1, index, label, va="center", fontsize=7)
    axes.set_xlim(0, 110)
    axes.invert_yaxis()
    axes.set_xlabel("% of the pack's measures in unrelated domains")
    axes.spines[["top", "right"]].set_visible(False)
    return figure


def amplification_chart(audit: Audit) -> Figure:
    """Measures and agencies set off by one entry, for each list or grade that sets any off."""
    rows: list[tuple[str, Any]] = [
        (f"{p.pack.id}: {a['trigger']}", a)
        for p in audit.packs
        for a in p.metrics["amplification"]
        if a["measures"]
    ]
    figure, axes = plt.subplots(figsize=(7.5, 0.4 * max(len(rows), 1) + 1.4))
    positions = list(range(len(rows)))
    axes.barh(
        [i - 0.2 for i in positions],
        [a["measures"] for _, a in rows],
        height=0.4,
        label="measures",
        color=COLOURS[0],
    )
    axes.barh(
        [i + 0.2 for i in positions],
        [len(a["agencies"]) for _, a in rows],
        height=0.4,
        label="agencies",
        color=COLOURS[1],
    )
    axes.set_yticks(positions, [label for label, _ in rows])
    axes.invert_yaxis()
    axes.set_xlabel("what one entry sets off")
    axes.legend(loc="lower right", fontsize=7, frameon=False)
    axes.spines[["top", "right"]].set_visible(False)
    return figure


def due_process_chart(audit: Audit) -> Figure:
    """A grid: lists and ratings against the due-process paths; dark = provided."""
    paths = list(audit.scales.due_process_paths)
    rows = [
        (f"{p.pack.id}: {d['rule']}", [0 if path in d["missing"] else 1 for path in paths])
        for p in audit.packs
        for d in p.metrics["due_process"]
    ]
    figure, axes = plt.subplots(figsize=(7.5, 0.3 * max(len(rows), 1) + 1.2))
    grid = [values for _, values in rows] or [[0] * len(paths)]
    axes.imshow(grid, cmap="Blues", vmin=-0.3, vmax=1.2, aspect="auto")
    axes.set_xticks(range(len(paths)), paths)
    axes.set_yticks(range(len(rows)), [label for label, _ in rows])
    for y, (_, values) in enumerate(rows):
        for x, value in enumerate(values):
            axes.text(
                x,
                y,
                "yes" if value else "NO",
                ha="center",
                va="center",
                fontsize=7,
                color="white" if value else "#9b2226",
            )
    axes.xaxis.tick_top()
    return figure
