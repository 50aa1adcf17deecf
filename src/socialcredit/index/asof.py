"""How the rules of a rulebook read the date of a question (``as_of``).

The index finds the dates where a subject's answer can change by watching every comparison
the engine makes with the date (see ``probe``). That covers a rule that compares ``as_of``
directly (``case.performed_on <= as_of``). Two other uses are covered by listing their change
dates: ``age(x, as_of)`` changes on birthdays, and a rating window moves a record out of the
count on a date computed here. Any other use of ``as_of`` (arithmetic on it, ``==``, passing
it through a function) would hide change dates, so the index refuses such a rulebook with an
error naming the expression rather than answer wrongly.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from socialcredit.core.durations import parse_duration
from socialcredit.core.errors import SocialCreditError
from socialcredit.core.pack.model import Expression, Rulebook
from socialcredit.core.pack.schema import Dated
from socialcredit.core.rules import ast
from socialcredit.core.rules.functions import Interval, add_interval

ORDERING = ("<", "<=", ">", ">=")
AS_OF = ast.Ref(("as_of",))


class UntrackedDateUse(SocialCreditError):
    """A rule reads ``as_of`` in a way whose change dates the index cannot find."""


@dataclass(frozen=True)
class DateUses:
    """What the index must add to the engine's own comparisons for this rulebook."""

    birthdays: bool  # some rule computes age(..., as_of)
    windows: tuple[Interval, ...]  # every rating window, each distinct once
    rated_categories: frozenset[str]  # categories a rating counts records of
    fixed_days: tuple[dt.date, ...]  # parameter changes and rule-version dates


def date_uses(book: Rulebook) -> DateUses:
    """Check every expression of ``book``; raise UntrackedDateUse on one the index cannot follow."""
    birthdays = False
    for where, expression in _expressions(book):
        for node, parent in _with_parents(expression.node, None):
            if node != AS_OF:
                continue
            if isinstance(parent, ast.Binary) and parent.op in ORDERING:
                continue
            if isinstance(parent, ast.Call) and parent.name == "age" and parent.args[0] != AS_OF:
                birthdays = True
                continue
            raise UntrackedDateUse(
                f"{where}: {expression.source!r} uses as_of other than in a comparison "
                "(<, <=, >, >=) or age(x, as_of); the decision index cannot find its change dates"
            )
    return DateUses(birthdays, _windows(book), _rated_categories(book), _fixed_days(book))


def _expressions(book: Rulebook) -> Iterator[tuple[str, Expression]]:
    for rules in book.lists.values():
        for rule in rules:
            where = f"list {rule.label}"
            yield where, rule.include
            yield from ((where, e) for _, e in rule.exemptions)
            yield where, rule.starts
            if rule.ends is not None:
                yield where, rule.ends
            yield from ((where, e) for _, e in rule.removals)
    for ratings in book.ratings.values():
        for rating in ratings:
            where = f"rating {rating.rating_id}"
            for _, per, points in rating.contributions:
                yield where, per.when
                yield where, points
            for _, per in (*rating.direct, *rating.caps, *rating.eligible):
                yield where, per.when
    for memo in book.memoranda:
        yield from ((f"memorandum {memo.memorandum_id}", e) for e in memo.conditions.values())


def _with_parents(
    node: ast.Node, parent: ast.Node | None
) -> Iterator[tuple[ast.Node, ast.Node | None]]:
    yield node, parent
    for child in _children(node):
        yield from _with_parents(child, node)


def _children(node: ast.Node) -> tuple[ast.Node, ...]:
    if isinstance(node, ast.Unary | ast.IsNull):
        return (node.operand,)
    if isinstance(node, ast.Binary):
        return (node.left, node.right)
    if isinstance(node, ast.In):
        return (node.operand, *node.options)
    if isinstance(node, ast.Call):
        return node.args
    if isinstance(node, ast.Cond):
        return (node.then, node.condition, node.otherwise)
    return ()


def _windows(book: Rulebook) -> tuple[Interval, ...]:
    texts: set[str] = set()
    for ratings in book.ratings.values():
        for rating in ratings:
            if rating.version.window:
                texts.add(rating.version.window)
            windows = [c.window for c, _, _ in rating.contributions]
            windows += [s.window for s, _ in rating.direct]
            windows += [s.window for s, _ in rating.caps]
            windows += [s.window for s, _ in rating.eligible]
            texts |= {w for w in windows if w}
    return tuple(sorted({parse_duration(t) for t in texts}, key=repr))


def _rated_categories(book: Rulebook) -> frozenset[str]:
    found: set[str] = set()
    for ratings in book.ratings.values():
        for rating in ratings:
            pers = [p for _, p, _ in rating.contributions]
            pers += [p for _, p in (*rating.direct, *rating.caps, *rating.eligible)]
            found |= {p.category for p in pers}
    return frozenset(found)


def _fixed_days(book: Rulebook) -> tuple[dt.date, ...]:
    days: set[dt.date] = set()
    for pack in book.packs.values():
        for parameter in pack.spec.parameters.values():
            days |= set(parameter.values)
    versions: list[Dated] = [r.version for rules in book.lists.values() for r in rules]
    versions += [r.version for rules in book.ratings.values() for r in rules]
    for version in versions:
        days |= {d for d in (version.in_force, version.until) if d}
    for memo in book.memoranda:
        days |= {d for d in (memo.spec.in_force, memo.spec.until) if d}
        for measure in memo.spec.measures:
            days |= {d for d in (measure.in_force, measure.until) if d}
    return tuple(sorted(days))


def window_exit(decided_on: dt.date, window: Interval) -> int:
    """The first day (ordinal) on which a record decided on ``decided_on`` is no longer
    within ``window`` before the day: the least D with ``D - window >= decided_on``, found with
    the engine's own calendar arithmetic (month ends clamp, so it is searched, not inverted)."""
    guess = add_interval(decided_on, window).toordinal()
    day = guess - 4
    while add_interval(dt.date.fromordinal(day), -window) < decided_on:
        day += 1
    return day


def birthdays(birth: dt.date, start: int, end: int) -> list[int]:
    """The days (ordinals, in [start, end)) on which a person born on ``birth`` gains a year,
    as ``age()`` counts it (born on 29 February: 1 March in common years)."""
    found = []
    first, last = dt.date.fromordinal(start).year, dt.date.fromordinal(end - 1).year
    for year in range(max(first, birth.year + 1), last + 1):
        try:
            day = dt.date(year, birth.month, birth.day)
        except ValueError:
            day = dt.date(year, 3, 1)
        if start <= day.toordinal() < end:
            found.append(day.toordinal())
    return found
