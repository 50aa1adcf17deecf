"""The rating half of the plan: one rating version in force on the date asked about, as SQL.

The engine's order (``core/engine/ratings.py``): base plus contributions gives the score and
its band; the first direct grade (pack order) with a matching record replaces it; caps lower
a grade better than ``at_best`` in turn; contagion (one step, through a person holding one of
the roles in both organisations) comes last. "The first record" is the first in input order
(the ``ord`` column), and so is "the first officer".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlglot
from sqlglot import exp

from socialcredit.batch.expressions import Scope, compile_sql, holds_sql, literal
from socialcredit.batch.plan import READ, category_table, parameter_kinds, view_name
from socialcredit.core.durations import parse_duration
from socialcredit.core.pack.model import PerRecord, RatingRule, Rulebook
from socialcredit.core.rules.functions import add_interval


@dataclass(frozen=True)
class RatingQueries:
    """``steps``: tables to build in order (each may use the ones before); then ``grades``:
    one row per rated subject with records (subject, score, grade and what decided it), and
    ``contributions``: one row per contribution of those subjects, in order."""

    rule: RatingRule
    steps: list[tuple[str, exp.Expr]]
    grades: exp.Expr
    contributions: exp.Expr


def rating_plan(book: Rulebook, rule: RatingRule, as_of: dt.date) -> RatingQueries:
    ctes = _Ctes(book, rule, as_of)
    ctes.add("labelled", _labelled(book))
    kinds = ", ".join(f"'{k}'" for k in rule.definition.subject_kinds)
    ctes.add(
        "universe",
        "SELECT s.id AS subject, s.id IN (SELECT id FROM labelled) AS labelled FROM subjects AS s"
        f" WHERE s.kind IN ({kinds})"
        " AND (s.id IN (SELECT id FROM labelled) OR s.id IN (SELECT org_id FROM relations))",
    )
    ctes.contributions()
    ctes.add(
        "scored",
        f"SELECT u.subject, u.labelled, CAST({rule.version.base} AS DOUBLE)"
        " + COALESCE(SUM(c.points), 0) AS score"
        " FROM universe AS u LEFT JOIN contrib AS c ON c.subject = u.subject"
        " GROUP BY u.subject, u.labelled",
    )
    ctes.graded()
    ctes.contagion()
    contributions = (
        "SELECT c.subject, c.cid, c.record_id, c.category, c.points FROM contrib AS c"
        " JOIN final AS f ON f.subject = c.subject ORDER BY c.subject, c.k, c.ord"
    )
    return RatingQueries(
        rule, ctes.ctes, ctes.query("SELECT * FROM final"), ctes.query(contributions)
    )


def _labelled(book: Rulebook) -> str:
    """Subjects with at least one record of a known category: those a label run rates."""
    parts = [f"SELECT subject AS id FROM {category_table(c)}" for c in book.categories]
    return " UNION ".join(parts)


class _Ctes:
    """The common table expressions of one rating's query, built in order."""

    def __init__(self, book: Rulebook, rule: RatingRule, as_of: dt.date) -> None:
        self.book, self.rule, self.as_of = book, rule, as_of
        self.ctes: list[tuple[str, exp.Expr]] = []
        self.parameters = rule.pack.parameters_on(as_of)

    def add(self, name: str, query: str | exp.Expr) -> None:
        parsed = sqlglot.parse_one(query, read=READ) if isinstance(query, str) else query
        self.ctes.append((name, parsed))

    def query(self, text: str) -> exp.Expr:
        return sqlglot.parse_one(text, read=READ)

    def scope(self, per: PerRecord, score: bool = False) -> Scope:
        types = {name: t.base for name, t in self.book.categories[per.category][2].items()}
        return Scope(
            records={per.alias: ("r", types)},
            as_of=self.as_of,
            parameter=lambda name: literal(self.parameters.get(name)),
            parameter_kinds=parameter_kinds(self.rule.pack),
            score=exp.column("score", table="sc") if score else None,
        )

    def matches(self, per: PerRecord, window: str | None, score: bool = False) -> exp.Select:
        """The records of ``per`` in the window whose condition holds."""
        window = window or self.rule.version.window
        decided = exp.column("decided_on", table="r", quoted=True)
        conditions: list[exp.Expr] = [exp.LTE(this=decided, expression=literal(self.as_of))]
        if window:
            earliest = add_interval(self.as_of, -parse_duration(window))
            conditions.append(exp.GT(this=decided, expression=literal(earliest)))
        conditions.append(holds_sql(per.when.node, self.scope(per, score)))
        query = (
            sqlglot.select()
            .from_(f"{view_name(per.category)} AS r", copy=False)
            .join("subjects AS s", on="s.id = r.subject", copy=False)
        )
        if score:
            query = query.join("scored AS sc", on="sc.subject = r.subject", copy=False)
        return query.where(exp.and_(*conditions, copy=False), copy=False)

    def contributions(self) -> None:
        parts: list[exp.Expr] = []
        for k, (spec, per, points) in enumerate(self.rule.contributions):
            value = exp.cast(
                compile_sql(points.node, self.scope(per)), exp.DataType.Type.DOUBLE, copy=False
            )
            select = self.matches(per, spec.window).select(
                exp.alias_(exp.Literal.number(k), "k", copy=False),
                exp.alias_(exp.Literal.string(spec.id), "cid", copy=False),
                "r.subject AS subject",
                "r.id AS record_id",
                exp.alias_(exp.Literal.string(per.category), "category", copy=False),
                "r.ord AS ord",
                exp.alias_(value, "points", copy=False),
                copy=False,
            )
            parts.append(
                sqlglot.select("*")
                .from_(select.subquery("p", copy=False), copy=False)
                .where("p.points IS NOT NULL", copy=False)
            )
        if not parts:
            empty = "SELECT 0 AS k, '' AS cid, '' AS subject, '' AS record_id, '' AS category,"
            parts = [sqlglot.parse_one(f"{empty} 0 AS ord, 0.0 AS points WHERE FALSE", read=READ)]
        union: exp.Expr = parts[0]
        for part in parts[1:]:
            union = exp.union(union, part, distinct=False, copy=False)
        self.add("contrib", union)

    def _first(self, name: str, per: PerRecord, window: str | None, score: bool) -> None:
        """The first matching record of each subject, as a table ``name``."""
        select = self.matches(per, window, score).select(
            "r.subject AS subject", "MIN_BY(r.id, r.ord) AS record_id", copy=False
        )
        self.add(name, select.group_by("r.subject", copy=False))

    def graded(self) -> None:
        rule, version = self.rule, self.rule.version
        joins, band = [], exp.Case()
        for b in version.bands:
            above = (
                exp.true()
                if b.min is None
                else exp.GTE(this=exp.column("score", table="sc"), expression=literal(float(b.min)))
            )
            band = band.when(above, literal(b.grade), copy=False)
        grade = band.else_(literal(version.bands[-1].grade), copy=False)
        direct_id: exp.Expr = exp.null()
        direct_record: exp.Expr = exp.null()
        for i, (spec, per) in reversed(list(enumerate(rule.direct))):
            self._first(f"direct_{i}", per, spec.window, score=True)
            joins.append(f"direct_{i}")
            hit = exp.column("record_id", table=f"direct_{i}")
            found = exp.Not(this=exp.Is(this=hit, expression=exp.null()))
            grade = exp.Case().when(found, literal(spec.grade), copy=False).else_(grade, copy=False)
            direct_id = (
                exp.Case().when(found, literal(spec.id), copy=False).else_(direct_id, copy=False)
            )
            direct_record = (
                exp.Case().when(found, hit.copy(), copy=False).else_(direct_record, copy=False)
            )
        self._own(grade, direct_id, direct_record, joins)
        for i, (cap, cap_per) in enumerate(rule.caps):
            self._first(f"cap_{i}", cap_per, cap.window, score=True)
            bands = [b.grade for b in version.bands]
            better = [literal(g) for g in bands[: rule.rank(cap.at_best)]]
            self._cap(i, cap.id, cap.at_best, better)

    def _own(
        self,
        grade: exp.Expr,
        direct_id: exp.Expr,
        record: exp.Expr,
        joins: list[str],
    ) -> None:
        select = sqlglot.select(
            "sc.subject",
            "sc.labelled",
            "sc.score",
            exp.alias_(grade, "grade", copy=False),
            exp.alias_(
                exp.cast(direct_id, exp.DataType.Type.VARCHAR, copy=False), "direct_id", copy=False
            ),
            exp.alias_(
                exp.cast(record, exp.DataType.Type.VARCHAR, copy=False), "direct_record", copy=False
            ),
            "CAST(NULL AS VARCHAR) AS capped_id",
            "CAST(NULL AS VARCHAR) AS capped_record",
        ).from_("scored AS sc", copy=False)
        for name in joins:
            select = select.join(
                f"{name}", on=f"{name}.subject = sc.subject", join_type="left", copy=False
            )
        eligible = [
            self._eligible(i, spec.window, per) for i, (spec, per) in enumerate(self.rule.eligible)
        ]
        for name in eligible:
            select = select.join(
                f"{name}", on=f"{name}.subject = sc.subject", join_type="left", copy=False
            )
        if eligible:
            select = select.where(
                " OR ".join(f"{n}.record_id IS NOT NULL" for n in eligible), copy=False
            )
        self.add("graded_0", select)
        self.step = 0

    def _eligible(self, i: int, window: str | None, per: PerRecord) -> str:
        self._first(f"eligible_{i}", per, window, score=False)
        return f"eligible_{i}"

    def _cap(self, i: int, cap_id: str, at_best: str, better: list[exp.Expr]) -> None:
        previous, hit = f"graded_{self.step}", f"cap_{i}.record_id"
        grades = ", ".join(b.sql(READ) for b in better)
        applies = f"({previous}.grade IN ({grades}) AND {hit} IS NOT NULL)" if better else "FALSE"
        self.step += 1
        self.add(
            f"graded_{self.step}",
            f"SELECT {previous}.subject, {previous}.labelled, {previous}.score,"
            f" CASE WHEN {applies} THEN '{at_best}' ELSE {previous}.grade END AS grade,"
            f" {previous}.direct_id, {previous}.direct_record,"
            f" CASE WHEN {applies} THEN '{cap_id}' ELSE {previous}.capped_id END AS capped_id,"
            f" CASE WHEN {applies} THEN {hit} ELSE {previous}.capped_record END AS capped_record"
            f" FROM {previous} LEFT JOIN cap_{i} ON cap_{i}.subject = {previous}.subject",
        )

    def contagion(self) -> None:
        own, rules = f"graded_{self.step}", self.rule.version.contagion
        on = literal(self.as_of).sql(READ)
        grade, source, org, person = "CASE", "CASE", "CASE", "CASE"
        for i, c in enumerate(rules):
            roles = ", ".join(f"'{r}'" for r in c.roles)
            from_grades = ", ".join(f"'{g}'" for g in c.from_grades)
            held = (
                "({0}.since IS NULL OR {0}.since <= {1}) AND ({0}.until IS NULL OR {1} < {0}.until)"
            )
            self.add(
                f"source_{i}",
                "SELECT subject, org, person FROM (SELECT o.org_id AS subject, x.org_id AS org,"
                " o.person_id AS person, ROW_NUMBER() OVER (PARTITION BY o.org_id"
                " ORDER BY o.org_ord, x.person_ord) AS n FROM relations AS o"
                " JOIN relations AS x ON x.person_id = o.person_id"
                f" JOIN {own} AS g ON g.subject = x.org_id"
                f" WHERE o.role IN ({roles}) AND x.role IN ({roles}) AND x.org_id <> o.org_id"
                f" AND {held.format('o', on)} AND {held.format('x', on)}"
                f" AND g.grade IN ({from_grades})) AS ranked WHERE n = 1",
            )
            same, found = f"m.grade = '{c.grade}'", f"source_{i}.org IS NOT NULL"
            grade += f" WHEN {same} THEN m.grade WHEN {found} THEN '{c.grade}'"
            source += f" WHEN {same} THEN NULL WHEN {found} THEN '{c.id}'"
            org += f" WHEN {same} THEN NULL WHEN {found} THEN source_{i}.org"
            person += f" WHEN {same} THEN NULL WHEN {found} THEN source_{i}.person"
        joins = "".join(
            f" LEFT JOIN source_{i} ON source_{i}.subject = m.subject" for i in range(len(rules))
        )
        columns = (
            f"{grade} ELSE m.grade END AS grade, {source} ELSE NULL END AS contagion_id,"
            f" {org} ELSE NULL END AS contagion_org, {person} ELSE NULL END AS contagion_person"
            if rules
            else "m.grade, NULL AS contagion_id, NULL AS contagion_org, NULL AS contagion_person"
        )
        self.add(
            "final",
            f"SELECT m.subject, m.score, {columns}, m.direct_id, m.direct_record,"
            f" m.capped_id, m.capped_record FROM {own} AS m{joins} WHERE m.labelled",
        )
