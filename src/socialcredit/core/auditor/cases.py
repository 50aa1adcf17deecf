"""Boundary cases: the records a condition can tell apart, enumerated for the real engine.

For each field that a rule's expressions read, the candidate values are: every choice of an
enum, true and false, each number a comparison names together with its neighbours (n - 1,
n, n + 1) and 0, the decision date for a date, and null for an optional field. Fields that
no expression reads keep one plain value. The cases are the product of the candidates,
sampled with a fixed seed when there are more than ``limit``.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from socialcredit.core.catalog import FieldType
from socialcredit.core.facts import Record, Subject
from socialcredit.core.pack.model import Expression, Rulebook
from socialcredit.core.rules import ast

PERSON = "11010519491231002X"  # GB 11643-1999's own example: an adult
ORGANISATION = "91350100M000100Y43"  # GB 32100-2015's own example
CASE_LIMIT = 4000


@dataclass(frozen=True)
class Cases:
    """The enumerated field values of one category, and whether they were sampled."""

    category: str
    rows: list[tuple[str, dict[str, Any]]]  # (agency, fields)
    total: int

    @property
    def sampled(self) -> bool:
        return self.total > len(self.rows)


def subjects_for(kinds: Iterable[str]) -> list[Subject]:
    """A witness subject of each kind a list or rating applies to."""
    codes = {"person": PERSON, "organisation": ORGANISATION}
    return [Subject.from_code(codes[kind], f"witness {kind}") for kind in kinds]


def read_fields(expressions: Iterable[Expression], alias: str) -> dict[str, set[float]]:
    """The fields of ``alias`` the expressions read, with the numbers they compare them to."""
    found: dict[str, set[float]] = {}
    for expression in expressions:
        for node in ast.walk(expression.node):
            if isinstance(node, ast.Ref) and len(node.parts) == 2 and node.parts[0] == alias:
                found.setdefault(node.parts[1], set())
            if isinstance(node, ast.Binary) and node.op in ast.COMPARISONS:
                _note_number(found, node.left, node.right, alias)
                _note_number(found, node.right, node.left, alias)
    return found


def _note_number(found: dict[str, set[float]], ref: ast.Node, other: ast.Node, alias: str) -> None:
    if not (isinstance(ref, ast.Ref) and len(ref.parts) == 2 and ref.parts[0] == alias):
        return
    value = other.value if isinstance(other, ast.Literal) else None
    if isinstance(value, int | float) and not isinstance(value, bool):
        found.setdefault(ref.parts[1], set()).update({value - 1, value, value + 1})


def enumerate_cases(
    book: Rulebook,
    category: str,
    read: dict[str, set[float]],
    decided_on: dt.date,
    limit: int = CASE_LIMIT,
) -> Cases:
    """The plain case, each field varied alone, then every combination of the candidate
    values of the fields in ``read`` (sampled beyond ``limit``); other fields keep one plain
    value. The agency varies when a rule reads it."""
    _, spec, types = book.categories[category]
    names = list(types)
    choices = [
        _candidates(types[n], read[n], decided_on) if n in read else [_plain(types[n], decided_on)]
        for n in names
    ]
    choices.append(list(spec.agencies) if "agency" in read else spec.agencies[:1])
    total = 1
    for values in choices:
        total *= len(values)
    combos = list(dict.fromkeys([*_one_at_a_time(choices), *_product(choices, total, limit)]))
    rows = [(combo[-1], dict(zip(names, combo[:-1], strict=True))) for combo in combos]
    return Cases(category, rows, total)


def _one_at_a_time(choices: list[list[Any]]) -> list[tuple[Any, ...]]:
    """The plain case (every first candidate), then each field varied alone."""
    base = tuple(values[0] for values in choices)
    varied = [
        (*base[:index], value, *base[index + 1 :])
        for index, values in enumerate(choices)
        for value in values[1:]
    ]
    return [base, *varied]


def _product(choices: list[list[Any]], total: int, limit: int) -> list[tuple[Any, ...]]:
    """Every combination, or ``limit`` of them drawn with a fixed seed."""
    if total <= limit:
        return list(itertools.product(*choices))
    rng = random.Random(0)
    return [tuple(rng.choice(values) for values in choices) for _ in range(limit)]


def _plain(field: FieldType, day: dt.date) -> Any:
    if field.optional:
        return None
    return {
        "enum": field.choices[0] if field.choices else None,
        "bool": False,
        "int": 0,
        "decimal": 0.0,
        "money": 0,
        "date": day,
        "text": "x",
        "id": PERSON,
    }[field.base]


def _candidates(field: FieldType, numbers: set[float], day: dt.date) -> list[Any]:
    values: list[Any]
    if field.base == "enum":
        values = list(field.choices)
    elif field.base == "bool":
        values = [False, True]
    elif field.base == "decimal":
        values = sorted({float(n) for n in numbers} | {0.0})
    elif field.base in ("int", "money"):
        cast = int if field.base == "int" else float
        values = sorted({cast(n) for n in numbers if n >= 0} | {cast(0)})
    elif field.base == "date":
        values = [day]
    else:
        values = [_plain(field, day)] if not field.optional else []
    return [None, *values] if field.optional else values


def record_of(
    subject: Subject,
    category: str,
    row: tuple[str, dict[str, Any]],
    decided_on: dt.date,
    number: int = 1,
) -> Record:
    """A record of the category for the subject, from a row of ``enumerate_cases``."""
    agency, fields = row
    doc_no = f"audit-{number}"
    return Record(doc_no, subject.id, category, agency, doc_no, decided_on, dict(fields))
