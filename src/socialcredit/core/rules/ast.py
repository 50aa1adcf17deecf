"""AST of the rule language: frozen dataclasses, one per construct.

Every node has an SQL meaning: Literal is a literal, Ref a column, Unary and Binary the
operators of the same name, IsNull ``IS [NOT] NULL``, In ``[NOT] IN (...)``, Call a
function from ``functions.FUNCTIONS`` and Cond ``CASE WHEN ... THEN ... ELSE ... END``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

Value = int | float | str | bool | dt.date | None

COMPARISONS = ("==", "!=", "<", "<=", ">", ">=")
ARITHMETIC = ("+", "-", "*", "/")
LOGICAL = ("and", "or")


@dataclass(frozen=True, slots=True)
class Literal:
    """A number, a string, true, false, null (written ``null`` or ``never``) or a date."""

    value: Value


@dataclass(frozen=True, slots=True)
class Ref:
    """A dotted name: ``case.decided_on``, ``subject.kind``, ``parameters.x``, ``as_of``."""

    parts: tuple[str, ...]

    @property
    def dotted(self) -> str:
        return ".".join(self.parts)


@dataclass(frozen=True, slots=True)
class Unary:
    """``not x`` or ``-x``."""

    op: str
    operand: Node


@dataclass(frozen=True, slots=True)
class Binary:
    """A comparison, arithmetic or logical operator between two operands."""

    op: str
    left: Node
    right: Node


@dataclass(frozen=True, slots=True)
class IsNull:
    """``x is null`` or ``x is not null``."""

    operand: Node
    negated: bool


@dataclass(frozen=True, slots=True)
class In:
    """``x in [a, b]`` or ``x not in [a, b]``; the options are literals."""

    operand: Node
    options: tuple[Literal, ...]
    negated: bool


@dataclass(frozen=True, slots=True)
class Call:
    """A call of a built-in function, such as ``years(2)`` or ``age(subject.birth_date, d)``."""

    name: str
    args: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Cond:
    """``then when condition else otherwise``: SQL's CASE WHEN."""

    then: Node
    condition: Node
    otherwise: Node


Node = Literal | Ref | Unary | Binary | IsNull | In | Call | Cond


def walk(node: Node) -> list[Node]:
    """Every node of the tree, parents before children."""
    children: tuple[Node, ...] = ()
    if isinstance(node, Unary):
        children = (node.operand,)
    elif isinstance(node, Binary):
        children = (node.left, node.right)
    elif isinstance(node, IsNull):
        children = (node.operand,)
    elif isinstance(node, In):
        children = (node.operand, *node.options)
    elif isinstance(node, Call):
        children = node.args
    elif isinstance(node, Cond):
        children = (node.then, node.condition, node.otherwise)
    return [node, *(n for child in children for n in walk(child))]
