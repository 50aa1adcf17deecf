"""Decisions: "may subject S do action A on date D?", with the reasons down to the law.

Precedence: the most restrictive effect of the measures in force wins, in the order
deny > restrict > scrutinise > reward > allow. When several measures share the winning
effect, all of them determine the decision (``determining`` is true on each); the decision
stays until the last of them ends. Measures with a weaker effect are still listed as reasons,
with ``determining`` false, so that nothing that applies is hidden.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Any

from socialcredit.core.engine.lists import Entry, entries_for
from socialcredit.core.engine.measures import AppliedMeasure, Trigger, measures_on, started_by
from socialcredit.core.engine.ratings import Rating, ratings_for
from socialcredit.core.engine.sources import merged
from socialcredit.core.errors import UnknownAction
from socialcredit.core.facts import MemoryFacts, Record, Relation
from socialcredit.core.pack.model import Rulebook
from socialcredit.core.pack.wording import PublicWording

EFFECT_ORDER = ("allow", "reward", "scrutinise", "restrict", "deny")


@dataclass(frozen=True)
class Reason:
    """One measure that applies to the action, and the chain that explains it."""

    applied: AppliedMeasure
    determining: bool
    explanation: dict[str, Any]

    @property
    def effect(self) -> str:
        return self.applied.measure.effect


@dataclass(frozen=True)
class Decision:
    subject: str
    action: str
    as_of: dt.date
    effect: str
    reasons: tuple[Reason, ...]
    revisions: dict[str, str] = field(default_factory=dict)

    @property
    def until(self) -> dt.date | None:
        """When the effect lifts (the last determining measure ends); None if open-ended."""
        ends = [r.applied.ends for r in self.reasons if r.determining]
        return None if not ends or None in ends else max(e for e in ends if e is not None)

    def as_dict(self) -> dict[str, Any]:
        until = self.until
        return {
            "subject": self.subject,
            "action": self.action,
            "as_of": self.as_of.isoformat(),
            "effect": self.effect,
            "until": until.isoformat() if until else None,
            "reasons": merged(
                {"determining": r.determining, **r.explanation} for r in self.reasons
            ),
            "pack_revisions": self.revisions,
        }


@dataclass(frozen=True)
class SubjectState:
    """A subject's standing on a date: its entries, ratings and the measures in force."""

    subject: str
    as_of: dt.date
    entries: list[Entry]
    ratings: list[Rating]
    measures: list[AppliedMeasure]

    @property
    def active_entries(self) -> list[Entry]:
        return [e for e in self.entries if e.active_on(self.as_of)]


class Engine:
    """The reference evaluator over a rulebook and the facts of a subject."""

    def __init__(self, book: Rulebook) -> None:
        self.book = book

    def own_triggers(
        self, facts: MemoryFacts, subject_id: str, as_of: dt.date
    ) -> tuple[list[Entry], list[Rating]]:
        subject = facts.subject(subject_id)
        records = facts.records_of(subject_id)
        entries = entries_for(self.book, subject, records, as_of)
        ratings = ratings_for(self.book, subject, records, as_of) if self.book.ratings else []
        return entries, ratings

    def triggers(
        self, facts: MemoryFacts, subject_id: str, as_of: dt.date
    ) -> tuple[list[Entry], list[Rating]]:
        """The subject's list entries and ratings, contagion included."""
        entries, ratings = self.own_triggers(facts, subject_id, as_of)
        ratings = [self._contagion(facts, r, as_of) for r in ratings]
        return entries, ratings

    def _contagion(self, facts: MemoryFacts, rating: Rating, as_of: dt.date) -> Rating:
        """A grade taken from another organisation through a person: he holds one of the
        rule's ``to_roles`` here and one of its ``from_roles`` there, both on ``as_of``."""
        for rule in rating.rule.version.contagion:
            if rating.grade == rule.grade:
                return rating
            for officer in facts.officers_of(rating.subject):
                if officer.role not in rule.target_roles or not officer.holds_on(as_of):
                    continue
                for other in facts.roles_of(officer.person):
                    if other.org == rating.subject or other.role not in rule.source_roles:
                        continue
                    if not other.holds_on(as_of):
                        continue
                    source = self._graded(facts, other.org, rating, rule.from_grades)
                    if source is None:
                        continue
                    if rule.started_after_grade and not _began_after(officer, source):
                        continue
                    how = (rule.id, other.org, officer.person)
                    return replace(rating, grade=rule.grade, contagion_from=how)
        return rating

    def _graded(
        self, facts: MemoryFacts, org: str, rating: Rating, grades: list[str]
    ) -> Rating | None:
        subject = facts.subject(org)
        own = ratings_for(self.book, subject, facts.records_of(org), rating.as_of)
        return next((r for r in own if r.rating_id == rating.rating_id and r.grade in grades), None)

    def state(self, facts: MemoryFacts, subject_id: str, as_of: dt.date) -> SubjectState:
        entries, ratings = self.triggers(facts, subject_id, as_of)
        related: list[tuple[Relation, list[Trigger]]] = []
        for relation in facts.roles_of(subject_id):
            if started_by(relation, as_of):
                org_entries, org_ratings = self.triggers(facts, relation.org, as_of)
                related.append((relation, [*org_entries, *org_ratings]))
        own: list[Trigger] = [*entries, *ratings]
        measures = measures_on(self.book, facts.subject(subject_id), as_of, own, related)
        return SubjectState(subject_id, as_of, entries, ratings, measures)

    def decide(self, facts: MemoryFacts, subject_id: str, action: str, as_of: dt.date) -> Decision:
        """The effect of every measure in force that governs ``action``, most restrictive first."""
        if action not in self.book.actions:
            raise UnknownAction(action, sorted(self.book.actions))
        state = self.state(facts, subject_id, as_of)
        return self.decision_from(state, action)

    def decision_from(self, state: SubjectState, action: str) -> Decision:
        relevant = [m for m in state.measures if action in m.measure.actions]
        relevant.sort(
            key=lambda m: (
                -EFFECT_ORDER.index(m.measure.effect),
                m.memorandum.memorandum_id,
                m.measure.id,
            )
        )
        effect = relevant[0].measure.effect if relevant else "allow"
        reasons = tuple(Reason(m, m.measure.effect == effect, self.explain(m)) for m in relevant)
        return Decision(state.subject, action, state.as_of, effect, reasons, self.book.revisions())

    def explain(self, applied: AppliedMeasure) -> dict[str, Any]:
        """The chain measure -> memorandum -> list entry or rating -> records -> provisions."""
        memo, measure, pack = applied.memorandum, applied.measure, applied.memorandum.pack
        return {
            "effect": measure.effect,
            "measure": measure.id,
            "description": measure.description,
            "public": measure.public.filled() if measure.public else None,
            "agency": measure.agency,
            "domain": measure.domain,
            "target": applied.target,
            "via": applied.via.org if applied.via else None,
            "starts": applied.starts.isoformat(),
            "until": applied.ends.isoformat() if applied.ends else None,
            "legal_basis": self.book.cite(pack, measure.legal_basis).as_dict(),
            "confidence": measure.confidence,
            "memorandum": {
                "id": memo.memorandum_id,
                "title": memo.spec.title,
                "pack": pack.id,
                "source": self.book.cite(pack, memo.spec.source).as_dict(),
            },
            "trigger": self._explain_trigger(applied.trigger),
        }

    def _explain_trigger(self, trigger: Trigger) -> dict[str, Any]:
        if isinstance(trigger, Entry):
            return explain_entry(self.book, trigger)
        return explain_rating(self.book, trigger)


