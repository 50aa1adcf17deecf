"""The building blocks of a rating's queries: the tables added in order, the names a
rating's expression stands for, and the records that match a rule on a day."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import sqlglot
from sqlglot import exp

from socialcredit.batch.expressions import Scope, compile_sql, holds_sql, literal
from socialcredit.batch.plan import READ, parameter_kinds, view_name
from socialcredit.core.durations import parse_duration
from socialcredit.core.pack.model import Expression, PerRecord, RatingRule, Rulebook
from socialcredit.core.rules.functions import add_interval


class RatingSteps:
    """The tables of one rating's query (``ctes``), built in order."""

    def __init__(self, book: Rulebook, rule: RatingRule, as_of: dt.date) -> None:
        self.book, self.rule, self.as_of = book, rule, as_of
        self.ctes: list[tuple[str, exp.Expr]] = []

    def add(self, name: str, query: str | exp.Expr) -> None:
        parsed = sqlglot.parse_one(query, read=READ) if isinstance(query, str) else query
        self.ctes.append((name, parsed))

    def query(self, text: str) -> exp.Expr:
        return sqlglot.parse_one(text, read=READ)

    def scope(self, per: PerRecord, day: dt.date, score: bool = False) -> Scope:
        types = {name: t.base for name, t in self.book.categories[per.category][2].items()}
        parameters = self.rule.pack.parameters_on(day)
        return Scope(
            records={per.alias: ("r", types)},
            as_of=day,
            parameter=lambda name: literal(parameters.get(name)),
            parameter_kinds=parameter_kinds(self.rule.pack),
            score=exp.column("score", table="sc") if score else None,
        )

    def points_sql(self, per: PerRecord, points: Expression, day: dt.date) -> exp.Expr:
        value = compile_sql(points.node, self.scope(per, day))
        return exp.cast(value, exp.DataType.Type.DOUBLE, copy=False)

    def matches_on(
        self,
        per: PerRecord,
        window: str | None,
        day: dt.date,
        views: Callable[[str], str],
        score: bool = False,
    ) -> exp.Select:
        """The records of ``per`` in the window before ``day`` whose condition holds, with
        their status as known on ``day`` (the view ``views(category)``)."""
        window = window or self.rule.version.window
        decided = exp.column("decided_on", table="r", quoted=True)
        conditions: list[exp.Expr] = [exp.LTE(this=decided, expression=literal(day))]
        if window:
            start = add_interval(day, -parse_duration(window))
            conditions.append(exp.GT(this=decided, expression=literal(start)))
        conditions.append(holds_sql(per.when.node, self.scope(per, day, score)))
        query = (
            sqlglot.select()
            .from_(f"{views(per.category)} AS r", copy=False)
            .join("subjects AS s", on="s.id = r.subject", copy=False)
        )
        if score:
            query = query.join("scored AS sc", on="sc.subject = r.subject", copy=False)
        return query.where(exp.and_(*conditions, copy=False), copy=False)

    def matches(self, per: PerRecord, window: str | None, score: bool = False) -> exp.Select:
        return self.matches_on(per, window, self.as_of, view_name, score)

    def contributions(self) -> None:
        parts: list[exp.Expr] = []
        for k, (spec, per, points) in enumerate(self.rule.contributions):
            select = self.matches(per, spec.window).select(
                exp.alias_(exp.Literal.number(k), "k", copy=False),
                exp.alias_(exp.Literal.string(spec.id), "cid", copy=False),
                "r.subject AS subject",
                "r.id AS record_id",
                exp.alias_(exp.Literal.string(per.category), "category", copy=False),
                "r.ord AS ord",
                "r.decided_on AS decided_on",
                exp.alias_(self.points_sql(per, points, self.as_of), "points", copy=False),
                copy=False,
            )
            parts.append(
                sqlglot.select("*")
                .from_(select.subquery("p", copy=False), copy=False)
                .where("p.points IS NOT NULL", copy=False)
            )
        if not parts:
            empty = "SELECT 0 AS k, '' AS cid, '' AS subject, '' AS record_id, '' AS category,"
            empty += " 0 AS ord, CAST(NULL AS DATE) AS decided_on, 0.0 AS points WHERE FALSE"
            parts = [sqlglot.parse_one(empty, read=READ)]
        union: exp.Expr = parts[0]
        for part in parts[1:]:
            union = exp.union(union, part, distinct=False, copy=False)
        self.add("contrib", union)

    def _first(self, name: str, per: PerRecord, window: str | None, score: bool) -> None:
        """The first matching record of each subject, as a table ``name``."""
        select = self.matches(per, window, score).select(
            "r.subject AS subject",
            "MIN_BY(r.id, r.ord) AS record_id",
            "MIN_BY(r.decided_on, r.ord) AS decided_on",
            copy=False,
        )
        self.add(name, select.group_by("r.subject", copy=False))
