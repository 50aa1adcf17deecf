"""The facts the engine reasons about: subjects, their records and their relations.

``MemoryFacts`` holds them in dictionaries; the store loads a subject's facts into one.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from socialcredit.core.identifiers import SubjectKind, parse_id

RecordStatus = Literal["active", "performed", "revoked", "corrected", "expired", "repaired"]
STATUSES: tuple[RecordStatus, ...] = (
    "active",
    "performed",
    "revoked",
    "corrected",
    "expired",
    "repaired",
)
# Fields every record has, besides its category's: a rule may use them all.
BUILTIN_RECORD_FIELDS = (
    "subject",
    "category",
    "agency",
    "doc_no",
    "decided_on",
    "status",
    *(f"{s}_on" for s in STATUSES if s != "active"),
)
SUBJECT_FIELDS = ("id", "kind", "name", "birth_date", "region")


@dataclass(frozen=True, slots=True)
class Subject:
    """A natural person or an organisation, keyed by its identity number."""

    id: str
    kind: SubjectKind
    name: str | None = None
    birth_date: dt.date | None = None
    region: str | None = None

    @classmethod
    def from_code(cls, code: str, name: str | None = None) -> Subject:
        """Build a subject from its identity number; raise InvalidIdentifier if invalid."""
        identifier = parse_id(code)
        kind, birth, region = identifier.kind, identifier.birth_date, identifier.region
        return cls(identifier.code, kind, name, birth, region)

    def view(self) -> dict[str, Any]:
        """The subject as rules see it (``subject.kind``, ``subject.birth_date``...)."""
        return {field: getattr(self, field) for field in SUBJECT_FIELDS}


@dataclass(frozen=True, slots=True)
class StatusChange:
    status: RecordStatus
    on: dt.date


@dataclass(frozen=True, slots=True)
class Record:
    """One credit fact about a subject from one agency, with its status history."""

    id: str
    subject: str
    category: str
    agency: str
    doc_no: str
    decided_on: dt.date
    fields: dict[str, Any]
    history: tuple[StatusChange, ...] = ()

    def status_on(self, day: dt.date) -> RecordStatus:
        changes = [c for c in self.history if c.on <= day]
        return changes[-1].status if changes else "active"

    def view(self, as_of: dt.date) -> dict[str, Any]:
        """The record as rules see it on ``as_of``: later status changes are not yet known."""
        known = [c for c in self.history if c.on <= as_of]
        view = {
            **self.fields,
            "subject": self.subject,
            "category": self.category,
            "agency": self.agency,
            "doc_no": self.doc_no,
            "decided_on": self.decided_on,
            "status": known[-1].status if known else "active",
        }
        for status in STATUSES[1:]:
            view[f"{status}_on"] = next((c.on for c in known if c.status == status), None)
        return view


@dataclass(frozen=True, slots=True)
class Relation:
    """``person`` holds ``role`` in organisation ``org`` from ``since`` until ``until``."""

    org: str
    role: str
    person: str
    since: dt.date | None = None
    until: dt.date | None = None

    def holds_on(self, day: dt.date) -> bool:
        started = self.since is None or self.since <= day
        return started and (self.until is None or day < self.until)


@dataclass
class MemoryFacts:
    """Subjects, records and relations in memory, indexed for the engine."""

    subjects: dict[str, Subject] = field(default_factory=dict)
    records: dict[str, list[Record]] = field(default_factory=lambda: defaultdict(list))
    relations: dict[str, list[Relation]] = field(default_factory=lambda: defaultdict(list))
    officers: dict[str, list[Relation]] = field(default_factory=lambda: defaultdict(list))

    def add_subject(self, subject: Subject) -> None:
        self.subjects[subject.id] = subject

    def add_record(self, record: Record) -> None:
        self.records[record.subject].append(record)

    def add_relation(self, relation: Relation) -> None:
        self.relations[relation.person].append(relation)
        self.officers[relation.org].append(relation)

    def extend(self, records: Iterable[Record] = (), relations: Iterable[Relation] = ()) -> None:
        for record in records:
            self.add_record(record)
        for relation in relations:
            self.add_relation(relation)

    def subject(self, subject_id: str) -> Subject:
        """The subject; one never seen is built from its identity number."""
        known = self.subjects.get(subject_id)
        return known if known is not None else Subject.from_code(subject_id)

    def records_of(self, subject_id: str) -> list[Record]:
        return self.records.get(subject_id, [])

    def roles_of(self, person_id: str) -> list[Relation]:
        """The positions ``person_id`` holds in organisations."""
        return self.relations.get(person_id, [])

    def officers_of(self, org_id: str) -> list[Relation]:
        """The positions held in organisation ``org_id``."""
        return self.officers.get(org_id, [])
