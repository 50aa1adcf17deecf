"""Measures in force: what the memoranda make of a subject's list entries and grades,
including measures that reach a person through an organisation he represents."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from socialcredit.core.durations import parse_duration
from socialcredit.core.engine.lists import Entry
from socialcredit.core.engine.ratings import Rating
from socialcredit.core.facts import MemoryFacts, Relation, Subject
from socialcredit.core.pack.model import MemorandumRule, Rulebook
from socialcredit.core.pack.schema import Measure
from socialcredit.core.rules.evaluate import holds
from socialcredit.core.rules.functions import add_interval

Trigger = Entry | Rating


@dataclass(frozen=True)
class AppliedMeasure:
    """A measure applied to ``subject`` on a date, with what triggered it."""

    memorandum: MemorandumRule
    measure: Measure
    subject: str
    trigger: Trigger
    via: Relation | None
    starts: dt.date
    ends: dt.date | None

    @property
    def target(self) -> str:
        return self.via.role if self.via is not None else "subject"


def measures_on(
    book: Rulebook,
    subject: Subject,
    day: dt.date,
    own: list[Trigger],
    related: list[tuple[Relation, list[Trigger]]],
) -> list[AppliedMeasure]:
    """Measures in force on ``day`` for ``subject``, from its own triggers and its roles."""
    applied = []
    for memo in book.memoranda:
        if not memo.spec.in_force_on(day):
            continue
        for trigger in own:
            applied += _apply(memo, subject, trigger, None, day)
        for relation, triggers in related:
            for trigger in triggers:
                applied += _apply(memo, subject, trigger, relation, day)
    return applied


def measures_reached(
    book: Rulebook, facts: MemoryFacts, triggers: dict[str, list[Trigger]], day: dt.date
) -> list[AppliedMeasure]:
    """Every measure in force on ``day`` that the given triggers (by subject) produce: on the
    subject itself and on the persons who hold a role in it. The same measures as
    ``Engine.state`` finds subject by subject, computed from the triggers' side for a whole
    population at once."""
    applied = []
    for subject_id, own in triggers.items():
        applied += measures_on(book, facts.subject(subject_id), day, own, [])
        for officer in facts.officers_of(subject_id):
            if started_by(officer, day):
                person = facts.subject(officer.person)
                applied += measures_on(book, person, day, [], [(officer, own)])
    return applied


def started_by(relation: Relation, day: dt.date) -> bool:
    """A relation that began on or before ``day`` (it may have ended since): a measure with
    ``role_held: at_start`` may reach its holder through it."""
    return relation.since is None or relation.since <= day


def _reaches(measure: Measure, via: Relation | None, trigger: Trigger, day: dt.date) -> bool:
    """Does the measure reach the holder of ``via``? ``now``: he holds the role on ``day``;
    ``at_start``: he held it on the day the list entry started (whether or not he still
    does). The subject itself (no ``via``) is always reached."""
    if via is None:
        return True
    if measure.role_held == "at_start" and isinstance(trigger, Entry):
        return via.holds_on(trigger.starts)
    return via.holds_on(day)


def _apply(
    memo: MemorandumRule, subject: Subject, trigger: Trigger, via: Relation | None, day: dt.date
) -> list[AppliedMeasure]:
    if not _triggers(memo, trigger, day):
        return []
    role = via.role if via is not None else "subject"
    found = []
    for measure in memo.spec.measures:
        if role not in measure.targets or not measure_in_force(measure, day):
            continue
        if not _reaches(measure, via, trigger, day):
            continue
        if not _condition_holds(memo, measure, subject, trigger, day):
            continue
        starts, ends = _period(measure, trigger)
        if starts <= day and (ends is None or day < ends):
            found.append(AppliedMeasure(memo, measure, subject.id, trigger, via, starts, ends))
    return found


def _condition_holds(
    memo: MemorandumRule, measure: Measure, subject: Subject, trigger: Trigger, day: dt.date
) -> bool:
    condition = memo.conditions.get(measure.id)
    if condition is None:
        return True
    env = {
        "trigger": trigger.record.view(day) if isinstance(trigger, Entry) else {},
        "subject": subject.view(),
        "parameters": memo.pack.parameters_on(day),
        "as_of": day,
    }
    return holds(condition.evaluate(env))


def _triggers(memo: MemorandumRule, trigger: Trigger, day: dt.date) -> bool:
    spec = memo.spec.trigger
    if isinstance(trigger, Entry):
        return spec.list_id == trigger.list_id and trigger.active_on(day)
    return spec.rating == trigger.rating_id and trigger.grade in spec.grades


def measure_in_force(measure: Measure, day: dt.date) -> bool:
    started = measure.in_force is None or measure.in_force <= day
    return started and (measure.until is None or day < measure.until)


def _period(measure: Measure, trigger: Trigger) -> tuple[dt.date, dt.date | None]:
    if isinstance(trigger, Entry):
        starts, ends = trigger.starts, trigger.ends
    else:
        starts, ends = trigger.as_of, None
    if measure.lasts:
        limit = add_interval(starts, parse_duration(measure.lasts))
        ends = limit if ends is None else min(ends, limit)
    return starts, ends


def measures_of(
    book: Rulebook, facts: MemoryFacts, found: tuple[list[Entry], list[Rating]], day: dt.date
) -> list[AppliedMeasure]:
    """The measures in force on ``day`` that a run's entries and ratings produce."""
    entries, ratings = found
    triggers: dict[str, list[Trigger]] = defaultdict(list)
    for entry in entries:
        if entry.active_on(day):
            triggers[entry.subject].append(entry)
    for rating in ratings:
        triggers[rating.subject].append(rating)
    return measures_reached(book, facts, triggers, day)
