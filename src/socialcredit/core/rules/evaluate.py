"""The reference evaluator: an AST compiled to nested Python closures.

Semantics are SQL's: null propagates through operators and functions, ``and``/``or`` follow
three-valued (Kleene) logic, ``x when c else y`` takes ``y`` when ``c`` is false or null, and
a condition holds only when it is true. The SQL compiler of the batch engine must agree.

>>> f = compile_expr(parse("c.amount > 100 or c.ground == 'evades'"))
>>> f({"c": {"amount": None, "ground": "evades"}}), f({"c": {"amount": None, "ground": "x"}})
(True, None)
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Callable, Mapping
from typing import Any

from socialcredit.core.errors import RuleEvaluationError
from socialcredit.core.rules.ast import Binary, Call, Cond, In, IsNull, Literal, Node, Ref, Unary
from socialcredit.core.rules.functions import COALESCE, EXTREMES, FUNCTIONS, Interval, add_interval
from socialcredit.core.rules.parser import parse  # noqa: F401  (doctest)
from socialcredit.core.rules.printer import to_source

Env = Mapping[str, Any]
Compiled = Callable[[Env], Any]

_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


def compile_expr(node: Node) -> Compiled:
    """A function of an environment (alias -> mapping of fields) that evaluates ``node``."""
    inner = _compile(node)

    def evaluate(env: Env) -> Any:
        try:
            return inner(env)
        except (TypeError, KeyError, ZeroDivisionError, OverflowError, ValueError) as error:
            raise RuleEvaluationError(f"cannot evaluate {to_source(node)}: {error}") from error

    return evaluate


def holds(value: Any) -> bool:
    """A condition holds only when it is true (not false, not null)."""
    return value is True


def _compile(node: Node) -> Compiled:
    if isinstance(node, Literal):
        value = node.value
        return lambda env: value
    if isinstance(node, Ref):
        return _reference(node.parts)
    if isinstance(node, Unary):
        return _unary(node)
    if isinstance(node, Binary):
        return _binary(node)
    if isinstance(node, IsNull):
        operand, negated = _compile(node.operand), node.negated
        return lambda env: (operand(env) is None) != negated
    if isinstance(node, In):
        return _membership(node)
    if isinstance(node, Call):
        return _call(node)
    return _conditional(node)


def _reference(parts: tuple[str, ...]) -> Compiled:
    if len(parts) == 1:
        (name,) = parts
        return lambda env: env[name]
    alias, field = parts
    return lambda env: env[alias].get(field)


def _unary(node: Unary) -> Compiled:
    operand = _compile(node.operand)
    if node.op == "not":
        return lambda env: None if (v := operand(env)) is None else not v
    return lambda env: None if (v := operand(env)) is None else -v


def _binary(node: Binary) -> Compiled:
    left, right = _compile(node.left), _compile(node.right)
    if node.op == "and":
        return lambda env: _and(left(env), lambda: right(env))
    if node.op == "or":
        return lambda env: _or(left(env), lambda: right(env))
    apply = _COMPARE.get(node.op) or _ARITHMETIC[node.op]

    def binary(env: Env) -> Any:
        a = left(env)
        if a is None:
            return None
        b = right(env)
        return None if b is None else apply(a, b)

    return binary


def _and(a: Any, b: Callable[[], Any]) -> bool | None:
    if a is False:
        return False
    second = b()
    if second is False:
        return False
    return None if a is None or second is None else True


def _or(a: Any, b: Callable[[], Any]) -> bool | None:
    if a is True:
        return True
    second = b()
    if second is True:
        return True
    return None if a is None or second is None else False


def _plus(a: Any, b: Any) -> Any:
    if isinstance(a, dt.date) and isinstance(b, Interval):
        return add_interval(a, b)
    if isinstance(a, Interval) and isinstance(b, dt.date):
        return add_interval(b, a)
    return a + b


def _minus(a: Any, b: Any) -> Any:
    if isinstance(a, dt.date) and isinstance(b, Interval):
        return add_interval(a, -b)
    if isinstance(a, dt.date) and isinstance(b, dt.date):
        return (a - b).days
    return a - b


def _divide(a: Any, b: Any) -> Any:
    return None if b == 0 else a / b  # SQL engines differ on x / 0; we answer null


_ARITHMETIC: dict[str, Callable[[Any, Any], Any]] = {
    "+": _plus,
    "-": _minus,
    "*": operator.mul,
    "/": _divide,
}


def _membership(node: In) -> Compiled:
    operand = _compile(node.operand)
    options = [o.value for o in node.options]
    has_null = None in options
    negated = node.negated

    def member(env: Env) -> bool | None:
        value = operand(env)
        if value is None:
            return None
        if value in options:
            return not negated
        return None if has_null else negated

    return member


def _call(node: Call) -> Compiled:
    args = [_compile(a) for a in node.args]
    if node.name == COALESCE:
        return lambda env: next((v for a in args if (v := a(env)) is not None), None)
    if node.name in EXTREMES:
        pick = max if node.name == "greatest" else min

        def extreme(env: Env) -> Any:
            values = [v for a in args if (v := a(env)) is not None]
            return pick(values) if values else None

        return extreme
    implementation = FUNCTIONS[node.name].implementation

    def call(env: Env) -> Any:
        values = [a(env) for a in args]
        return None if None in values else implementation(*values)

    return call


def _conditional(node: Cond) -> Compiled:
    then, condition, otherwise = (_compile(n) for n in (node.then, node.condition, node.otherwise))
    return lambda env: then(env) if condition(env) is True else otherwise(env)
