"""One rule expression compiled to a sqlglot expression tree, with the reference evaluator's
meaning (SQL's): null propagates, ``and``/``or`` are three-valued, ``x / 0`` is null,
``greatest``/``least`` skip nulls, a date plus months keeps the day or falls back to the
month's last day, and ``years(n)`` truncates ``n`` toward zero as ``int()`` does.

>>> from socialcredit.core.rules.parser import parse
>>> scope = Scope({"c": ("r", {"amount": "money"})}, as_of=dt.date(2020, 1, 1))
>>> compile_sql(parse("c.amount / 0"), scope).sql("duckdb")
'("r"."amount") / NULLIF((0), 0)'
>>> compile_sql(parse("c.decided_on + years(2)"), scope).sql("spark")
'CAST(ADD_MONTHS((`r`.`decided_on`), CAST(2 AS BIGINT) * 12) AS DATE)'
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlglot import exp

from socialcredit.core.facts import BUILTIN_RECORD_FIELDS
from socialcredit.core.rules import ast
from socialcredit.core.rules.functions import COALESCE, EXTREMES
from socialcredit.core.rules.printer import to_source

_KIND_OF_TYPE = {
    "date": "date",
    "int": "int",
    "money": "number",
    "decimal": "number",
    "bool": "bool",
}
_SUBJECT_KINDS = {"birth_date": "date"}
_UNITS = {"years": "YEAR", "months": "MONTH", "days": "DAY"}
_COMPARE: dict[str, type[exp.Expr]] = {
    "==": exp.EQ,
    "!=": exp.NEQ,
    "<": exp.LT,
    "<=": exp.LTE,
    ">": exp.GT,
    ">=": exp.GTE,
}


class UnsupportedExpression(ValueError):
    """An expression the SQL compiler cannot give the reference evaluator's meaning."""


@dataclass(frozen=True)
class Scope:
    """What the names of an expression stand for in SQL.

    ``records`` maps an alias to (table alias, field -> field base type); ``subject`` is the
    table alias of the subject's columns; ``parameter`` gives a parameter's SQL value;
    ``score`` the score column of a rating."""

    records: dict[str, tuple[str, dict[str, str]]]
    as_of: dt.date
    subject: str = "s"
    parameter: Callable[[str], exp.Expr] | None = None
    parameter_kinds: dict[str, str] = field(default_factory=dict)
    score: exp.Expr | None = None


def holds_sql(node: ast.Node, scope: Scope) -> exp.Expr:
    """The SQL condition that ``node`` holds: it is true (not false, not null)."""
    return exp.Is(this=exp.Paren(this=compile_sql(node, scope)), expression=exp.true())


def compile_sql(node: ast.Node, scope: Scope) -> exp.Expr:
    """``node`` as a sqlglot expression; raise UnsupportedExpression where SQL cannot agree."""
    return _Compiler(scope).compile(node)


def literal(value: Any) -> exp.Expr:
    """A Python value of the rule language as an SQL literal."""
    if value is None:
        return exp.null()
    if isinstance(value, bool):
        return exp.true() if value else exp.false()
    if isinstance(value, int | float):
        number = exp.Literal.number(repr(value) if isinstance(value, float) else value)
        return exp.Paren(this=number) if value < 0 else number
    if isinstance(value, dt.date):
        return exp.cast(exp.Literal.string(value.isoformat()), exp.DataType.Type.DATE, copy=False)
    return exp.Literal.string(str(value))


def _paren(expression: exp.Expr) -> exp.Expr:
    return exp.Paren(this=expression)


