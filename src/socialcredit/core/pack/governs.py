"""Packs that govern other packs: the ``governs:`` section and a list's ``governance:``.

A governing pack says, edition by edition, which information categories may be gathered (a
catalogue, each item mapped to the categories of the packs it governs) and which measures
may be applied (a penalty list, each item mapped to measures by id or by domain and effect);
and which rules a list marked severe must meet (permitted fields of conduct, the level of
legal source that may set its criteria, the due-process steps it must offer, and who may
not be compelled to apply its measures). ``core.governance`` checks packs against it.
"""

from __future__ import annotations

import datetime as dt
from itertools import pairwise
from typing import Literal

from pydantic import Field, model_validator

from socialcredit.core.pack.basics import (
    CategoryId,
    Confidence,
    Dated,
    Effect,
    Identifier,
    LegalRef,
    Strict,
)

BasisLevel = Literal[
    "law",
    "administrative_regulation",
    "state_council_document",
    "departmental_rule",
    "local_regulation",
    "unknown",
]
StepKind = Literal["notice", "statement_and_defence", "objection", "review", "repair"]


class CatalogueItem(Strict):
    """One item of a catalogue of information, and the categories of ours it covers."""

    id: Identifier
    title: str
    categories: list[CategoryId] = Field(
        default=[], description="the categories of the governed packs that belong to this item"
    )
    legal_basis: LegalRef
    confidence: Confidence


class PenaltyItem(Strict):
    """One item of a list of penalty measures, and the measures of ours it covers: named
    ``<memorandum>/<measure>``, or every measure with one of ``domains`` and one of
    ``effects`` (either left empty matches any)."""

    id: Identifier
    title: str
    type: Literal["a", "b", "c"] | None = Field(
        default=None,
        description="from 2022: a reduces rights or adds obligations, b management measure, "
        "c applied by organisations outside government",
    )
    target: str | None = None
    basis_level: BasisLevel = "unknown"
    measures: list[str] = []
    domains: list[str] = []
    effects: list[Effect] = []
    legal_basis: LegalRef
    confidence: Confidence

    def covers(self, key: str, domain: str, effect: str) -> bool:
        if key in self.measures:
            return True
        if not (self.domains or self.effects):
            return False
        return (not self.domains or domain in self.domains) and (
            not self.effects or effect in self.effects
        )


class Edition(Dated):
    """One edition of a catalogue and a penalty list; null: the edition does not govern it."""

    edition: str
    legal_basis: LegalRef
    confidence: Confidence
    catalogue: list[CatalogueItem] | None = None
    penalty_list: list[PenaltyItem] | None = None


class ConductField(Strict):
    id: Identifier
    title: str


class RequiredStep(Strict):
    """A due-process step every severe list must offer, with the source that requires it."""

    kind: StepKind
    legal_basis: LegalRef
    confidence: Confidence


class NotCompelled(Strict):
    """Agencies (financial institutions, media...) that may not be compelled to punish:
    a measure they apply may not deny or restrict."""

    agencies: list[Identifier] = Field(min_length=1)
    legal_basis: LegalRef
    confidence: Confidence


class SevereListRules(Dated):
    """What a list marked severe must meet while these rules are in force."""

    legal_basis: LegalRef
    confidence: Confidence
    fields: list[ConductField] = Field(min_length=1, description="the permitted fields")
    basis_levels: list[BasisLevel] = Field(
        min_length=1, description="the levels of legal source that may set a severe list"
    )
    required_steps: list[RequiredStep] = Field(
        default=[], description="due-process steps every severe list must offer"
    )
    not_compelled: NotCompelled | None = None


class Governs(Strict):
    """The rules a governing pack sets for the packs of ``jurisdictions``."""

    jurisdictions: list[str] = Field(min_length=1)
    outside_scope: dict[Identifier, str] = Field(
        default={}, description="packs of those jurisdictions it does not govern -> why"
    )
    editions: list[Edition] = []
    severe_lists: list[SevereListRules] = []

    @model_validator(mode="after")
    def _editions_do_not_overlap(self) -> Governs:
        for name, periods in (("editions", self.editions), ("severe_lists", self.severe_lists)):
            ordered = sorted(periods, key=lambda p: p.in_force)
            for earlier, later in pairwise(ordered):
                if earlier.until is None or earlier.until > later.in_force:
                    raise ValueError(
                        f"{name}: the one in force from {earlier.in_force} must end (until) "
                        f"on or before {later.in_force}, when the next one starts"
                    )
        return self

    def edition_on(self, day: dt.date) -> Edition | None:
        return next((e for e in self.editions if e.in_force_on(day)), None)

    def severe_rules_on(self, day: dt.date) -> SevereListRules | None:
        return next((r for r in self.severe_lists if r.in_force_on(day)), None)


class ListGovernance(Strict):
    """What a list is under the rules that govern lists: severe or not, its field of
    conduct, and the level of the legal source that sets its criteria."""

    severity: Literal["severe", "ordinary"] = "ordinary"
    fields: list[Identifier] = Field(
        default=[], description="the fields of conduct it covers, as a governing pack names them"
    )
    basis_level: BasisLevel = "unknown"
    confidence: Confidence = "?"
    notes: str | None = None
