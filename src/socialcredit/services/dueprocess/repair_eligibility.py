"""Is a credit repair granted? The packs decide, not this module.

The record is evaluated with the engine's list machinery as if the repair were granted today:
for a category that the pack ``cn-credit-repair`` publishes, with the application written into
the fields that pack reads (``repair_applied_on``, ``credit_commitment_on``, the record's
``performed`` status...); for other categories, with status ``repaired`` (the early deletion of
cn-judgment-defaulters and others). The publication of a list stops where one of the list's
repair removals (a ``removed_when`` that reads those fields) ends the entry by today. A refusal
says why, found by asking the same rules what would have sufficed: the commitment, the
performance of the obligations, or a later application date (the minimum period).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Any

from socialcredit.core.engine.lists import Entry, entries_for
from socialcredit.core.facts import Record, StatusChange, Subject
from socialcredit.core.pack.model import Expression, ListRule, Rulebook
from socialcredit.core.rules import ast

REPAIR_PACK = "cn-credit-repair"
APPLIED, COMMITMENT, PERFORMED, REPAIRED = (
    "repair_applied_on",
    "credit_commitment_on",
    "performed_on",
    "repaired_on",
)
STATEMENTS = ("reorganisation_plan_performing", "harm_removed")
SEARCH_YEARS = 30  # the latest application day the minimum-period search tries


@dataclass(frozen=True)
class Application:
    applied_on: dt.date
    commitment_signed: bool = False
    obligations_performed_on: dt.date | None = None
    statements: dict[str, bool] = field(default_factory=dict)


@dataclass(frozen=True)
class ListOutcome:
    """What the repair does to one list: its publication stops on a day, or it goes on."""

    list_id: str
    pack: str
    stops_on: dt.date | None
    removal: str | None
    reasons: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        stops = self.stops_on.isoformat() if self.stops_on else None
        return {
            "list": self.list_id,
            "pack": self.pack,
            "stops_on": stops,
            "removal": self.removal,
            "reasons": list(self.reasons),
        }


@dataclass(frozen=True)
class Assessment:
    route: str  # "application" (cn-credit-repair) or "status" (status repaired)
    candidate: Record
    lists: list[ListOutcome]
    reasons: list[str]

    @property
    def approved(self) -> bool:
        return any(o.stops_on is not None for o in self.lists)

    @property
    def publication_ends(self) -> dt.date | None:
        return min((o.stops_on for o in self.lists if o.stops_on), default=None)

    def all_reasons(self) -> list[str]:
        return self.reasons + [f"{o.list_id}: {r}" for o in self.lists for r in o.reasons]


def governing(book: Rulebook, record: Record) -> list[ListRule]:
    """The list versions that govern this record (its category, its decision date)."""
    rules = (book.list_rule_for(list_id, record.decided_on) for list_id in book.lists)
    return [r for r in rules if r is not None and r.category == record.category]


def route_for(book: Rulebook, record: Record) -> str:
    types = book.categories[record.category][2]
    by_application = any(r.pack.id == REPAIR_PACK for r in governing(book, record))
    return "application" if by_application and APPLIED in types else "status"


def assess(
    book: Rulebook, subject: Subject, record: Record, application: Application, today: dt.date
) -> Assessment:
    """Evaluate the record as if the repair were granted; ``today`` is the evaluation date."""
    route = route_for(book, record)
    rules = [r for r in governing(book, record) if route == "status" or r.pack.id == REPAIR_PACK]
    if route == "application":
        candidate = with_application(book, record, application, today)
    else:
        candidate = _with_status(record, "repaired", application.applied_on)
    before = _entries(book, subject, record, today)
    after = _entries(book, subject, candidate, today)
    outcomes = []
    for rule in rules:
        entry = before.get(rule.list_id)
        if entry is None or not entry.active_on(today):
            continue
        ids = repair_removals(rule, APPLIED if route == "application" else REPAIRED)
        new = after.get(rule.list_id)
        if new is not None and new.removed_by in ids and new.ends and new.ends <= today:
            outcomes.append(ListOutcome(rule.list_id, rule.pack.id, new.ends, new.removed_by))
            continue
        if route == "application":
            why = _why_not(book, rule, subject, candidate, application, ids)
        else:
            why = _unmet(book, rule, ids)
        outcomes.append(ListOutcome(rule.list_id, rule.pack.id, None, None, tuple(why)))
    reasons = [] if outcomes else [_nothing_to_repair(rules, before, record, today)]
    return Assessment(route, candidate, outcomes, reasons)


def with_application(
    book: Rulebook, record: Record, application: Application, today: dt.date
) -> Record:
    """The record with the application in the fields its category has."""
    types = book.categories[record.category][2]
    fields = {**record.fields, APPLIED: application.applied_on}
    if application.commitment_signed and COMMITMENT in types:
        fields[COMMITMENT] = application.applied_on
    fields.update({k: v for k, v in application.statements.items() if k in types})
    candidate = replace(record, fields=fields)
    performed = application.obligations_performed_on
    if performed is not None and record.view(today)[PERFORMED] is None:
        candidate = _with_status(candidate, "performed", performed)
    return candidate


def repair_removals(rule: ListRule, trigger: str) -> set[str]:
    """The ids of the list's removals that read the repair field (or status) ``trigger``."""
    return {r.id for r, e in rule.removals if _reads(e, rule.alias, trigger)}


