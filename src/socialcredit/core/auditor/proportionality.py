"""Proportionality: a measure's severity times its duration, against the gravity of the
conduct that triggers it (AI Act Art. 5(1)(c)(ii); "punishment commensurate with the wrong",
Guobanfa 2020 No. 49). The scales are the user's (``Scales``); the report names the worst.

ratio = severity(effect, domain) x years / gravity(conduct)

Years: the measure's own ``lasts`` if shorter, else the longest planned listing period the
engine gives over the list's boundary cases; an open-ended listing counts as
``open_ended_years``; a measure on a rating grade counts ``rating_grade_years``. Gravity: the
gravest category that can trigger it (the benefit of the doubt goes to the rule).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from socialcredit.core.auditor.findings import HIGH, LOW, MEDIUM, Finding
from socialcredit.core.auditor.periods import DAYS_PER_YEAR, Periods
from socialcredit.core.auditor.scales import Scales
from socialcredit.core.auditor.scope import MeasureItem, pack_measures, trigger_conduct
from socialcredit.core.durations import parse_duration
from socialcredit.core.pack.model import Pack, Rulebook
from socialcredit.core.rules.functions import add_interval


def proportionality(
    book: Rulebook,
    pack: Pack,
    day: dt.date,
    scales: Scales,
    periods: dict[str, Periods],
) -> tuple[list[dict[str, Any]], list[Finding]]:
    """One row per rights-affecting measure, worst ratio first; findings for the worst."""
    rows: list[dict[str, Any]] = []
    for item in pack_measures(book, pack, day):
        severity = scales.severity(item.measure.effect, item.measure.domain)
        if severity == 0:
            continue
        years, how = _years(item, day, scales, periods)
        category, gravity = _gravest(book, item, day, scales)
        ratio = severity * years / gravity
        rows.append(
            {
                "measure": item.key,
                "effect": item.measure.effect,
                "domain": item.measure.domain,
                "trigger": item.trigger_name,
                "severity": severity,
                "years": round(years, 2),
                "years_from": how,
                "conduct": category,
                "gravity": gravity,
                "ratio": round(ratio, 2),
            }
        )
    rows.sort(key=lambda r: (-r["ratio"], r["measure"]))
    alarm = float(scales.data["proportionality_alarm"])
    worst_per_memo: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        worst_per_memo.setdefault(row["measure"].split("/")[0], []).append(row)
    findings = [_finding(pack, memo_rows, alarm) for memo_rows in worst_per_memo.values()]
    return rows, [f for f in findings if f.severity > LOW]


def _finding(pack: Pack, rows: list[dict[str, Any]], alarm: float) -> Finding:
    """One finding per memorandum, on its worst measure (rows come worst first)."""
    row = rows[0]
    severity = HIGH if row["ratio"] >= alarm else MEDIUM if row["ratio"] >= alarm / 2 else LOW
    others = f" ({len(rows) - 1} more measure(s) of the memorandum follow)" if len(rows) > 1 else ""
    return Finding(
        pack.id,
        "proportionality",
        severity,
        row["measure"],
        f"'{row['measure']}' ({row['effect']}, {row['domain']}) scores {row['ratio']:g}: "
        f"severity {row['severity']:g} x {row['years']:g} years ({row['years_from']}) / "
        f"gravity {row['gravity']:g} of {row['conduct']}{others}.",
        score=row["ratio"],
    )


def _years(
    item: MeasureItem, day: dt.date, scales: Scales, periods: dict[str, Periods]
) -> tuple[float, str]:
    trigger = item.memo.spec.trigger
    if trigger.list_id is None:
        years, how = scales.rating_grade_years, "while the grade holds"
    else:
        found = periods.get(trigger.list_id)
        if found is None or found.open_ended or found.longest_years is None:
            years, how = scales.open_ended_years, "open-ended listing"
        else:
            years, how = found.longest_years, "longest listing period"
    if item.measure.lasts:
        lasts = (add_interval(day, parse_duration(item.measure.lasts)) - day).days / DAYS_PER_YEAR
        if lasts < years:
            return lasts, f"lasts {item.measure.lasts}"
    return years, how


def _gravest(book: Rulebook, item: MeasureItem, day: dt.date, scales: Scales) -> tuple[str, float]:
    conduct = trigger_conduct(book, item.memo, day)
    graded = [(scales.gravity(category, domain), category) for category, domain in conduct]
    gravity, category = max(graded) if graded else (scales.gravity("", ""), "unknown conduct")
    return category, gravity
