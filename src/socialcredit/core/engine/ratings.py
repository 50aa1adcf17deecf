"""Ratings: a score from contributions and bands, a direct grade by condition, a cap on the
best grade, and contagion of a grade between organisations that share a responsible person.

Order of application: the score's band; then the first direct grade (in pack order) whose
condition holds on some record; then caps (a grade better than ``at_best`` is lowered to
it); contagion is applied by the engine afterwards, as it needs other subjects' ratings.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

from socialcredit.core.durations import parse_duration
from socialcredit.core.facts import Record, Subject
from socialcredit.core.pack.model import PerRecord, RatingRule, Rulebook
from socialcredit.core.rules.evaluate import holds
from socialcredit.core.rules.functions import add_interval


@dataclass(frozen=True)
class Contribution:
    id: str
    record: Record
    points: float


@dataclass(frozen=True)
class Rating:
    """A subject's grade on a rating, and everything that made it."""

    rule: RatingRule
    subject: str
    as_of: dt.date
    score: float
    grade: str
    contributions: tuple[Contribution, ...]
    direct_by: tuple[str, Record] | None = None
    capped_by: tuple[str, Record] | None = None
    contagion_from: tuple[str, str, str] | None = None  # (rule id, organisation, person)

    @property
    def rating_id(self) -> str:
        return self.rule.rating_id

    @property
    def records(self) -> list[Record]:
        """Every record that moved the grade."""
        found = [c.record for c in self.contributions]
        for pair in (self.direct_by, self.capped_by):
            if pair is not None:
                found.append(pair[1])
        return found


def ratings_for(
    book: Rulebook, subject: Subject, records: list[Record], as_of: dt.date
) -> list[Rating]:
    """The subject's own ratings on ``as_of`` (before contagion)."""
    ratings = []
    for rating_id in book.ratings:
        rule = book.rating_rule_on(rating_id, as_of)
        if rule is None or subject.kind not in rule.definition.subject_kinds:
            continue
        if _eligible(rule, subject, records, as_of):
            ratings.append(rate(rule, subject, records, as_of))
    return ratings


def _eligible(rule: RatingRule, subject: Subject, records: list[Record], as_of: dt.date) -> bool:
    """Without eligibility rules every subject is rated; with them, only those they find."""
    if not rule.eligible:
        return True
    context = _Context(rule, subject, records, as_of)
    return any(context.first(per, spec.window) is not None for spec, per in rule.eligible)


def rate(rule: RatingRule, subject: Subject, records: list[Record], as_of: dt.date) -> Rating:
    base = _Context(rule, subject, records, as_of)
    contributions = tuple(
        Contribution(spec.id, record, float(points))
        for spec, per, points_expr in rule.contributions
        for record, env in base.matches(per, spec.window)
        if (points := points_expr.evaluate(env)) is not None
    )
    score = rule.version.base + sum(c.points for c in contributions)
    base.score = score
    grade = _band(rule, score)
    direct_by = None
    for spec, per in rule.direct:
        hit = base.first(per, spec.window)
        if hit is not None:
            grade, direct_by = spec.grade, (spec.id, hit)
            break
    rating = Rating(rule, subject.id, as_of, score, grade, contributions, direct_by)
    return _capped(rating, base)


def _capped(rating: Rating, context: _Context) -> Rating:
    rule = rating.rule
    for spec, per in rule.caps:
        if rule.rank(rating.grade) < rule.rank(spec.at_best):
            hit = context.first(per, spec.window)
            if hit is not None:
                rating = replace(rating, grade=spec.at_best, capped_by=(spec.id, hit))
    return rating


def _band(rule: RatingRule, score: float) -> str:
    for band in rule.version.bands:
        if band.min is None or score >= band.min:
            return band.grade
    return rule.version.bands[-1].grade


class _Context:
    """The records and names a rating's conditions are evaluated with."""

    def __init__(self, rule: RatingRule, subject: Subject, records: list[Record], as_of: dt.date):
        self.rule, self.records, self.as_of = rule, records, as_of
        self.subject_view = subject.view()
        self.parameters = rule.pack.parameters_on(as_of)
        self.score: float | None = None
        self.views: dict[str, dict[str, Any]] = {}

    def matches(self, per: PerRecord, window: str | None) -> list[tuple[Record, dict[str, Any]]]:
        earliest = self._earliest(window)
        found = []
        for record in self.records:
            if record.category != per.category or not earliest < record.decided_on <= self.as_of:
                continue
            env = self._env(per.alias, record)
            if holds(per.when.evaluate(env)):
                found.append((record, env))
        return found

    def first(self, per: PerRecord, window: str | None) -> Record | None:
        found = self.matches(per, window)
        return found[0][0] if found else None

    def _earliest(self, window: str | None) -> dt.date:
        window = window or self.rule.version.window
        return add_interval(self.as_of, -parse_duration(window)) if window else dt.date.min

    def _env(self, alias: str, record: Record) -> dict[str, Any]:
        if record.id not in self.views:
            self.views[record.id] = record.view(self.as_of)
        return {
            alias: self.views[record.id],
            "subject": self.subject_view,
            "parameters": self.parameters,
            "as_of": self.as_of,
            "score": self.score,
        }