def _reads(expression: Expression, alias: str, name: str) -> bool:
    return any(
        isinstance(n, ast.Ref) and n.parts == (alias, name) for n in ast.walk(expression.node)
    )


def _entries(book: Rulebook, subject: Subject, record: Record, as_of: dt.date) -> dict[str, Entry]:
    return {e.list_id: e for e in entries_for(book, subject, [record], as_of)}


def _with_status(record: Record, status: Any, day: dt.date) -> Record:
    history = tuple(sorted((*record.history, StatusChange(status, day)), key=lambda c: c.on))
    return replace(record, history=history)


def _why_not(
    book: Rulebook,
    rule: ListRule,
    subject: Subject,
    candidate: Record,
    application: Application,
    ids: set[str],
) -> list[str]:
    """Why the repair removals do not fire: each condition the applicant can meet, checked by
    meeting it and evaluating again; the rest is the record's own conditions."""
    removals = [(r, e) for r, e in rule.removals if r.id in ids]
    basis = "; ".join(book.cite(rule.pack, r.legal_basis).text for r, _ in removals)
    reads = {
        n for n in (COMMITMENT, PERFORMED) if any(_reads(e, rule.alias, n) for _, e in removals)
    }
    reasons = []
    if COMMITMENT in reads and candidate.fields.get(COMMITMENT) is None:
        reasons.append(f"no credit commitment: a public credit commitment is a condition ({basis})")
    earliest = _earliest(book, rule, subject, candidate, ids)
    performed = candidate.view(dt.date.max)[PERFORMED] is not None
    if PERFORMED in reads and not performed and earliest is not None:
        day = max(earliest, application.applied_on)
        if not _fires(book, rule, subject, _ideal(candidate, day, performed=False), day, ids):
            reasons.append(f"obligations not performed: performing them is a condition ({basis})")
    if earliest is None:
        sources = "; ".join(" ".join(e.source.split()) for _, e in removals) or "none"
        reasons.append(f"the record does not meet the conditions of the list ({basis}): {sources}")
    elif earliest > application.applied_on:
        reasons.append(
            f"minimum publication period not served: a repair may be applied for from "
            f"{earliest.isoformat()} ({basis})"
        )
    return reasons or [f"the conditions of the repair are not met ({basis})"]


def _unmet(book: Rulebook, rule: ListRule, ids: set[str]) -> list[str]:
    if not ids:
        return ["no removal of this list ends an entry on a repair (status repaired)"]
    removals = [(r, e) for r, e in rule.removals if r.id in ids]
    return [
        f"removal {r.id} does not end the entry by today "
        f"({book.cite(rule.pack, r.legal_basis).text}): {' '.join(e.source.split())}"
        for r, e in removals
    ]


def _ideal(record: Record, day: dt.date, performed: bool) -> Record:
    """The record applied for on ``day`` with a commitment, and performed if ``performed``."""
    ideal = replace(record, fields={**record.fields, APPLIED: day, COMMITMENT: day})
    if performed and ideal.view(dt.date.max)[PERFORMED] is None:
        ideal = _with_status(ideal, "performed", record.decided_on)
    return ideal


def _fires(
    book: Rulebook, rule: ListRule, subject: Subject, record: Record, day: dt.date, ids: set[str]
) -> bool:
    entry = _entries(book, subject, record, day).get(rule.list_id)
    return entry is not None and entry.removed_by in ids


def _earliest(
    book: Rulebook,
    rule: ListRule,
    subject: Subject,
    record: Record,
    ids: set[str],
) -> dt.date | None:
    """The first application day on which the repair removals fire, every other condition the
    applicant controls being met; None when none does (the record's own conditions fail)."""
    low = record.decided_on
    high = low + dt.timedelta(days=min(366 * SEARCH_YEARS, (dt.date.max - low).days))

    def fires(day: dt.date) -> bool:
        return _fires(book, rule, subject, _ideal(record, day, performed=True), high, ids)

    if not fires(high):
        return None
    while low < high:
        middle = low + (high - low) // 2
        if fires(middle):
            high = middle
        else:
            low = middle + dt.timedelta(days=1)
    return low


def _nothing_to_repair(
    rules: list[ListRule], before: dict[str, Entry], record: Record, today: dt.date
) -> str:
    if not rules:
        return f"no list of the loaded packs governs a record of {record.category}"
    states = []
    for rule in rules:
        entry = before.get(rule.list_id)
        if entry is None:
            states.append(f"{rule.list_id}: the record makes no entry")
        elif entry.starts > today:
            states.append(f"{rule.list_id}: starts on {entry.starts.isoformat()}")
        else:
            ends = entry.ends.isoformat() if entry.ends else "?"
            states.append(f"{rule.list_id}: ended on {ends}")
    return (
        "nothing to repair: the record puts the subject on no list today ("
        + "; ".join(states)
        + ")"
    )
