"""The tracker's rating paths, on hand-made tax facts: a grade that changes when a record
leaves its window, and a D that spreads to another firm whose legal representative is the
person directly responsible for the D (cn-tax-credit scenario 17) and ends with its source.
Incremental = full, every day."""

from __future__ import annotations

import datetime as dt

from socialcredit.core.engine import Engine
from socialcredit.core.facts import MemoryFacts, Record, Relation, Subject
from socialcredit.services.packs.rulebook import load_book
from socialcredit.sim.conduct import Journal
from socialcredit.sim.metrics import Metrics
from socialcredit.sim.tracker import Tracker, full_standings

FIRM, OTHER, PERSON = "91110000QQ17T1RACN", "91110000826XYJWNAC", "110105197503137661"
EVALUATED = {"newly_established": False, "no_operating_income": False}


def _records() -> list[Record]:
    def record(n: int, subject: str, category: str, day: dt.date, fields: dict) -> Record:  # type: ignore[type-arg]
        return Record(f"r{n}", subject, category, "sta", f"doc-{n}", day, fields)

    status, deduction = "sta.credit_evaluation_status", "sta.credit_deduction"
    return [
        record(1, FIRM, status, dt.date(2019, 1, 29), EVALUATED),
        record(2, OTHER, status, dt.date(2019, 1, 29), EVALUATED),
        record(
            3,
            FIRM,
            "sta.direct_d_conduct",
            dt.date(2019, 3, 1),
            {
                "conduct": "false_vat_invoices",
                "criminal": False,
                "directly_responsible_person": PERSON,
            },
        ),
        record(4, OTHER, status, dt.date(2020, 1, 29), EVALUATED),
        record(5, OTHER, deduction, dt.date(2020, 6, 1), {"points": 11}),
        record(6, OTHER, status, dt.date(2021, 1, 29), EVALUATED),
        record(7, OTHER, status, dt.date(2022, 1, 29), EVALUATED),
    ]


def test_rating_windows_and_contagion_incremental_equals_full() -> None:
    engine = Engine(load_book(("cn-tax-credit",)))
    facts = MemoryFacts()
    for code in (FIRM, OTHER, PERSON):
        facts.add_subject(Subject.from_code(code))
    for org in (FIRM, OTHER):
        facts.add_relation(Relation(org, "legal_representative", PERSON, dt.date(2016, 5, 1)))
    # the D finding names him as directly responsible (ingestion derives this relation)
    facts.add_relation(Relation(FIRM, "directly_responsible_person", PERSON, dt.date(2019, 3, 1)))
    pending = _records()
    tracker = Tracker(engine, facts)
    other_measures = []
    day = dt.date(2019, 1, 1)
    while day <= dt.date(2023, 6, 30):
        arriving = [r for r in pending if r.decided_on == day]
        facts.extend(arriving)
        tracker.update(day, {r.subject for r in arriving})
        full = full_standings(engine, facts, day)
        expected = {s: (st.entries, set(st.measures)) for s, st in full.items()}
        assert {
            s: (st.entries, set(st.measures)) for s, st in tracker.standings.items()
        } == expected, day
        keys = full[OTHER].measures if OTHER in full else {}
        other_measures.append(any(key[2] == "tax-credit:D" for key in keys))
        day += dt.timedelta(days=1)
    # the other firm was under the D measures by contagion for a while, then not
    assert any(other_measures) and not other_measures[-1]
    assert tracker.evaluations < len(other_measures) * 3


def _wrongful_measures_by_day(wrongful: set[str]) -> dict[dt.date, int]:
    """Live the hand-made tax facts with ``wrongful`` records; the metrics' wrongful
    measures at the end of each day."""
    engine = Engine(load_book(("cn-tax-credit",)))
    facts = MemoryFacts()
    for code in (FIRM, OTHER, PERSON):
        facts.add_subject(Subject.from_code(code))
    facts.add_relation(Relation(FIRM, "legal_representative", PERSON, dt.date(2016, 5, 1)))
    tracker = Tracker(engine, facts)
    metrics = Metrics(engine.book, Journal(wrongful=wrongful))
    pending, found = _records(), {}
    day = dt.date(2019, 1, 1)
    while day <= dt.date(2019, 6, 30):
        arriving = [r for r in pending if r.decided_on == day]
        facts.extend(arriving)
        row = metrics.day(day, tracker.update(day, {r.subject for r in arriving}))
        found[day] = int(row["wrongful_measures"])  # type: ignore[call-overload]
        day += dt.timedelta(days=1)
    return found


def test_measures_of_a_grade_that_rests_on_a_wrongful_record_are_wrongful() -> None:
    """r3 (false VAT invoices) gives FIRM a direct D on 1 March 2019: if r3 named the wrong
    firm, every D measure is wrongful; if only an unrelated record was wrong, none is."""
    wrong = _wrongful_measures_by_day({"r3"})
    assert wrong[dt.date(2019, 2, 28)] == 0
    assert wrong[dt.date(2019, 3, 1)] > 0 and wrong[dt.date(2019, 6, 30)] > 0
    assert set(_wrongful_measures_by_day({"r5"}).values()) == {0}
