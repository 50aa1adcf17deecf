"""Witnesses: the records that put a subject on a list, or give it a rating grade, on the
audit date, found by running boundary cases through the real engine."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from socialcredit.core.auditor.cases import enumerate_cases, read_fields, record_of, subjects_for
from socialcredit.core.auditor.scope import rating_categories
from socialcredit.core.engine.lists import entries_for
from socialcredit.core.engine.ratings import ratings_for
from socialcredit.core.facts import Record, Subject
from socialcredit.core.pack.model import Expression, PerRecord, RatingRule, Rulebook
from socialcredit.core.pack.schema import Trigger

AGES_DAYS = (0, 30, 365, 3 * 365)
SEARCH_LIMIT = 1500


def trigger_kinds(book: Rulebook, trigger: Trigger) -> list[str]:
    """The subject kinds a list or rating applies to."""
    if trigger.list_id is not None:
        return list(book.lists[trigger.list_id][0].definition.subject_kinds)
    assert trigger.rating is not None
    return list(book.ratings[trigger.rating][0].definition.subject_kinds)


def find_witness(
    book: Rulebook, trigger: Trigger, subject: Subject, day: dt.date
) -> list[Record] | None:
    """Records that make ``trigger`` hold for ``subject`` on ``day``, or None if the boundary
    cases find none."""
    if trigger.list_id is not None:
        return _list_witness(book, trigger.list_id, subject, day)
    assert trigger.rating is not None
    rule = book.rating_rule_on(trigger.rating, day)
    return None if rule is None else _rating_witness(book, rule, set(trigger.grades), subject, day)


def _list_witness(
    book: Rulebook, list_id: str, subject: Subject, day: dt.date
) -> list[Record] | None:
    for age in AGES_DAYS:
        decided = day - dt.timedelta(days=age)
        rule = book.list_rule_for(list_id, decided)
        if rule is None or subject.kind not in rule.definition.subject_kinds:
            continue
        expressions = [rule.include, rule.starts, *(e for _, e in rule.exemptions)]
        expressions += [e for _, e in rule.removals] + ([rule.ends] if rule.ends else [])
        read = read_fields(expressions, rule.alias)
        cases = enumerate_cases(book, rule.category, read, decided, SEARCH_LIMIT)
        for row in cases.rows:
            record = record_of(subject, rule.category, row, decided)
            entries = entries_for(book, subject, [record], day)
            if any(e.list_id == list_id and e.active_on(day) for e in entries):
                return [record]
    return None


def _rating_witness(
    book: Rulebook, rule: RatingRule, grades: set[str], subject: Subject, day: dt.date
) -> list[Record] | None:
    if subject.kind not in rule.definition.subject_kinds:
        return None
    base = _eligibility(book, rule, subject, day)
    if base is None:
        return None
    if _graded(book, subject, base, day, grades):
        return base
    for record in _rating_candidates(book, rule, subject, day, len(base) + 1):
        if _graded(book, subject, [*base, record], day, grades):
            return [*base, record]
    return None


def _graded(
    book: Rulebook, subject: Subject, records: list[Record], day: dt.date, grades: set[str]
) -> bool:
    return any(r.grade in grades for r in ratings_for(book, subject, records, day))


def _eligibility(
    book: Rulebook, rule: RatingRule, subject: Subject, day: dt.date
) -> list[Record] | None:
    """No record when every subject is rated; else one record that makes it eligible."""
    if not rule.eligible:
        return []
    for _, per in rule.eligible:
        for record in _cases(book, per.category, per.alias, [per.when], subject, day, 1):
            if ratings_for(book, subject, [record], day):
                return [record]
    return None


def _rating_candidates(
    book: Rulebook, rule: RatingRule, subject: Subject, day: dt.date, number: int
) -> Iterator[Record]:
    conditions: list[tuple[PerRecord, Expression]] = [(p, p.when) for _, p, _ in rule.contributions]
    conditions += [(p, points) for _, p, points in rule.contributions]
    conditions += [(p, p.when) for _, p in [*rule.direct, *rule.caps]]
    for category in rating_categories(rule):
        expressions = [(p.alias, e) for p, e in conditions if p.category == category]
        for alias in dict.fromkeys(a for a, _ in expressions):
            exprs = [e for a, e in expressions if a == alias]
            yield from _cases(book, category, alias, exprs, subject, day, number)


def _cases(
    book: Rulebook,
    category: str,
    alias: str,
    expressions: list[Expression],
    subject: Subject,
    day: dt.date,
    number: int,
) -> Iterator[Record]:
    decided = day - dt.timedelta(days=AGES_DAYS[1])
    cases = enumerate_cases(book, category, read_fields(expressions, alias), decided, SEARCH_LIMIT)
    for row in cases.rows:
        yield record_of(subject, category, row, decided, number)


def witness_subjects(kinds: list[str]) -> list[Subject]:
    """One subject of each kind, organisations first (most measures name them)."""
    return subjects_for(sorted(kinds, key=lambda k: k != "organisation"))


def scenario_record(record: Record) -> dict[str, Any]:
    """A record as a scenario file writes it (optional fields left out when null)."""
    return {
        "subject": record.subject,
        "category": record.category,
        "agency": record.agency,
        "decided_on": record.decided_on,
        "fields": {k: v for k, v in record.fields.items() if v is not None},
    }
