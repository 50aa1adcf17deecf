"""The rating half of the plan: one rating version in force on the date asked about, as SQL.

The engine's order (``core/engine/ratings.py``): base plus contributions plus the points an
``after_band`` rule carries from an earlier band gives the score and its band; the first
direct grade (pack order) with a matching record replaces it, else the first ``after_band``
grade; caps lower a grade better than ``at_best`` in turn, then ``after_band`` ceilings;
contagion (one step, through a person holding one of ``to_roles`` here and one of
``from_roles`` in another organisation, optionally only a role begun on or after the day the
other was graded) comes last. "The first record" is the first in input order (the ``ord``
column), and so is "the first officer". Earlier scores are built by ``after_band``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlglot import exp

from socialcredit.batch.after_band import (
    PastScores,
    RootHit,
    applying,
    band_sql,
    earlier,
    sql_date,
)
from socialcredit.batch.contagion import contagion_steps
from socialcredit.batch.plan import category_table
from socialcredit.batch.rating_steps import RatingSteps
from socialcredit.core.pack.model import PerRecord, RatingRule, Rulebook


@dataclass(frozen=True)
class RatingQueries:
    """``steps``: tables to build in order (each may use the ones before); then ``grades``:
    one row per rated subject with records (subject, score, grade and what decided it), and
    ``contributions``: one row per contribution of those subjects, in order."""

    rule: RatingRule
    steps: list[tuple[str, exp.Expr]]
    grades: exp.Expr
    contributions: exp.Expr
    after_band: list[RootHit] = field(default_factory=list)


def rating_plan(
    book: Rulebook, rule: RatingRule, as_of: dt.date, earliest: dt.date | None = None
) -> RatingQueries:
    """``earliest``: the earliest decision date of the input (cuts ``after_band`` chains)."""
    ctes = _Ctes(book, rule, as_of, earliest)
    ctes.add("labelled", _labelled(book))
    kinds = ", ".join(f"'{k}'" for k in rule.definition.subject_kinds)
    ctes.add(
        "universe",
        "SELECT s.id AS subject, s.id IN (SELECT id FROM labelled) AS labelled FROM subjects AS s"
        f" WHERE s.kind IN ({kinds})"
        " AND (s.id IN (SELECT id FROM labelled) OR s.id IN (SELECT org_id FROM relations))",
    )
    ctes.contributions()
    ctes.scored()
    ctes.graded()
    ctes.ceilings()
    ctes.contagion()
    contributions = (
        "SELECT c.subject, c.cid, c.record_id, c.category, c.points FROM contrib AS c"
        " JOIN final AS f ON f.subject = c.subject ORDER BY c.subject, c.k, c.ord"
    )
    return RatingQueries(
        rule,
        ctes.ctes,
        ctes.query("SELECT * FROM final"),
        ctes.query(contributions),
        ctes.root,
    )


def _labelled(book: Rulebook) -> str:
    """Subjects with at least one record of a known category: those a label run rates."""
    parts = [f"SELECT subject AS id FROM {category_table(c)}" for c in book.categories]
    return " UNION ".join(parts)


class _Ctes(RatingSteps):
    """The common table expressions of one rating's query, built in order."""

    def __init__(
        self, book: Rulebook, rule: RatingRule, as_of: dt.date, earliest: dt.date | None
    ) -> None:
        super().__init__(book, rule, as_of)
        self.past = PastScores(self, earliest)
        self.root: list[RootHit] = []
        self.columns: list[str] = []
        self.step = 0

    def _root_rules(self, effect: str) -> list[RootHit]:
        """The ``after_band`` rules with ``effect`` that may apply on the date asked about."""
        found = []
        for index, spec, number in applying(self.rule, self.as_of, effect):
            on = earlier(self.as_of, spec)
            if self.past.table(on, 1) is not None:
                found.append(RootHit(index, spec, on, number))
        return found

    def scored(self) -> None:
        """The score: base, contributions, and points carried from earlier bands."""
        self.root = [*self._root_rules("points"), *self._root_rules("grade")]
        self.root += self._root_rules("at_best")
        score = [f"CAST({self.rule.version.base!r} AS DOUBLE)", "COALESCE(SUM(c.points), 0)"]
        columns, joins, groups = [], [], []
        for hit in self.root:
            alias, table = f"ab_{hit.index}", self.past.table(hit.on, 1)
            joins.append(f" LEFT JOIN {table} AS {alias} ON {alias}.subject = u.subject")
            for column in ("band", "score", "latest"):
                columns.append(f", {alias}.{column} AS {alias}_{column}")
                groups.append(f", {alias}.{column}")
            if hit.spec.points is not None:
                matched = f"{alias}.band = '{hit.spec.band}'"
                score.append(f"CASE WHEN {matched} THEN {hit.points or 0.0!r} ELSE 0 END")
                columns.append(f", COALESCE({matched}, FALSE) AS {alias}_hit")
        self.add(
            "scored",
            f"SELECT u.subject, u.labelled, {' + '.join(score)} AS score,"
            f" MAX(c.decided_on) AS contrib_latest{''.join(columns)}"
            f" FROM universe AS u LEFT JOIN contrib AS c ON c.subject = u.subject{''.join(joins)}"
            f" GROUP BY u.subject, u.labelled{''.join(groups)}",
        )

    def graded(self) -> None:
        rule, version = self.rule, self.rule.version
        grade = _band(rule)
        held = [h for h in self.root if h.spec.grade is not None]
        for hit in reversed(held):  # the first after_band grade, when no direct grade applies
            matched = f"sc.ab_{hit.index}_band = '{hit.spec.band}'"
            grade = f"CASE WHEN {matched} THEN '{hit.spec.grade}' ELSE {grade} END"
        direct = {"id": "NULL", "record": "NULL", "on": "NULL"}
        joins = []
        for i, (spec, per) in reversed(list(enumerate(rule.direct))):
            self._first(f"direct_{i}", per, spec.window, score=True)
            joins.append(f"direct_{i}")
            found = f"direct_{i}.record_id IS NOT NULL"
            grade = f"CASE WHEN {found} THEN '{spec.grade}' ELSE {grade} END"
            for key, value in (("id", f"'{spec.id}'"), ("record", f"direct_{i}.record_id")):
                direct[key] = f"CASE WHEN {found} THEN {value} ELSE {direct[key]} END"
            direct["on"] = f"CASE WHEN {found} THEN direct_{i}.decided_on ELSE {direct['on']} END"
        self._own(grade, direct, joins, held)
        for i, (cap, cap_per) in enumerate(rule.caps):
            self._first(f"cap_{i}", cap_per, cap.window, score=True)
            better = [b.grade for b in version.bands][: rule.rank(cap.at_best)]
            self._cap(i, cap.id, cap.at_best, better)

    def _own(
        self, grade: str, direct: dict[str, str], joins: list[str], held: list[RootHit]
    ) -> None:
        flags, before = [], "FALSE"
        for hit in held:
            matched = f"COALESCE(sc.ab_{hit.index}_band = '{hit.spec.band}', FALSE)"
            flags.append(
                f", ({direct['id']}) IS NULL AND {matched} AND NOT ({before}) AS ab_{hit.index}_hit"
            )
            before = f"{before} OR {matched}"
        eligible = [
            self._eligible(i, spec.window, per) for i, (spec, per) in enumerate(self.rule.eligible)
        ]
        text = (
            f"SELECT sc.*, {grade} AS grade,"
            f" CAST({direct['id']} AS VARCHAR) AS direct_id,"
            f" CAST({direct['record']} AS VARCHAR) AS direct_record,"
            f" CAST({direct['on']} AS DATE) AS direct_on,"
            " CAST(NULL AS VARCHAR) AS capped_id, CAST(NULL AS VARCHAR) AS capped_record,"
            f" CAST(NULL AS DATE) AS capped_on{''.join(flags)} FROM scored AS sc"
        )
        for name in [*joins, *eligible]:
            text += f" LEFT JOIN {name} ON {name}.subject = sc.subject"
        if eligible:
            text += " WHERE " + " OR ".join(f"{n}.record_id IS NOT NULL" for n in eligible)
        self.add("graded_0", text)
        self.columns = self._names_of_graded_0(held)

    def _names_of_graded_0(self, held: list[RootHit]) -> list[str]:
        names = ["subject", "labelled", "score", "contrib_latest"]
        for hit in self.root:
            names += [f"ab_{hit.index}_{c}" for c in ("band", "score", "latest")]
            if hit.spec.points is not None:
                names.append(f"ab_{hit.index}_hit")
        names += ["grade", "direct_id", "direct_record", "direct_on"]
        names += ["capped_id", "capped_record", "capped_on"]
        return names + [f"ab_{hit.index}_hit" for hit in held]

    def _eligible(self, i: int, window: str | None, per: PerRecord) -> str:
        self._first(f"eligible_{i}", per, window, score=False)
        return f"eligible_{i}"

    def _next(self, changed: dict[str, str], join: str = "") -> None:
        """The next graded table: the previous one's columns, some of them ``changed``."""
        previous = f"graded_{self.step}"
        self.step += 1
        columns = [f"{changed.pop(c, f'p.{c}')} AS {c}" for c in self.columns]
        columns += [f"{value} AS {name}" for name, value in changed.items()]
        self.columns += list(changed)
        self.add(f"graded_{self.step}", f"SELECT {', '.join(columns)} FROM {previous} AS p{join}")

    def _cap(self, i: int, cap_id: str, at_best: str, better: list[str]) -> None:
        grades = ", ".join(f"'{g}'" for g in better)
        hit = f"cap_{i}.record_id"
        applies = f"(p.grade IN ({grades}) AND {hit} IS NOT NULL)" if better else "FALSE"
        self._next(
            {
                "grade": f"CASE WHEN {applies} THEN '{at_best}' ELSE p.grade END",
                "capped_id": f"CASE WHEN {applies} THEN '{cap_id}' ELSE p.capped_id END",
                "capped_record": f"CASE WHEN {applies} THEN {hit} ELSE p.capped_record END",
                "capped_on": f"CASE WHEN {applies} THEN cap_{i}.decided_on ELSE p.capped_on END",
            },
            f" LEFT JOIN cap_{i} ON cap_{i}.subject = p.subject",
        )

    def ceilings(self) -> None:
        """``after_band`` ceilings in order, then the day the grade was given (the direct
        grade's record, else the latest record behind the score, else the date asked)."""
        for hit in self.root:
            if hit.spec.at_best is None:
                continue
            bands = [b.grade for b in self.rule.version.bands]
            better = ", ".join(f"'{g}'" for g in bands[: self.rule.rank(hit.spec.at_best)])
            matched = f"p.ab_{hit.index}_band = '{hit.spec.band}'"
            applies = f"COALESCE(p.grade IN ({better}) AND {matched}, FALSE)" if better else "FALSE"
            grade = f"CASE WHEN {applies} THEN '{hit.spec.at_best}' ELSE p.grade END"
            self._next({"grade": grade, f"ab_{hit.index}_hit": applies})
        latest = ["p.contrib_latest", "p.capped_on"] + [
            f"CASE WHEN p.ab_{h.index}_hit THEN p.ab_{h.index}_latest END" for h in self.root
        ]
        since = f"COALESCE(GREATEST({', '.join(latest)}), {sql_date(self.as_of)})"
        direct = "p.direct_record IS NOT NULL"
        self._next({"graded_on": f"CASE WHEN {direct} THEN p.direct_on ELSE {since} END"})

    def contagion(self) -> None:
        for name, query in contagion_steps(self.rule, self.as_of, f"graded_{self.step}", self.root):
            self.add(name, query)


def _band(rule: RatingRule) -> str:
    return band_sql(rule, "sc.score")
