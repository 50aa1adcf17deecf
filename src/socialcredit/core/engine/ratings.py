"""Ratings: a grade from score contributions and bands, or a direct grade by condition."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from socialcredit.core.durations import parse_duration
from socialcredit.core.facts import Record, Subject
from socialcredit.core.pack.model import RatingRule, Rulebook
from socialcredit.core.rules.evaluate import holds
from socialcredit.core.rules.functions import add_interval


@dataclass(frozen=True)
class Contribution:
    id: str
    record: Record
    points: float


@dataclass(frozen=True)
class Rating:
    """A subject's grade on a rating, with every contribution to its score."""

    rule: RatingRule
    subject: str
    as_of: dt.date
    score: float
    grade: str
    contributions: tuple[Contribution, ...]
    direct_by: tuple[str, Record] | None

    @property
    def rating_id(self) -> str:
        return self.rule.rating_id


def ratings_for(
    book: Rulebook, subject: Subject, records: list[Record], as_of: dt.date
) -> list[Rating]:
    ratings = []
    for rating_id in book.ratings:
        rule = book.rating_rule_on(rating_id, as_of)
        if rule is None or subject.kind not in rule.definition.subject_kinds:
            continue
        ratings.append(_rate(rule, subject, _in_window(rule, records, as_of), as_of))
    return ratings


def _in_window(rule: RatingRule, records: list[Record], as_of: dt.date) -> list[Record]:
    window = rule.version.window
    earliest = add_interval(as_of, -parse_duration(window)) if window else dt.date.min
    return [r for r in records if earliest < r.decided_on <= as_of]


def _rate(rule: RatingRule, subject: Subject, records: list[Record], as_of: dt.date) -> Rating:
    subject_view = subject.view()
    parameters = rule.pack.parameters_on(as_of)
    contributions = []
    direct: list[tuple[int, str, Record]] = []
    for record in records:
        view = record.view(as_of)
        for spec, category, alias, when, points in rule.contributions:
            env = {alias: view, "subject": subject_view, "parameters": parameters, "as_of": as_of}
            if record.category == category and holds(when.evaluate(env)):
                value = points.evaluate(env)
                if value is not None:
                    contributions.append(Contribution(spec.id, record, float(value)))
        for order, (spec_d, category, alias, when) in enumerate(rule.direct):
            env = {alias: view, "subject": subject_view, "parameters": parameters, "as_of": as_of}
            if record.category == category and holds(when.evaluate(env)):
                direct.append((order, spec_d.grade, record))
    score = rule.version.base + sum(c.points for c in contributions)
    # Direct grades win over the score; among them, the one listed first in the pack.
    first = min(direct, key=lambda d: d[0]) if direct else None
    grade = first[1] if first else _band(rule, score)
    direct_by = (first[1], first[2]) if first else None
    return Rating(rule, subject.id, as_of, score, grade, tuple(contributions), direct_by)


def _band(rule: RatingRule, score: float) -> str:
    for band in rule.version.bands:
        if band.min is None or score >= band.min:
            return band.grade
    return rule.version.bands[-1].grade
