"""Conflicts: one subject, one action, one day, and two rules that give it different effects.

For each pair of measures in force that govern the same action with different effects, the
auditor looks for a subject that both rules reach: boundary cases of each trigger are run
through the real engine until one puts the subject on the list (or gives it the grade).
The pair is a conflict only if the combined records make the engine apply both measures;
the witness is then written as a scenario (DESIGN.md section 5) and checked with the same
runner as ``socialcredit packs test``, expecting the effect the engine's precedence gives.
A reward against a sanction is a medium finding; two sanctions of different strength (the
stronger wins) a low one.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from socialcredit.core.auditor.findings import LOW, MEDIUM, Finding
from socialcredit.core.auditor.scope import MeasureItem, book_measures
from socialcredit.core.auditor.witness import (
    find_witness,
    scenario_record,
    trigger_kinds,
    witness_subjects,
)
from socialcredit.core.engine import Engine
from socialcredit.core.errors import SocialCreditError
from socialcredit.core.facts import MemoryFacts, Record, Subject
from socialcredit.core.pack.model import Rulebook
from socialcredit.core.pack.schema import Trigger
from socialcredit.core.scenarios import Scenario, run_scenario


class WitnessError(SocialCreditError):
    """A witness scenario that the scenario runner does not pass: a bug to report."""


@dataclass(frozen=True)
class Conflict:
    """Two measures giving different effects to one action for one subject on one day."""

    action: str
    first: MeasureItem
    second: MeasureItem
    effect: str
    scenario: dict[str, Any]

    @property
    def packs(self) -> list[str]:
        return sorted({self.first.pack.id, self.second.pack.id})

    def as_dict(self) -> dict[str, Any]:
        return {
            "action": self.action,
            "measures": [
                {
                    "measure": m.key,
                    "pack": m.pack.id,
                    "effect": m.measure.effect,
                    "trigger": m.trigger_name,
                }
                for m in (self.first, self.second)
            ],
            "decided_effect": self.effect,
            "witness": self.scenario,
        }

    @property
    def contradictory(self) -> bool:
        """A reward against a sanction; otherwise two sanctions of different strength."""
        effects = {self.first.measure.effect, self.second.measure.effect}
        return "reward" in effects and bool(effects & {"deny", "restrict"})

    def finding(self, pack: str) -> Finding:
        """The conflict as a finding of ``pack``: one of the packs involved (the text names
        the others it is shared with), or all of them joined by " + " (the one finding that
        the audit's totals count)."""
        first, second = self.first, self.second
        others = [p for p in self.packs if p != pack] if pack in self.packs else []
        shared = f" Shared with {', '.join(others)}: counted once in the totals." if others else ""
        return Finding(
            pack,
            "conflicts",
            MEDIUM if self.contradictory else LOW,
            f"{self.action}: {first.key} / {second.key}",
            f"'{self.action}': '{first.key}' says {first.measure.effect} (on "
            f"{first.trigger_name}) and '{second.key}' says {second.measure.effect} (on "
            f"{second.trigger_name}) for the same subject on the same day; the engine "
            f"decides {self.effect}. Witness scenario: {self.scenario['name']}.{shared}",
        )


def find_conflicts(book: Rulebook, day: dt.date) -> list[Conflict]:
    """Every pair of measures in force that conflict, each with a verified witness."""
    by_action: dict[str, list[MeasureItem]] = defaultdict(list)
    for item in book_measures(book, day):
        if "subject" in item.measure.targets:
            for action in item.measure.actions:
                by_action[action].append(item)
    search = _WitnessSearch(book, day)
    found = []
    for action, items in sorted(by_action.items()):
        for first, second in itertools.combinations(items, 2):
            if first.measure.effect == second.measure.effect or _exclusive(first, second):
                continue
            conflict = search.conflict(action, first, second)
            if conflict is not None:
                found.append(conflict)
    return found


def _exclusive(first: MeasureItem, second: MeasureItem) -> bool:
    """Two grades of one rating never hold together."""
    a, b = first.memo.spec.trigger, second.memo.spec.trigger
    return a.rating is not None and a.rating == b.rating and not set(a.grades) & set(b.grades)


class _WitnessSearch:
    """Finds (and remembers) the records behind each trigger, then checks the pair."""

    def __init__(self, book: Rulebook, day: dt.date) -> None:
        self.book, self.day, self.engine = book, day, Engine(book)
        self.cache: dict[tuple[str, str], list[Record] | None] = {}

    def records(self, trigger: Trigger, subject: Subject) -> list[Record] | None:
        """The witness records of a trigger for a subject kind (searched once)."""
        key = (repr(trigger), subject.kind)
        if key not in self.cache:
            self.cache[key] = find_witness(self.book, trigger, subject, self.day)
        return self.cache[key]

    def conflict(self, action: str, first: MeasureItem, second: MeasureItem) -> Conflict | None:
        """The pair as a verified conflict, or None if no subject is reached by both."""
        a, b = first.memo.spec.trigger, second.memo.spec.trigger
        kinds = [k for k in trigger_kinds(self.book, a) if k in trigger_kinds(self.book, b)]
        for subject in witness_subjects(kinds):
            records_a, records_b = self.records(a, subject), self.records(b, subject)
            if records_a is None or records_b is None:
                continue
            records = _renumbered([*records_a, *(r for r in records_b if r not in records_a)])
            effect = self._both_apply(subject, records, action, first, second)
            if effect is not None:
                scenario = self._scenario(action, first, second, subject, records, effect)
                return Conflict(action, first, second, effect, scenario)
        return None

    def _both_apply(
        self,
        subject: Subject,
        records: list[Record],
        action: str,
        first: MeasureItem,
        second: MeasureItem,
    ) -> str | None:
        facts = MemoryFacts()
        facts.add_subject(subject)
        facts.extend(records)
        decision = self.engine.decide(facts, subject.id, action, self.day)
        applied = {
            (r.applied.memorandum.memorandum_id, r.applied.measure.id) for r in decision.reasons
        }
        wanted = {(m.memo.memorandum_id, m.measure.id) for m in (first, second)}
        return decision.effect if wanted <= applied else None

    def _scenario(
        self,
        action: str,
        first: MeasureItem,
        second: MeasureItem,
        subject: Subject,
        records: list[Record],
        effect: str,
    ) -> dict[str, Any]:
        packs = {first.pack.id, second.pack.id, *_list_packs(self.book, first, second)}
        data: dict[str, Any] = {
            "name": f"conflict on {action}: {first.key} ({first.measure.effect}) and "
            f"{second.key} ({second.measure.effect})",
            "notes": "Written by socialcredit audit: both measures apply to this subject on "
            f"this day; the engine's precedence gives {effect}.",
            "packs": sorted(packs),
            "as_of": self.day,
            "subjects": [{"id": subject.id, "kind": subject.kind, "name": subject.name}],
            "records": [scenario_record(r) for r in records],
            "expect": {"decisions": [{"subject": subject.id, "action": action, "effect": effect}]},
        }
        scenario = Scenario(Path("witness.yaml"), data["name"], tuple(packs), self.day, data)
        failures = run_scenario(self.book, scenario)
        if failures:
            name = data["name"]
            raise WitnessError(f"the witness of {name!r} fails its own scenario: {failures}")
        return data


def _list_packs(book: Rulebook, *items: MeasureItem) -> list[str]:
    """The packs that define the triggers of the measures."""
    packs = []
    for item in items:
        trigger = item.memo.spec.trigger
        if trigger.list_id is not None:
            packs.append(book.lists[trigger.list_id][0].pack.id)
        elif trigger.rating is not None:
            packs.append(book.ratings[trigger.rating][0].pack.id)
    return packs


def _renumbered(records: list[Record]) -> list[Record]:
    return [
        dataclasses.replace(r, id=f"audit-{n}", doc_no=f"audit-{n}")
        for n, r in enumerate(records, start=1)
    ]
