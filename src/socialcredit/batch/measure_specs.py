"""The measures in force on a date as the SQL of ``measures_plan`` sees them: a small VALUES
table ``measure_specs`` (a row per measure in force of a memorandum in force, per target and
per triggering grade), the ``holders`` a measure reaches from a subject, and each measure's
``when`` as one CASE over the measure's number (``mid``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sqlglot
from sqlglot import exp

from socialcredit.batch.after_band import sql_date
from socialcredit.batch.expressions import Scope, holds_sql, literal
from socialcredit.batch.plan import READ, parameter_kinds
from socialcredit.core.durations import parse_duration
from socialcredit.core.engine.measures import measure_in_force
from socialcredit.core.pack.model import MemorandumRule, Pack, Rulebook
from socialcredit.core.pack.schema import Measure

_SPEC_TYPES = {
    "mid": "INT",
    **{c: "VARCHAR" for c in ("memorandum", "measure", "pack", "effect", "applied_by", "domain")},
    **{c: "VARCHAR" for c in ("list_id", "rating_id", "grade", "target")},
    "at_start": "BOOLEAN",
    "lasts_months": "INT",
    "lasts_days": "INT",
}


@dataclass(frozen=True)
class Spec:
    """A measure in force on the date, numbered ``mid`` in ``measure_specs``."""

    mid: int
    memo: MemorandumRule
    measure: Measure

    def rows(self) -> list[tuple[Any, ...]]:
        """A row per target and (for a rating trigger) per grade."""
        memo, measure, trigger = self.memo, self.measure, self.memo.spec.trigger
        lasts = parse_duration(measure.lasts) if measure.lasts else None
        months = 12 * lasts.years + lasts.months if lasts else None
        head: tuple[Any, ...] = (self.mid, memo.memorandum_id, measure.id, memo.pack.id)
        head += (measure.effect, measure.agency, measure.domain, trigger.list_id, trigger.rating)
        tail = (measure.role_held == "at_start", months, lasts.days if lasts else None)
        grades: list[str | None] = [*trigger.grades] or [None]
        return [(*head, g, target, *tail) for target in measure.targets for g in grades]


def measure_specs(book: Rulebook, day: dt.date) -> list[Spec]:
    """The measures in force on the day of the memoranda in force, numbered in book order."""
    specs: list[Spec] = []
    for memo in book.memoranda:
        if not memo.spec.in_force_on(day):
            continue
        for measure in memo.spec.measures:
            if measure_in_force(measure, day):
                specs.append(Spec(len(specs), memo, measure))
    return specs


def spec_table(specs: list[Spec]) -> exp.Select:
    """``measure_specs``: the VALUES of every spec's rows, each column typed."""
    rows = [row for spec in specs for row in spec.rows()]
    values = exp.values(rows, alias="v", columns=list(_SPEC_TYPES))
    columns = [
        exp.alias_(exp.cast(exp.column(name, table="v"), kind), name)
        for name, kind in _SPEC_TYPES.items()
    ]
    return sqlglot.select(*columns).from_(values)


def holders(day: dt.date) -> exp.Expr:
    """Who a measure may reach from a subject (``org_id``): itself, and the holders of its
    roles whose relation began by the date (``started_by``)."""
    text = (
        "SELECT s.id AS org_id, 'subject' AS role, s.id AS person_id,"
        " CAST(NULL AS DATE) AS since, CAST(NULL AS DATE) AS until, TRUE AS own"
        " FROM subjects AS s UNION ALL"
        " SELECT r.org_id, r.role, r.person_id, r.since, r.until, FALSE AS own"
        f" FROM relations AS r WHERE r.since IS NULL OR r.since <= {sql_date(day)}"
    )
    return sqlglot.parse_one(text, read=READ)


def when(
    query: exp.Select,
    specs: list[Spec],
    records: dict[str, tuple[str, dict[str, str]]],
    day: dt.date,
    known: set[str],
) -> exp.Select:
    """``query`` keeping only the rows whose measure's ``when`` holds (if any has one)."""
    case = exp.Case()
    for spec in specs:
        condition = spec.memo.conditions.get(spec.measure.id)
        if condition is None:
            continue
        scope = Scope(
            records=records,
            as_of=day,
            parameter=_parameters(spec.memo.pack, day),
            parameter_kinds=parameter_kinds(spec.memo.pack),
        )
        held = _missing_as_null(holds_sql(condition.node, scope), known)
        measure = exp.EQ(this=exp.column("mid", table="m"), expression=literal(spec.mid))
        case = case.when(measure, held)
    if not case.args.get("ifs"):
        return query
    return query.where(case.else_(exp.true()))


def _parameters(pack: Pack, day: dt.date) -> Callable[[str], exp.Expr]:
    """Each parameter of the pack at its value on the day, a literal."""
    values = pack.parameters_on(day)
    return lambda name: literal(values.get(name))


def _missing_as_null(condition: exp.Expr, known: set[str]) -> exp.Expr:
    """A trigger field the record's category lacks (a list whose versions list records of
    different categories) is null, as in the record's view."""

    def null_if_missing(node: exp.Expr) -> exp.Expr:
        missing = isinstance(node, exp.Column) and node.table == "r" and node.name not in known
        return exp.null() if missing else node

    return condition.transform(null_if_missing)
