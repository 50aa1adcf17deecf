"""The list half of the plan: the as-of view of each category's records and the query of each
list version, as sqlglot trees over the input tables (see ``inputs``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import sqlglot
from sqlglot import exp

from socialcredit.batch.expressions import Scope, compile_sql, holds_sql, literal
from socialcredit.batch.reasons import reason_sql
from socialcredit.core.facts import STATUSES
from socialcredit.core.pack.model import ListRule, Pack, Rulebook

READ = "duckdb"  # the dialect the plan's fixed fragments are written in


def category_table(category: str) -> str:
    """The input table of a category's records: ``court.case`` -> ``rec_court__case``."""
    return "rec_" + category.replace(".", "__")


def view_name(category: str) -> str:
    return "asof_" + category.replace(".", "__")


STATUS_TABLE = "asof_status"  # the plan's statuses as of its date, shared by every category


def status_view(as_of: dt.date) -> exp.Expr:
    """Each record's status as known on ``as_of`` and the first day of each status: one row
    per record with a status change by then (the records of every category)."""
    on = literal(as_of).sql(READ)
    dated = ", ".join(
        f'MIN_BY(h."date", h.seq) FILTER (WHERE h.status = \'{s}\') AS "{s}_on"'
        for s in STATUSES[1:]
    )
    text = (
        f"SELECT h.record_id, ARG_MAX(h.status, h.seq) AS status, {dated} "
        f'FROM record_status AS h WHERE h."date" <= {on} GROUP BY h.record_id'
    )
    return sqlglot.parse_one(text, read=READ)


def as_of_view(category: str, as_of: dt.date, statuses: str | None = None) -> exp.Expr:
    """The records of a category with their status as known on ``as_of``, read from the
    table ``statuses`` (a ``status_view`` of that date) or computed here (None)."""
    history = statuses or f"({status_view(as_of).sql(READ)})"
    columns = ", ".join(f'h."{s}_on"' for s in STATUSES[1:])
    text = (
        f"SELECT r.*, COALESCE(h.status, 'active') AS status, {columns} "
        f"FROM {category_table(category)} AS r LEFT JOIN {history} AS h ON h.record_id = r.id"
    )
    return sqlglot.parse_one(text, read=READ)


def record_scope(
    book: Rulebook, pack: Pack, alias: str, category: str, as_of: dt.date, on: exp.Expr
) -> Scope:
    """Names of a per-record expression: the record as ``r``, its subject as ``s``, and each
    parameter at its value in force on the date ``on`` (an SQL expression)."""
    types = {name: t.base for name, t in book.categories[category][2].items()}
    return Scope(
        records={alias: ("r", types)},
        as_of=as_of,
        parameter=parameter_sql(pack, lambda: on),
        parameter_kinds=parameter_kinds(pack),
    )


def parameter_sql(pack: Pack, on: Callable[[], exp.Expr]) -> Callable[[str], exp.Expr]:
    """A parameter's value in force on a date: the latest value dated on or before it."""

    def value(name: str) -> exp.Expr:
        dated = sorted(pack.spec.parameters[name].values.items(), reverse=True)
        case = exp.Case()
        for day, v in dated:
            case = case.when(exp.GTE(this=on(), expression=literal(day)), literal(v), copy=False)
        return exp.Paren(this=case.else_(exp.null(), copy=False))

    return value


def parameter_kinds(pack: Pack) -> dict[str, str]:
    kinds = {}
    for name, parameter in pack.spec.parameters.items():
        values: list[Any] = list(parameter.values.values())
        if all(isinstance(v, int) and not isinstance(v, bool) for v in values):
            kinds[name] = "int"
        elif all(isinstance(v, int | float) and not isinstance(v, bool) for v in values):
            kinds[name] = "number"
    return kinds


