"""The simulated nation: persons and organisations from the synthetic-nation generator, and
the facts the engine reads (subjects, records, relations), grown as conduct happens.

Persons are drawn on first reference (``socialcredit.synth.people``); organisations are all
registered at the start, evenly from 2000 to the end of the run. An organisation enters the
facts, with its officers as relations, when it first gets a record.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import random

from socialcredit.core.facts import MemoryFacts, Record, Relation, StatusChange, Subject
from socialcredit.synth.names import Names
from socialcredit.synth.orgs import Organisation, Registry
from socialcredit.synth.people import Person, Population

ADULT_AGE = 18
MAX_DRAWS = 1_000
# The officer positions of an organisation, as relation roles the packs' measures target.
OFFICER_ROLES = ("legal_representative", "principal", "actual_controller")


def stream(seed: int, concern: str) -> random.Random:
    """An independent random stream for one concern of one run."""
    return random.Random(f"socialcredit.sim/{seed}/{concern}")


class Nation:
    """Persons, organisations and the engine's facts about them."""

    def __init__(self, persons: int, orgs: int, seed: int, start: dt.date, end: dt.date) -> None:
        names = Names(seed)
        self.population = Population(persons, start, stream(seed, "persons"), names)
        registry = Registry(orgs, end, self.population, names, stream(seed, "orgs"))
        self.organisations = [registry.organisation(i) for i in range(orgs)]
        self.facts = MemoryFacts()
        self._where: dict[str, tuple[str, int]] = {}
        self._org_index = {o.code: o for o in self.organisations}
        self._registered = [o.registered_on for o in self.organisations]

    def adult(self, rng: random.Random, day: dt.date) -> Person | None:
        """A person of age on ``day``, drawn uniformly with ``rng`` (None if none is found)."""
        for _ in range(MAX_DRAWS):
            person = self.population.person(rng.randrange(self.population.size))
            if person.age_on(day) >= ADULT_AGE:
                return person
        return None

    def organisation(self, rng: random.Random, day: dt.date) -> Organisation | None:
        """An organisation registered at least 90 days before ``day``, drawn uniformly."""
        count = bisect.bisect_right(self._registered, day - dt.timedelta(days=90))
        return self.organisations[rng.randrange(count)] if count else None

    def enter_person(self, person: Person) -> str:
        if person.code not in self.facts.subjects:
            name = person.surname + person.name
            self.facts.add_subject(Subject.from_code(person.code, name))
        return person.code

    def enter_org(self, org: Organisation) -> str:
        """Put the organisation and its officers into the facts (once)."""
        if org.code in self.facts.subjects:
            return org.code
        self.facts.add_subject(Subject.from_code(org.code, org.name))
        officers = (org.legal_representative, org.principal, org.actual_controller)
        for role, person in zip(OFFICER_ROLES, officers, strict=True):
            if person is not None:
                self.enter_person(person)
                self.facts.add_relation(Relation(org.code, role, person.code, org.registered_on))
        return org.code

    def officers(self, org_code: str) -> list[str]:
        """The persons holding a position in the organisation, in role order."""
        return [r.person for r in self.facts.officers_of(org_code)]

    def org(self, code: str) -> Organisation | None:
        return self._org_index.get(code)

    def add_record(self, record: Record) -> None:
        records = self.facts.records[record.subject]
        self._where[record.id] = (record.subject, len(records))
        records.append(record)

    def record(self, record_id: str) -> Record:
        subject, index = self._where[record_id]
        return self.facts.records[subject][index]

    def change_status(self, record_id: str, status: str, day: dt.date) -> Record:
        """Add a status change to the record's history (a later known fact)."""
        record = self.record(record_id)
        change = StatusChange(status, day)  # type: ignore[arg-type]
        return self._replace(record, history=(*record.history, change))

    def set_fields(self, record_id: str, **values: object) -> Record:
        """Correct fields of the record, as the agency's resubmission does."""
        record = self.record(record_id)
        return self._replace(record, fields={**record.fields, **values})

    def _replace(self, record: Record, **changes: object) -> Record:
        subject, index = self._where[record.id]
        new = dataclasses.replace(record, **changes)  # type: ignore[arg-type]
        self.facts.records[subject][index] = new
        return new