class _Compiler:
    def __init__(self, scope: Scope) -> None:
        self.scope = scope

    def compile(self, node: ast.Node) -> exp.Expr:
        if isinstance(node, ast.Literal):
            return literal(node.value)
        if isinstance(node, ast.Ref):
            return self._ref(node)
        if isinstance(node, ast.Unary):
            inner = _paren(self.compile(node.operand))
            return exp.Not(this=inner) if node.op == "not" else exp.Neg(this=inner)
        if isinstance(node, ast.Binary):
            return self._binary(node)
        if isinstance(node, ast.IsNull):
            test = exp.Is(this=_paren(self.compile(node.operand)), expression=exp.null())
            return exp.Not(this=test) if node.negated else test
        if isinstance(node, ast.In):
            options = [literal(o.value) for o in node.options]
            member = exp.In(this=_paren(self.compile(node.operand)), expressions=options)
            return exp.Not(this=_paren(member)) if node.negated else member
        if isinstance(node, ast.Call):
            return self._call(node)
        return (
            exp.Case()
            .when(self.compile(node.condition), self.compile(node.then), copy=False)
            .else_(self.compile(node.otherwise), copy=False)
        )

    def _ref(self, node: ast.Ref) -> exp.Expr:
        scope = self.scope
        if node.parts == ("as_of",):
            return literal(scope.as_of)
        if node.parts == ("score",) and scope.score is not None:
            return scope.score
        if len(node.parts) == 2:
            head, name = node.parts
            if head in scope.records:
                return exp.column(name, table=scope.records[head][0], quoted=True)
            if head == "subject":
                return exp.column(name, table=scope.subject, quoted=True)
            if head == "parameters" and scope.parameter is not None:
                return scope.parameter(name)
        raise UnsupportedExpression(f"no SQL meaning for the name {node.dotted!r}")

    def _binary(self, node: ast.Binary) -> exp.Expr:
        op = node.op
        kinds = (self.kind(node.left), self.kind(node.right))
        if op in ("+", "-") and "interval" in kinds:
            return self._date_shift(node, kinds)
        left, right = _paren(self.compile(node.left)), _paren(self.compile(node.right))
        if op == "-" and kinds == ("date", "date"):
            return exp.DateDiff(this=left, expression=right, unit=exp.Var(this="DAY"))
        if op == "and":
            return exp.And(this=left, expression=right)
        if op == "or":
            return exp.Or(this=left, expression=right)
        if op == "/":
            zero = exp.Literal.number(0)
            return exp.Div(this=left, expression=exp.Nullif(this=right, expression=zero))
        operators: dict[str, type[exp.Expr]] = {
            "+": exp.Add,
            "-": exp.Sub,
            "*": exp.Mul,
            **_COMPARE,
        }
        return operators[op](this=left, expression=right)

    def _date_shift(self, node: ast.Binary, kinds: tuple[str, str]) -> exp.Expr:
        if kinds == ("date", "interval"):
            day, (unit, count) = node.left, self._interval(node.right)
            if node.op == "-":
                count = exp.Neg(this=_paren(count))
        elif kinds == ("interval", "date") and node.op == "+":
            day, (unit, count) = node.right, self._interval(node.left)
        else:
            raise UnsupportedExpression(f"{to_source(node)}: an interval goes with a date")
        shifted = exp.DateAdd(this=_paren(self.compile(day)), expression=count, unit=unit)
        return exp.cast(shifted, exp.DataType.Type.DATE, copy=False)

    def _interval(self, node: ast.Node) -> tuple[exp.Var, exp.Expr]:
        if isinstance(node, ast.Unary) and node.op == "-":
            unit, count = self._interval(node.operand)
            return unit, exp.Neg(this=_paren(count))
        if isinstance(node, ast.Call) and node.name in _UNITS:
            (argument,) = node.args
            count = self.compile(argument)
            if self.kind(argument) != "int":  # int(n): toward zero, on every engine
                floor = exp.Floor(this=exp.Abs(this=count))
                count = exp.Mul(this=exp.Sign(this=count), expression=floor)
            # Spark's date_add takes an INT count of days (a BIGINT is an analysis error)
            whole = exp.DataType.Type.INT if node.name == "days" else exp.DataType.Type.BIGINT
            return exp.Var(this=_UNITS[node.name]), exp.cast(count, whole, copy=False)
        raise UnsupportedExpression(f"{to_source(node)}: only years(), months(), days() shift")

    def _call(self, node: ast.Call) -> exp.Expr:
        args = [self.compile(a) for a in node.args]
        if node.name == COALESCE:
            return exp.Coalesce(this=args[0], expressions=args[1:])
        if node.name in EXTREMES:
            extreme = exp.Greatest if node.name == "greatest" else exp.Least
            return extreme(this=args[0], expressions=args[1:], ignore_nulls=True)
        if node.name == "days_between":
            start, end = (_paren(a) for a in args)
            return exp.DateDiff(this=end, expression=start, unit=exp.Var(this="DAY"))
        if node.name == "age":
            return _age(*(_paren(a) for a in args))
        raise UnsupportedExpression(f"{to_source(node)}: an interval goes with a date")

    def kind(self, node: ast.Node) -> str:
        """The static kind of a value: date, interval, int, number, bool, text or any."""
        if isinstance(node, ast.Literal):
            return _literal_kind(node.value)
        if isinstance(node, ast.Ref):
            return self._ref_kind(node)
        if isinstance(node, ast.Call):
            if node.name in _UNITS:
                return "interval"
            if node.name in ("age", "days_between"):
                return "int"
            return _first_known(self.kind(a) for a in node.args)
        if isinstance(node, ast.Unary):
            return "bool" if node.op == "not" else self.kind(node.operand)
        if isinstance(node, ast.Binary):
            return self._binary_kind(node)
        if isinstance(node, ast.Cond):
            return _first_known(self.kind(n) for n in (node.then, node.otherwise))
        return "bool"

    def _binary_kind(self, node: ast.Binary) -> str:
        if node.op not in ("+", "-", "*", "/"):
            return "bool"
        kinds = (self.kind(node.left), self.kind(node.right))
        if "interval" in kinds:
            return "date"
        if kinds == ("date", "date"):
            return "int"
        return "int" if kinds == ("int", "int") and node.op != "/" else "number"

    def _ref_kind(self, node: ast.Ref) -> str:
        scope = self.scope
        if node.parts == ("as_of",):
            return "date"
        if node.parts == ("score",):
            return "number"
        head, name = node.parts if len(node.parts) == 2 else ("", "")
        if head in scope.records:
            types = scope.records[head][1]
            if name in types:
                return _KIND_OF_TYPE.get(types[name], "text")
            return "date" if name.endswith("_on") and name in BUILTIN_RECORD_FIELDS else "text"
        if head == "subject":
            return _SUBJECT_KINDS.get(name, "text")
        return scope.parameter_kinds.get(name, "any")


def _literal_kind(value: Any) -> str:
    if value is None:
        return "any"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "number"
    return "date" if isinstance(value, dt.date) else "text"


def _first_known(kinds: Any) -> str:
    return next((k for k in kinds if k != "any"), "any")


def _age(birth: exp.Expr, on: exp.Expr) -> exp.Expr:
    """Full years from ``birth`` to ``on``: a year less before the birthday."""

    def month_day(day: exp.Expr) -> exp.Expr:
        hundreds = exp.Mul(this=exp.Month(this=day), expression=exp.Literal.number(100))
        return exp.Add(this=hundreds, expression=exp.Day(this=day))

    years = exp.Sub(this=exp.Year(this=on), expression=exp.Year(this=birth))
    before = exp.LT(this=month_day(on), expression=month_day(birth))
    one = (
        exp.Case()
        .when(before, exp.Literal.number(1), copy=False)
        .else_(exp.Literal.number(0), copy=False)
    )
    return _paren(exp.Sub(this=years, expression=one))