def list_query(rule: ListRule, index: int, as_of: dt.date, book: Rulebook) -> exp.Expr:
    """The entries of one list version: one row per record it lists, with the entry's dates."""
    decided = exp.column("decided_on", table="r", quoted=True)
    scope = record_scope(book, rule.pack, rule.alias, rule.category, as_of, decided)
    removals = [compile_sql(e.node, scope) for _, e in rule.removals]
    starts = compile_sql(rule.starts.node, scope)
    ends = compile_sql(rule.ends.node, scope) if rule.ends is not None else exp.null()
    conditions = _listed(rule, scope, decided, as_of)
    started = exp.Not(this=exp.Is(this=exp.Paren(this=starts.copy()), expression=exp.null()))
    conditions.append(started)
    inner = (
        sqlglot.select(
            exp.alias_(exp.Literal.string(rule.list_id), "list_id", copy=False),
            exp.alias_(exp.Literal.number(index), "version", copy=False),
            exp.alias_(exp.Literal.string(rule.pack.id), "pack_id", copy=False),
            exp.alias_(literal(rule.version.in_force), "rule_version", copy=False),
            exp.alias_(exp.Literal.string(rule.category), "category", copy=False),
            "r.agency AS agency",
            "r.subject AS subject",
            "r.id AS record_id",
            exp.alias_(exp.cast(starts, exp.DataType.Type.DATE, copy=False), "starts", copy=False),
            exp.alias_(
                exp.cast(ends, exp.DataType.Type.DATE, copy=False), "planned_end", copy=False
            ),
            exp.alias_(reason_sql(rule, book), "reason", copy=False),
            *(
                exp.alias_(
                    exp.cast(d, exp.DataType.Type.DATE, copy=False), f"removal_{i}", copy=False
                )
                for i, d in enumerate(removals)
            ),
        )
        .from_(f"{view_name(rule.category)} AS r", copy=False)
        .join("subjects AS s", on="s.id = r.subject", copy=False)
        .where(exp.and_(*conditions, copy=False), copy=False)
    )
    return _removal(inner, [r.id for r, _ in rule.removals])


def _listed(rule: ListRule, scope: Scope, decided: exp.Expr, as_of: dt.date) -> list[exp.Expr]:
    """The record falls under the version, its subject's kind is listed, ``include`` holds
    and no exemption does."""
    version = rule.version
    kinds = [exp.Literal.string(k) for k in rule.definition.subject_kinds]
    conditions: list[exp.Expr] = [
        exp.GTE(this=decided.copy(), expression=literal(version.in_force)),
        exp.LTE(this=decided.copy(), expression=literal(as_of)),
        exp.In(this=exp.column("kind", table="s", quoted=True), expressions=kinds),
        holds_sql(rule.include.node, scope),
        *(exp.Not(this=holds_sql(e.node, scope)) for _, e in rule.exemptions),
    ]
    if version.until is not None:
        conditions.append(exp.LT(this=decided.copy(), expression=literal(version.until)))
    return conditions


def _removal(inner: exp.Select, ids: list[str]) -> exp.Expr:
    """The earliest removal and the trigger that made it (the first listed, on a tie)."""
    dates = [exp.column(f"removal_{i}", table="e") for i in range(len(ids))]
    removed_on: exp.Expr
    removed_by: exp.Expr
    if dates:
        first = (
            exp.Least(this=dates[0], expressions=dates[1:], ignore_nulls=True)
            if len(dates) > 1
            else dates[0]
        )
        by = exp.Case()
        for column, removal_id in zip(dates, ids, strict=True):
            equal = exp.EQ(this=column.copy(), expression=first.copy())
            by = by.when(equal, literal(removal_id), copy=False)
        removed_on, removed_by = first, by.else_(exp.null(), copy=False)
    else:
        removed_on, removed_by = (
            exp.cast(exp.null(), exp.DataType.Type.DATE, copy=False),
            exp.null(),
        )
    return sqlglot.select(
        "e.list_id",
        "e.version",
        "e.pack_id",
        "e.rule_version",
        "e.category",
        "e.agency",
        "e.subject",
        "e.record_id",
        "e.starts",
        "e.planned_end",
        "e.reason",
        exp.alias_(removed_on, "removed_on", copy=False),
        exp.alias_(
            exp.cast(removed_by, exp.DataType.Type.VARCHAR, copy=False), "removed_by", copy=False
        ),
    ).from_(inner.subquery("e", copy=False), copy=False)
