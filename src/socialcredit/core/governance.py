"""What governing packs find in the packs they govern, as of a date.

A governing pack (one with ``governs:``, see ``core.pack.governs``) reaches every other
loaded pack of its jurisdictions. On a given day it finds:

- ``category_outside_catalogue``: a category no item of the catalogue in force maps;
- ``measure_outside_penalty_list``: a measure in force (not a reward) no item of the
  penalty list in force covers;
- ``severe_list_basis`` / ``severe_list_field`` / ``severe_list_due_process``: a list marked
  severe whose criteria rest on a level of source the rules do not accept, whose field of
  conduct is not a permitted one, or which lacks a required due-process step;
- ``compelled_measure``: a measure that denies or restricts, applied by an agency that may
  not be compelled (financial institutions, credit-service firms, associations, media).

Before the first edition (or severe-list rules) comes into force there is nothing to find.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from socialcredit.core.pack.governs import (
    Edition,
    Governs,
    ListGovernance,
    NotCompelled,
    RequiredStep,
    SevereListRules,
)
from socialcredit.core.pack.model import Pack, Rulebook

CATALOGUE_KINDS = ("category_outside_catalogue", "measure_outside_penalty_list")
PENALTIES = ("deny", "restrict", "scrutinise")


@dataclass(frozen=True)
class GovernanceFinding:
    """One rule of a governing pack that a governed pack breaks on a date."""

    kind: str
    pack: str  # the governed pack
    item: str  # the category, measure (memorandum/measure) or list
    text: str
    governing_pack: str
    edition: str  # the edition, or the in-force date of the severe-list rules
    legal_basis: str  # the governing rule's provision, resolved to its source's title
    confidence: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "pack": self.pack,
            "item": self.item,
            "text": self.text,
            "governing_pack": self.governing_pack,
            "edition": self.edition,
            "legal_basis": self.legal_basis,
            "confidence": self.confidence,
        }


def governing_packs(book: Rulebook) -> list[tuple[Pack, Governs]]:
    """The loaded packs that govern others, with their rules."""
    return [(p, p.spec.governs) for p in book.packs.values() if p.spec.governs is not None]


def governance_findings(book: Rulebook, day: dt.date) -> list[GovernanceFinding]:
    """Every rule of every loaded governing pack that a loaded pack breaks on ``day``."""
    found: list[GovernanceFinding] = []
    for governing, rules in governing_packs(book):
        governed = [p for p in book.packs.values() if _governed(rules, p)]
        edition = rules.edition_on(day)
        severe = rules.severe_rules_on(day)
        for pack in governed:
            if edition is not None:
                found += _outside_catalogue(book, governing, edition, pack)
                found += _outside_penalty_list(book, governing, edition, pack, day)
            if severe is not None:
                found += _severe_lists(book, governing, severe, pack, day)
                found += _compelled(book, governing, severe, pack, day)
    return found


def _governed(rules: Governs, pack: Pack) -> bool:
    """Whether the rules reach the pack: its jurisdiction is one of theirs or within one
    (``CN-37`` is within ``CN``), it governs nothing itself, and is not put outside."""
    place = pack.spec.jurisdiction
    within = any(place == j or place.startswith(f"{j}-") for j in rules.jurisdictions)
    return within and pack.spec.governs is None and pack.id not in rules.outside_scope


Sourced = Edition | SevereListRules | RequiredStep | NotCompelled


def _finding(
    book: Rulebook,
    governing: Pack,
    rule: Edition | SevereListRules,
    by: Sourced | None = None,
    **fields: str,
) -> GovernanceFinding:
    """A finding of ``rule`` (an edition or a set of severe-list rules), citing the part of
    it that is broken (``by``, the rule itself by default)."""
    edition = rule.edition if isinstance(rule, Edition) else rule.in_force.isoformat()
    cited = by or rule
    return GovernanceFinding(
        governing_pack=governing.id,
        edition=edition,
        legal_basis=book.cite(governing, cited.legal_basis).text,
        confidence=cited.confidence,
        **fields,
    )


def _outside_catalogue(
    book: Rulebook, governing: Pack, edition: Edition, pack: Pack
) -> list[GovernanceFinding]:
    if edition.catalogue is None:
        return []
    mapped = {c for item in edition.catalogue for c in item.categories}
    return [
        _finding(
            book,
            governing,
            edition,
            kind="category_outside_catalogue",
            pack=pack.id,
            item=category,
            text=f"category {category} is in no item of the {edition.edition} catalogue",
        )
        for category in pack.spec.catalog
        if category not in mapped
    ]


def _measures_in_force(book: Rulebook, pack: Pack, day: dt.date) -> list[tuple[str, Any]]:
    """(memorandum/measure, measure) of the pack's memoranda in force on ``day``."""
    return [
        (f"{memo.memorandum_id}/{measure.id}", measure)
        for memo in book.memoranda
        if memo.pack.id == pack.id and memo.spec.in_force_on(day)
        for measure in memo.spec.measures
        if (measure.in_force is None or measure.in_force <= day)
        and (measure.until is None or day < measure.until)
    ]


