"""Ratings: a score from contributions and bands, a direct grade by condition, a cap on the
best grade, and contagion of a grade between organisations that share a responsible person.

Order of application: the score (base, contributions, and the points ``after_band`` carries
from the band of an earlier score); its band; then the first direct grade (in pack order)
whose condition holds on some record; else the first ``after_band`` grade; then caps and
``after_band`` ceilings (a grade better than ``at_best`` is lowered to it); contagion is
applied by the engine afterwards, as it needs other subjects' ratings.

An earlier score (``after_band``) is the score the same rule gives on the earlier date, from
the records decided within its window before that date and the parameters of that date,
including the points carried into it from the band of a score before it (a chain, one step a
year, that stops where the subject has no scored record on or before the date). It counts
only if the subject was eligible for the rating on that date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

from socialcredit.core.durations import parse_duration
from socialcredit.core.facts import Record, Subject
from socialcredit.core.pack.model import PerRecord, RatingRule, Rulebook
from socialcredit.core.pack.schema import AfterBand
from socialcredit.core.rules.evaluate import holds
from socialcredit.core.rules.functions import Interval, add_interval

MAX_YEARS_BACK = 50


@dataclass(frozen=True)
class Contribution:
    id: str
    record: Record
    points: float


@dataclass(frozen=True)
class AfterBandHit:
    """An ``after_band`` rule that applied: the earlier date, its score, and what it did."""

    id: str
    on: dt.date
    score: float
    points: float | None
    records: tuple[Record, ...]


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
    after_band: tuple[AfterBandHit, ...] = ()

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
        for hit in self.after_band:
            found.extend(r for r in hit.records if r not in found)
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
    score, contributions, carried = _score(rule, subject, records, as_of, 0)
    base.score = score
    grade = _band(rule, score)
    direct_by = None
    for spec, per in rule.direct:
        hit = base.first(per, spec.window)
        if hit is not None:
            grade, direct_by = spec.grade, (spec.id, hit)
            break
    hits = list(carried)
    if direct_by is None:
        for held, held_hit in _after_band_hits(rule, subject, records, as_of, "grade", 0):
            grade = str(held.grade)
            hits.append(held_hit)
            break
    rating = Rating(rule, subject.id, as_of, score, grade, contributions, direct_by)
    rating = _capped(rating, base)
    for ceiling, ceiling_hit in _after_band_hits(rule, subject, records, as_of, "at_best", 0):
        if rule.rank(rating.grade) < rule.rank(str(ceiling.at_best)):
            rating = replace(rating, grade=str(ceiling.at_best))
            hits.append(ceiling_hit)
    return replace(rating, after_band=tuple(hits))


def _score(
    rule: RatingRule, subject: Subject, records: list[Record], day: dt.date, depth: int
) -> tuple[float, tuple[Contribution, ...], tuple[AfterBandHit, ...]]:
    """The score on ``day``: base, contributions, and points carried from earlier bands."""
    context = _Context(rule, subject, records, day)
    contributions = tuple(
        Contribution(spec.id, record, float(points))
        for spec, per, points_expr in rule.contributions
        for record, env in context.matches(per, spec.window)
        if (points := points_expr.evaluate(env)) is not None
    )
    carried = tuple(
        hit for _, hit in _after_band_hits(rule, subject, records, day, "points", depth)
    )
    score = rule.version.base + sum(c.points for c in contributions)
    return score + sum(h.points or 0.0 for h in carried), contributions, carried


def _after_band_hits(
    rule: RatingRule,
    subject: Subject,
    records: list[Record],
    day: dt.date,
    effect: str,
    depth: int,
) -> list[tuple[AfterBand, AfterBandHit]]:
    """The ``after_band`` rules with the given effect that apply on ``day``."""
    hits = []
    env = {"parameters": rule.pack.parameters_on(day), "as_of": day}
    for spec, when, points_expr in rule.after_band:
        if getattr(spec, effect) is None or not holds(when.evaluate(env)):
            continue
        earlier = add_interval(day, Interval(years=-spec.years_before))
        past = _past_band(rule, subject, records, earlier, depth + 1)
        if past is None or past[0] != spec.band:
            continue
        points = points_expr.evaluate(env) if points_expr is not None else None
        score, found = past[1], past[2]
        hits.append((spec, AfterBandHit(spec.id, earlier, score, _number(points), found)))
    return hits


def _past_band(
    rule: RatingRule, subject: Subject, records: list[Record], day: dt.date, depth: int
) -> tuple[str, float, tuple[Record, ...]] | None:
    """The band of the score on an earlier ``day``, the score, and its records; None when the
    subject was not rated then or has no scored record on or before it."""
    scored = {per.category for _, per, _ in rule.contributions}
    if depth > MAX_YEARS_BACK or not any(
        r.category in scored and r.decided_on <= day for r in records
    ):
        return None
    if not _eligible(rule, subject, records, day):
        return None
    score, contributions, carried = _score(rule, subject, records, day, depth)
    found = tuple(c.record for c in contributions) + tuple(r for h in carried for r in h.records)
    return _band(rule, score), score, found


def _number(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) else None


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
