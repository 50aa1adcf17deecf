"""Printer of the rule language: AST back to text that parses to the same AST.

>>> from socialcredit.core.rules.parser import parse
>>> to_source(parse("not (a.x == 1 or a.y in ['p', 'q'])"))
"not (a.x == 1 or a.y in ['p', 'q'])"
"""

from __future__ import annotations

import datetime as dt

from socialcredit.core.rules.ast import (
    COMPARISONS,
    Binary,
    Call,
    Cond,
    In,
    IsNull,
    Literal,
    Node,
    Ref,
    Unary,
)

# Binding strength, loosest first; the parser's grammar in numbers.
_COND, _OR, _AND, _NOT, _COMPARE, _ADD, _MULTIPLY, _NEGATE, _ATOM = range(9)
_BINARY = {"or": _OR, "and": _AND, "+": _ADD, "-": _ADD, "*": _MULTIPLY, "/": _MULTIPLY}
_BINARY.update(dict.fromkeys(COMPARISONS, _COMPARE))


def to_source(node: Node) -> str:
    """Print an expression with as few parentheses as its precedence allows."""
    return _print(node)


def _strength(node: Node) -> int:
    if isinstance(node, Cond):
        return _COND
    if isinstance(node, Binary):
        return _BINARY[node.op]
    if isinstance(node, Unary):
        return _NOT if node.op == "not" else _NEGATE
    if isinstance(node, IsNull | In):
        return _COMPARE
    if isinstance(node, Literal) and _is_negative_number(node.value):
        return _NEGATE
    return _ATOM


def _wrapped(node: Node, minimum: int) -> str:
    """Print ``node``, in parentheses unless it binds at least as tightly as ``minimum``."""
    text = _print(node)
    return text if _strength(node) >= minimum else f"({text})"


def _print(node: Node) -> str:
    if isinstance(node, Literal):
        return _literal(node.value)
    if isinstance(node, Ref):
        return node.dotted
    if isinstance(node, Unary):
        if node.op == "not":
            return f"not {_wrapped(node.operand, _NOT)}"
        if isinstance(node.operand, Literal) and type(node.operand.value) in (int, float):
            return f"-({_print(node.operand)})"  # "-3" would read back as the number -3
        return f"-{_wrapped(node.operand, _ATOM)}"
    if isinstance(node, Binary):
        return _binary(node)
    if isinstance(node, IsNull):
        return f"{_wrapped(node.operand, _ADD)} is {'not ' if node.negated else ''}null"
    if isinstance(node, In):
        options = ", ".join(_literal(o.value) for o in node.options)
        return f"{_wrapped(node.operand, _ADD)} {'not ' if node.negated else ''}in [{options}]"
    if isinstance(node, Call):
        return f"{node.name}({', '.join(_print(a) for a in node.args)})"
    then = _wrapped(node.then, _OR)
    return f"{then} when {_wrapped(node.condition, _OR)} else {_print(node.otherwise)}"


def _binary(node: Binary) -> str:
    strength = _BINARY[node.op]
    # Left-associative: the right operand of equal strength needs parentheses;
    # comparisons do not chain, so both sides must bind tighter.
    left_minimum = strength + 1 if strength == _COMPARE else strength
    return f"{_wrapped(node.left, left_minimum)} {node.op} {_wrapped(node.right, strength + 1)}"


def _is_negative_number(value: object) -> bool:
    return type(value) in (int, float) and value < 0  # type: ignore[operator]


def _literal(value: object) -> str:
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, dt.date):
        return f"date('{value.isoformat()}')"
    if isinstance(value, str):
        escaped = value.replace("\\", "\\\\").replace("'", "\\'")
        return f"'{escaped}'"
    return repr(value)