def _outside_penalty_list(
    book: Rulebook, governing: Pack, edition: Edition, pack: Pack, day: dt.date
) -> list[GovernanceFinding]:
    if edition.penalty_list is None:
        return []
    items = edition.penalty_list
    return [
        _finding(
            book,
            governing,
            edition,
            kind="measure_outside_penalty_list",
            pack=pack.id,
            item=key,
            text=f"measure {key} ({measure.effect}, {measure.domain}) is in no item of the "
            f"{edition.edition} penalty list",
        )
        for key, measure in _measures_in_force(book, pack, day)
        if measure.effect in PENALTIES
        and not any(i.covers(key, measure.domain, measure.effect) for i in items)
    ]


def _severe_lists(
    book: Rulebook, governing: Pack, rules: SevereListRules, pack: Pack, day: dt.date
) -> list[GovernanceFinding]:
    found = []
    for list_id, definition in pack.spec.lists.items():
        marked = definition.governance
        rule = book.list_rule_for(list_id, day)
        if marked is None or marked.severity != "severe" or rule is None:
            continue
        offered: set[str] = {step.kind for step in rule.version.due_process}
        found += [
            _finding(
                book,
                governing,
                rules,
                by,
                kind=kind,
                pack=pack.id,
                item=list_id,
                text=f"severe list {list_id} {words}",
            )
            for kind, words, by in _severe_problems(marked, rules, offered)
        ]
    return found


def _severe_problems(
    marked: ListGovernance, rules: SevereListRules, offered: set[str]
) -> list[tuple[str, str, Sourced]]:
    """(kind, words, the rule broken) of each way a severe list breaks the rules."""
    problems: list[tuple[str, str, Sourced]] = []
    if marked.basis_level not in rules.basis_levels:
        accepted = ", ".join(rules.basis_levels)
        level = marked.basis_level.replace("_", " ")
        words = f"rests on a source of level {level} ({accepted} accepted)"
        problems.append(("severe_list_basis", words, rules))
    permitted = {f.id for f in rules.fields}
    for field in [f for f in marked.fields if f not in permitted]:
        problems.append(("severe_list_field", f"covers {field}, not a permitted field", rules))
    if not marked.fields:
        problems.append(("severe_list_field", "names no field of conduct", rules))
    for step in rules.required_steps:
        if step.kind not in offered:
            problems.append(("severe_list_due_process", f"offers no {step.kind} step", step))
    return problems


def _compelled(
    book: Rulebook, governing: Pack, rules: SevereListRules, pack: Pack, day: dt.date
) -> list[GovernanceFinding]:
    banned = rules.not_compelled
    if banned is None:
        return []
    return [
        _finding(
            book,
            governing,
            rules,
            banned,
            kind="compelled_measure",
            pack=pack.id,
            item=key,
            text=f"measure {key} compels {measure.agency} to {measure.effect}",
        )
        for key, measure in _measures_in_force(book, pack, day)
        if measure.agency in banned.agencies and measure.effect in ("deny", "restrict")
    ]


def expectation_failures(book: Rulebook, as_of: dt.date, expect: dict[str, Any]) -> list[str]:
    """A scenario's ``findings`` (each must be found) and ``no_findings`` (none may be):
    items ``{kind, item, as_of}``, ``kind`` optional in ``no_findings``, ``as_of`` the
    scenario's date when left out."""
    failures = []
    for wanted, key in ((True, "findings"), (False, "no_findings")):
        for expected in expect.get(key) or []:
            day = expected.get("as_of", as_of)
            found = [
                f
                for f in governance_findings(book, day)
                if f.item == expected["item"] and expected.get("kind", f.kind) == f.kind
            ]
            if wanted and not found:
                failures.append(
                    f"{key}: on {day}: expected {expected.get('kind')} of "
                    f"{expected['item']}, found none"
                )
            if not wanted and found:
                failures.append(f"{key}: on {day}: {found[0].text}")
    return failures
