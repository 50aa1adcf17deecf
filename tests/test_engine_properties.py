"""Invariants of the engine over small generated worlds, with the real judgment-debtor pack.

A world is 1-3 persons, 0-2 organisations whose legal representatives are among the
persons, and 0-6 enforcement cases (random grounds, flags and decision dates, sometimes
performed, revoked or repaired later), looked at on a random date.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass

from hypothesis import given, settings
from hypothesis import strategies as st

from socialcredit.core.engine import Engine
from socialcredit.core.engine.lists import Entry
from socialcredit.core.facts import MemoryFacts, Record, Relation, StatusChange, Subject
from socialcredit.core.records import read_row
from socialcredit.services.packs.rulebook import load_book
from tests.test_identifiers import resident_ids, unified_codes

BOOK = load_book(("cn-consumption-restrictions",))
CATEGORY = "court.enforcement_case"
GROUNDS = BOOK.categories[CATEGORY][2]["ground"].choices
EXEMPTING_FLAGS = ("security_sufficient", "seized_assets_sufficient", "later_in_order")
ACTIONS = sorted({a for memo in BOOK.memoranda for m in memo.spec.measures for a in m.actions})
FIRST_DECISION, LAST_DECISION = dt.date(2016, 1, 1), dt.date(2024, 12, 31)
SETTINGS = settings(max_examples=80, deadline=None)

assert GROUNDS and "refuses_with_ability" in GROUNDS
assert {"aggravated", *EXEMPTING_FLAGS} <= set(BOOK.categories[CATEGORY][2])
assert "buy_flight_ticket" in ACTIONS


@dataclass(frozen=True)
class World:
    subjects: tuple[Subject, ...]
    relations: tuple[Relation, ...]
    records: tuple[Record, ...]

    def facts(self, records: Iterable[Record] | None = None) -> MemoryFacts:
        facts = MemoryFacts()
        for subject in self.subjects:
            facts.add_subject(subject)
        facts.extend(self.records if records is None else records, self.relations)
        return facts

    @property
    def ids(self) -> list[str]:
        return [s.id for s in self.subjects]


# -- strategies ---------------------------------------------------------------------------

adults = resident_ids(born_from=dt.date(1950, 1, 1), born_until=dt.date(1990, 12, 31))
minors = resident_ids(born_from=dt.date(2000, 1, 1), born_until=dt.date(2012, 12, 31))
days_after = st.integers(0, 5 * 366)


@st.composite
def histories(draw: st.DrawFn, decided_on: dt.date) -> tuple[StatusChange, ...]:
    """Often no change, else up to two of performed / revoked / repaired, from the decision on."""
    if draw(st.booleans()):
        return ()
    statuses = draw(
        st.lists(st.sampled_from(["performed", "revoked", "repaired"]), max_size=2, unique=True)
    )
    days = sorted(draw(st.lists(days_after, min_size=len(statuses), max_size=len(statuses))))
    return tuple(
        StatusChange(status, decided_on + dt.timedelta(days=d))  # type: ignore[arg-type]
        for status, d in zip(statuses, days, strict=True)
    )


@st.composite
def cases(draw: st.DrawFn, subject: str, number: int) -> Record:
    decided_on = draw(st.dates(FIRST_DECISION, LAST_DECISION))
    fields = {
        "amount_due": draw(st.integers(0, 10_000_000)),
        "ground": draw(st.sampled_from(GROUNDS)),
        "aggravated": draw(st.booleans()),
        # Exempt one time in ten, so that most cases list somebody.
        **{flag: draw(st.integers(0, 9)) == 0 for flag in EXEMPTING_FLAGS},
        "court": draw(st.sampled_from([None, "Beijing No. 1 Intermediate People's Court"])),
    }
    row = {
        "subject": subject,
        "category": CATEGORY,
        "agency": "court",
        "doc_no": f"(2018) Jing 01 Zhi {number}",
        "decided_on": decided_on,
        "fields": fields,
    }
    record = read_row(BOOK, row).record
    return dataclasses.replace(record, history=draw(histories(decided_on)))


@st.composite
def worlds(draw: st.DrawFn) -> World:
    persons = draw(st.lists(adults, min_size=1, max_size=3, unique=True))
    if draw(st.booleans()) and draw(st.booleans()):
        persons.append(draw(minors.filter(lambda code: code not in persons)))
    organisations = draw(st.lists(unified_codes(), max_size=2, unique=True))
    relations = []
    for org in organisations:
        since = draw(st.none() | st.dates(FIRST_DECISION, LAST_DECISION))
        until = draw(st.none() | st.dates(since or FIRST_DECISION, dt.date(2027, 12, 31)))
        person = draw(st.sampled_from(persons))
        relations.append(Relation(org, "legal_representative", person, since, until))
    subjects = tuple(Subject.from_code(code) for code in [*persons, *organisations])
    owners = st.sampled_from([s.id for s in subjects])
    count = draw(st.integers(0, 6) | st.integers(1, 6))
    records = tuple(draw(cases(draw(owners), number)) for number in range(1, count + 1))
    return World(subjects, tuple(relations), records)


any_day = st.dates(FIRST_DECISION, dt.date(2030, 12, 31))


@st.composite
def worlds_and_days(draw: st.DrawFn) -> tuple[World, dt.date]:
    """A world and a day: any day, or more often a day within two years of one of its cases."""
    world = draw(worlds())
    if world.records and draw(st.integers(0, 3)):
        decided_on = draw(st.sampled_from(world.records)).decided_on
        return world, decided_on + dt.timedelta(days=draw(st.integers(0, 2 * 366)))
    return world, draw(any_day)


# -- helpers ----------------------------------------------------------------------------------


def measures(
    engine: Engine, facts: MemoryFacts, subject: str, as_of: dt.date
) -> set[tuple[str, ...]]:
    """(measure id, memorandum, action) of every measure in force for the subject."""
    return {
        (m.measure.id, m.memorandum.memorandum_id, action)
        for m in engine.state(facts, subject, as_of).measures
        for action in m.measure.actions
    }


def trigger_records(engine: Engine, facts: MemoryFacts, subject: str, as_of: dt.date) -> set[str]:
    """Ids of the records behind every measure in force for the subject."""
    return {
        m.trigger.record.id
        for m in engine.state(facts, subject, as_of).measures
        if isinstance(m.trigger, Entry)
    }


def performed_on(record: Record) -> dt.date | None:
    return next((c.on for c in record.history if c.status == "performed"), None)


# -- the properties -----------------------------------------------------------------------------


@SETTINGS
@given(worlds_and_days())
def test_removing_a_record_never_adds_a_measure(world_and_day: tuple[World, dt.date]) -> None:
    world, as_of = world_and_day
    engine = Engine(BOOK)
    facts = world.facts()
    before = {s: measures(engine, facts, s, as_of) for s in world.ids}
    for index in range(len(world.records)):
        fewer = world.facts(world.records[:index] + world.records[index + 1 :])
        for subject in world.ids:
            after = measures(engine, fewer, subject, as_of)
            assert after <= before[subject], (world.records[index].id, subject)


@SETTINGS
@given(worlds_and_days())
def test_only_entries_active_on_the_day_determine_a_decision(
    world_and_day: tuple[World, dt.date],
) -> None:
    world, as_of = world_and_day
    engine = Engine(BOOK)
    facts = world.facts()
    for subject in world.ids:
        for action in ACTIONS:
            decision = engine.decide(facts, subject, action, as_of)
            assert (decision.effect == "allow") == (not decision.reasons)
            for reason in decision.reasons:
                applied = reason.applied
                assert isinstance(applied.trigger, Entry)
                assert applied.trigger.active_on(as_of), reason.explanation
                assert applied.starts <= as_of and (applied.ends is None or as_of < applied.ends)
                assert reason.determining == (reason.effect == decision.effect)
            if any(r.determining for r in decision.reasons):
                assert decision.until is None or decision.until > as_of


@SETTINGS
@given(worlds_and_days())
def test_decisions_are_deterministic(world_and_day: tuple[World, dt.date]) -> None:
    world, as_of = world_and_day
    first, second = world.facts(), world.facts()
    again = Engine(load_book(("cn-consumption-restrictions",)))
    for subject in world.ids:
        for action in ACTIONS:
            one = Engine(BOOK).decide(first, subject, action, as_of).as_dict()
            assert one == again.decide(second, subject, action, as_of).as_dict()


@SETTINGS
@given(worlds_and_days())
def test_record_order_does_not_change_a_decision(world_and_day: tuple[World, dt.date]) -> None:
    world, as_of = world_and_day
    engine = Engine(BOOK)
    forward, backward = world.facts(), world.facts(reversed(world.records))
    for subject in world.ids:
        for action in ACTIONS:
            one = engine.decide(forward, subject, action, as_of).as_dict()
            two = engine.decide(backward, subject, action, as_of).as_dict()
            for decision in (one, two):
                reasons = decision["reasons"]
                decision["reasons"] = sorted(json.dumps(r, sort_keys=True) for r in reasons)
            assert one == two


@SETTINGS
@given(worlds(), st.integers(0, 3 * 366))
def test_a_performed_case_lifts_every_measure_from_the_performance_date(
    world: World, later: int
) -> None:
    engine = Engine(BOOK)
    facts = world.facts()
    for record in world.records:
        performed = performed_on(record)
        # SPC 2017 Art. 10 para. 2: performance deletes only open-ended listings (ground 1);
        # a fixed-term listing runs to its end unless the court deletes it early.
        if performed is None or record.fields["ground"] != "refuses_with_ability":
            continue
        for day in (performed, performed + dt.timedelta(days=later)):
            for subject in world.ids:
                assert record.id not in trigger_records(engine, facts, subject, day), (subject, day)


@SETTINGS
@given(worlds())
def test_a_listing_case_restricts_its_debtor_the_day_before_performance(world: World) -> None:
    """The converse of the above, so that it is not vacuous: before performance it can bite."""
    engine = Engine(BOOK)
    facts = world.facts()
    for record in world.records:
        performed = performed_on(record)
        if performed is None or performed <= record.decided_on:
            continue
        day = performed - dt.timedelta(days=1)
        entries = engine.state(facts, record.subject, day).active_entries
        if any(e.record.id == record.id for e in entries):
            assert record.id in trigger_records(engine, facts, record.subject, day)
