"""How the rules of a rulebook read the date of a question (``as_of``).

The index finds the dates where a subject's answer can change by watching every comparison
the engine makes with the date (see ``probe``). That covers a rule that compares ``as_of``
directly (``case.performed_on <= as_of``). Other uses are covered by listing their change
dates: ``age(x, as_of) >= k`` changes on the birthday of age k, a rating window moves a
record out of the count on a date computed here, and a parameter read on the day asked
changes on the dates of its values. Any other use of ``as_of`` (arithmetic on it, ``==``, passing
it through a function) would hide change dates, so the index refuses such a rulebook with an
error naming the expression rather than answer wrongly.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from socialcredit.core.durations import parse_duration
from socialcredit.core.engine.ratings import MAX_YEARS_BACK
from socialcredit.core.errors import SocialCreditError
from socialcredit.core.pack.model import Expression, Pack, Rulebook
from socialcredit.core.rules import ast
from socialcredit.core.rules.functions import Interval, add_interval

ORDERING = ("<", "<=", ">", ">=")
AS_OF = ast.Ref(("as_of",))


class UntrackedDateUse(SocialCreditError):
    """A rule reads ``as_of`` in a way whose change dates the index cannot find."""


@dataclass(frozen=True)
class DateUses:
    """What the index must add to the engine's own comparisons for this rulebook."""

    ages: frozenset[int]  # ages at which some rule's age(x, as_of) comparison can flip
    windows: tuple[Interval, ...]  # every rating window, each distinct once
    rated_categories: frozenset[str]  # categories a rating counts records of
    # Days a parameter read on the day asked changes value: the engine caches parameters by
    # day, so a cached day shows no comparison.
    fixed_days: tuple[dt.date, ...]
    # The most years an ``after_band`` rule (chained, as the engine allows) looks back: the
    # earlier score is computed on a plain date, so its changes come N years after its dates.
    years_back: int = 0


def date_uses(book: Rulebook) -> DateUses:
    """Check every expression of ``book``; raise UntrackedDateUse on one the index cannot follow."""
    ages: set[int] = set()
    days: set[dt.date] = set()
    for where, pack, expression, on_the_day in _expressions(book):
        for node, parent in _with_parents(expression.node, None):
            if _is_age_on_the_day(node):
                ages |= _age_thresholds(node, parent, pack, f"{where}: {expression.source!r}")
            elif node == AS_OF and not _tracked(node, parent):
                raise UntrackedDateUse(
                    f"{where}: {expression.source!r} uses as_of other than in a comparison "
                    "(<, <=, >, >=) or age(x, as_of) compared with a number or a parameter; "
                    "the decision index cannot find the days it changes on"
                )
            elif on_the_day and isinstance(node, ast.Ref) and node.parts[0] == "parameters":
                parameter = pack.spec.parameters.get(node.parts[1])
                days |= set(parameter.values) if parameter else set()
    fixed = tuple(sorted(days))
    return DateUses(frozenset(ages), _windows(book), _rated_categories(book), fixed, _years(book))


def _years(book: Rulebook) -> int:
    longest = max(
        (
            spec.years_before
            for rules in book.ratings.values()
            for rule in rules
            for spec, _, _ in rule.after_band
        ),
        default=0,
    )
    return longest * (MAX_YEARS_BACK + 1)


def _is_age_on_the_day(node: ast.Node) -> bool:
    return isinstance(node, ast.Call) and node.name == "age" and node.args[1:] == (AS_OF,)


def _tracked(node: ast.Node, parent: ast.Node | None) -> bool:
    """``as_of`` compared directly, or the day argument of age() (handled at the call)."""
    if isinstance(parent, ast.Binary):
        return parent.op in ORDERING
    return isinstance(parent, ast.Call) and _is_age_on_the_day(parent) and node is parent.args[1]


def _age_thresholds(call: ast.Node, parent: ast.Node | None, pack: Pack, where: str) -> set[int]:
    """The ages k at which ``age(x, as_of) <op> k`` can flip: k and k + 1 for each value k
    the other side takes (a number, or a parameter over its history)."""
    if not isinstance(parent, ast.Binary) or parent.op not in ORDERING:
        raise UntrackedDateUse(f"{where}: age(x, as_of) must be compared (<, <=, >, >=)")
    other = parent.right if parent.left is call else parent.left
    values: list[object] = []
    if isinstance(other, ast.Literal):
        values = [other.value]
    elif isinstance(other, ast.Ref) and other.parts[0] == "parameters":
        parameter = pack.spec.parameters.get(other.parts[1])
        values = list(parameter.values.values()) if parameter else []
    if not values or not all(isinstance(v, int | float) for v in values):
        raise UntrackedDateUse(
            f"{where}: age(x, as_of) must be compared with a number or a numeric parameter"
        )
    return {int(v) + step for v in values if isinstance(v, int | float) for step in (0, 1)}


def _expressions(book: Rulebook) -> Iterator[tuple[str, Pack, Expression, bool]]:
    """Every expression, its pack, and whether it reads parameters on the day asked."""
    for rules in book.lists.values():
        for rule in rules:
            where = f"list {rule.label}"
            listed = [rule.include, *(e for _, e in rule.exemptions), rule.starts]
            listed += [rule.ends] if rule.ends is not None else []
            listed += [e for _, e in rule.removals]
            yield from ((where, rule.pack, e, False) for e in listed)
    for ratings in book.ratings.values():
        for rating in ratings:
            where = f"rating {rating.rating_id}"
            rated = [e for _, per, points in rating.contributions for e in (per.when, points)]
            rated += [per.when for _, per in (*rating.direct, *rating.caps, *rating.eligible)]
            rated += [e for _, when, points in rating.after_band for e in (when, points) if e]
            yield from ((where, rating.pack, e, True) for e in rated)
    for memo in book.memoranda:
        where = f"memorandum {memo.memorandum_id}"
        yield from ((where, memo.pack, e, True) for e in memo.conditions.values())


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


def window_exit(decided_on: dt.date, window: Interval, years_back: int = 0) -> int:
    """The first day (ordinal) on which a record decided on ``decided_on`` is no longer
    within ``window`` before the day: the least D with ``D - window >= decided_on``, found with
    the engine's own calendar arithmetic (month ends clamp, so it is searched, not inverted).
    With ``years_back``, the day is first taken that many years back (an ``after_band`` score
    on an earlier date); a zero ``window`` then gives the day the record enters that score."""
    back = Interval(years=-years_back)

    def moved(ordinal: int) -> dt.date:
        return add_interval(add_interval(dt.date.fromordinal(ordinal), back), -window)

    day = add_interval(add_interval(decided_on, window), -back).toordinal() - 4
    while day > 1 and moved(day) >= decided_on:
        day -= 4
    while moved(day) < decided_on:
        day += 1
    return day


def birthdays(birth: dt.date, ages: frozenset[int], start: int, end: int) -> list[int]:
    """The days (ordinals, in [start, end)) on which a person born on ``birth`` reaches one
    of ``ages``, as ``age()`` counts (born on 29 February: 1 March in common years)."""
    found = []
    for years in sorted(ages):
        year = birth.year + years
        if not dt.MINYEAR <= year <= dt.MAXYEAR:
            continue
        try:
            day = dt.date(year, birth.month, birth.day)
        except ValueError:
            day = dt.date(year, 3, 1)
        if start <= day.toordinal() < end:
            found.append(day.toordinal())
    return found