def explain_entry(book: Rulebook, entry: Entry) -> dict[str, Any]:
    rule = entry.rule
    ends = entry.ends
    return {
        "kind": "list_entry",
        "list": entry.list_id,
        "title": rule.definition.title,
        "subject": entry.subject,
        "rule_version": rule.version.in_force.isoformat(),
        "pack": rule.pack.id,
        "reason": entry.reason,
        "public": _public(entry, entry.rule.version.public),
        "public_period": _public(entry, entry.rule.version.public_period),
        "public_way_off": _public(entry, entry.rule.version.public_way_off),
        "starts": entry.starts.isoformat(),
        "planned_end": entry.planned_end.isoformat() if entry.planned_end else None,
        "ends": ends.isoformat() if ends else None,
        "removed_by": entry.removed_by,
        "legal_basis": book.cite(rule.pack, rule.version.legal_basis).as_dict(),
        "confidence": rule.version.confidence,
        "records": [explain_record(book, entry.record)],
    }


def _public(entry: Entry, wording: PublicWording | None) -> dict[str, str] | None:
    """A public wording of the list version, filled from the record behind the entry."""
    if wording is None:
        return None
    return wording.filled({entry.rule.alias: entry.record.view(entry.starts)})


def explain_record(book: Rulebook, record: Record) -> dict[str, Any]:
    pack, category, _ = book.categories[record.category]
    return {
        "id": record.id,
        "category": record.category,
        "agency": record.agency,
        "doc_no": record.doc_no,
        "decided_on": record.decided_on.isoformat(),
        "legal_basis": book.cite(pack, category.legal_basis).as_dict(),
    }


def graded_since(rating: Rating) -> dt.date:
    """The day a grade was given: the direct grade's record, else the latest record that
    moved the score (the score reached its band no later than that day)."""
    if rating.direct_by is not None:
        return rating.direct_by[1].decided_on
    dates = [r.decided_on for r in rating.records]
    return max(dates) if dates else rating.as_of


def _began_after(relation: Relation, source: Rating) -> bool:
    """A role that began on or after the day ``source`` was graded (unknown start: no)."""
    return relation.since is not None and relation.since >= graded_since(source)


def explain_rating(book: Rulebook, rating: Rating) -> dict[str, Any]:
    rule = rating.rule
    contagion = rating.contagion_from
    return {
        "kind": "rating",
        "rating": rating.rating_id,
        "title": rule.definition.title,
        "subject": rating.subject,
        "grade": rating.grade,
        "score": rating.score,
        "rule_version": rule.version.in_force.isoformat(),
        "pack": rule.pack.id,
        "direct_by": rating.direct_by[0] if rating.direct_by else None,
        "capped_by": rating.capped_by[0] if rating.capped_by else None,
        "after_band": [
            {"id": h.id, "on": h.on.isoformat(), "score": h.score, "points": h.points}
            for h in rating.after_band
        ],
        "contagion": {"rule": contagion[0], "from": contagion[1], "through": contagion[2]}
        if contagion
        else None,
        "contributions": [
            {"id": c.id, "points": c.points, "record": c.record.id} for c in rating.contributions
        ],
        "legal_basis": book.cite(rule.pack, rule.version.legal_basis).as_dict(),
        "records": [explain_record(book, r) for r in rating.records],
    }
