"""``after_band`` in the plan: the score a rating gives on earlier dates, as tables.

The reference engine (``core/engine/ratings.py``) looks back from the date asked about:
``years_before`` years earlier (stepwise, as ``add_interval`` counts: 29 February less one
year is 28 February, and less one more year stays on the 28th), the score on that day counts
if the subject has a scored record decided on or before it and was eligible then; a
``points`` rule carries points from that day's band, so the score on an earlier day may
itself depend on a day before it (a chain, at most ``MAX_YEARS_BACK`` steps). Here each day of
the chain is one table, ``past_<depth>_<yyyymmdd>``: (subject, score, band, latest), where
``latest`` is the latest decision date of the records behind the score (what
``graded_since`` reads). The chain is cut where no record is that old (``earliest``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from typing import Any, Protocol

from sqlglot import exp

from socialcredit.batch.expressions import literal
from socialcredit.batch.plan import READ, as_of_view, category_table, view_name
from socialcredit.core.engine.ratings import MAX_YEARS_BACK
from socialcredit.core.pack.model import Expression, PerRecord, RatingRule
from socialcredit.core.pack.schema import AfterBand
from socialcredit.core.rules.evaluate import holds
from socialcredit.core.rules.functions import Interval, add_interval


class Steps(Protocol):
    """What this module needs of the rating's query builder."""

    rule: RatingRule

    def add(self, name: str, query: str | exp.Expr) -> None: ...

    def points_sql(self, per: PerRecord, points: Expression, day: dt.date) -> exp.Expr: ...

    def matches_on(
        self, per: PerRecord, window: str | None, day: dt.date, views: Callable[[str], str]
    ) -> exp.Select: ...


@dataclasses.dataclass(frozen=True)
class RootHit:
    """An ``after_band`` rule that may apply on the date asked about: its index (the row's
    ``ab_<index>_hit`` and ``ab_<index>_score`` columns), the earlier day and its points."""

    index: int
    spec: AfterBand
    on: dt.date
    points: float | None


def sql_date(day: dt.date) -> str:
    return literal(day).sql(READ)


def band_sql(rule: RatingRule, score: str) -> str:
    """The band of a score column, as the engine's ``_band``."""
    cases, otherwise = [], rule.version.bands[-1].grade
    for band in rule.version.bands:
        if band.min is None:
            otherwise = band.grade
            break
        cases.append(f"WHEN {score} >= {float(band.min)!r} THEN '{band.grade}'")
    return f"CASE {' '.join(cases)} ELSE '{otherwise}' END" if cases else f"'{otherwise}'"


def applying(rule: RatingRule, day: dt.date, effect: str) -> list[tuple[int, AfterBand, Any]]:
    """The ``after_band`` rules with ``effect`` whose ``when`` holds on ``day`` (it reads only
    the parameters and ``as_of``, so it is decided here), with their points on that day."""
    env = {"parameters": rule.pack.parameters_on(day), "as_of": day}
    found = []
    for index, (spec, when, points) in enumerate(rule.after_band):
        if getattr(spec, effect) is None or not holds(when.evaluate(env)):
            continue
        value = points.evaluate(env) if points is not None else None
        number = float(value) if isinstance(value, int | float) else None
        found.append((index, spec, number))
    return found


def earlier(day: dt.date, spec: AfterBand) -> dt.date:
    return add_interval(day, Interval(years=-spec.years_before))


class PastScores:
    """The tables of earlier scores of one rating, built on demand (one per day and depth)."""

    def __init__(self, steps: Steps, earliest: dt.date | None) -> None:
        self.steps, self.rule, self.earliest = steps, steps.rule, earliest
        self.tables: dict[tuple[dt.date, int], str | None] = {}
        self.views: set[str] = set()

    def table(self, day: dt.date, depth: int) -> str | None:
        """The table of scores on ``day`` (None: no subject can have one)."""
        if depth > MAX_YEARS_BACK or self.earliest is None or day < self.earliest:
            return None
        key = (day, depth)
        if key not in self.tables:
            self.tables[key] = self._build(day, depth)
        return self.tables[key]

    def _view(self, category: str, day: dt.date) -> str:
        name = f"{view_name(category)}__{day:%Y%m%d}"
        if name not in self.views:
            self.views.add(name)
            self.steps.add(name, as_of_view(category, day))
        return name

    def _build(self, day: dt.date, depth: int) -> str:
        rule = self.rule
        sources = self._rated(day)
        points, latest = ["CAST(0 AS DOUBLE)"], []
        if rule.contributions:
            sources.append(f"LEFT JOIN ({self._contributions(day)}) AS c ON c.subject = h.subject")
            points, latest = ["COALESCE(c.points, 0)"], ["c.latest"]
        for index, spec, number in applying(rule, day, "points"):
            child = self.table(earlier(day, spec), depth + 1)
            if child is None:
                continue
            alias, hit = f"ab_{index}", f"ab_{index}.band = '{spec.band}'"
            sources.append(f"LEFT JOIN {child} AS {alias} ON {alias}.subject = h.subject")
            points.append(f"CASE WHEN {hit} THEN {number or 0.0!r} ELSE 0 END")
            latest.append(f"CASE WHEN {hit} THEN {alias}.latest END")
        score = " + ".join([f"CAST({rule.version.base!r} AS DOUBLE)", *points])
        name = f"past_{depth}_{day:%Y%m%d}"
        self.steps.add(
            name,
            f"SELECT subject, score, {band_sql(rule, 'score')} AS band, latest FROM"
            f" (SELECT h.subject, {score} AS score, {_greatest(latest)} AS latest"
            f" FROM {' '.join(sources)}) AS x",
        )
        return name

    def _rated(self, day: dt.date) -> list[str]:
        """The subjects with a scored record decided on or before ``day`` (``h``) that were
        eligible on ``day``."""
        rule, on = self.rule, sql_date(day)
        scored = sorted({per.category for _, per, _ in rule.contributions})
        has = " UNION ".join(
            f"SELECT subject FROM {category_table(c)} WHERE decided_on <= {on}" for c in scored
        )
        sources = [f"({has or _NOBODY}) AS h"]
        if rule.eligible:
            eligible = " UNION ".join(
                self.steps.matches_on(per, eligibility.window, day, self._views(day))
                .select("r.subject AS subject", copy=False)
                .sql(READ)
                for eligibility, per in rule.eligible
            )
            sources.append(f"JOIN ({eligible}) AS el ON el.subject = h.subject")
        return sources

    def _contributions(self, day: dt.date) -> str:
        """Each subject's points on ``day`` and the latest record behind them."""
        parts = []
        for contribution, per, expression in self.rule.contributions:
            value = self.steps.points_sql(per, expression, day)
            select = self.steps.matches_on(per, contribution.window, day, self._views(day))
            select = select.select(
                "r.subject AS subject",
                "r.decided_on AS decided_on",
                exp.alias_(value, "points", copy=False),
                copy=False,
            )
            parts.append(select.sql(READ))
        return (
            "SELECT subject, SUM(points) AS points, MAX(decided_on) AS latest"
            f" FROM ({' UNION ALL '.join(parts)}) AS p WHERE points IS NOT NULL GROUP BY subject"
        )

    def _views(self, day: dt.date) -> Callable[[str], str]:
        return lambda category: self._view(category, day)


_NOBODY = "SELECT '' AS subject WHERE FALSE"


def _greatest(columns: list[str]) -> str:
    if not columns:
        return "CAST(NULL AS DATE)"
    if len(columns) == 1:
        return columns[0]
    return f"GREATEST({', '.join(columns)})"
