"""The pack format as pydantic models: the single source of truth of what a pack may say.

Unknown keys are errors. Expressions (``Expr``) are strings here; ``model`` parses them and
checks every name they use. ``pack_json_schema()`` publishes the format as JSON Schema.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BeforeValidator, ConfigDict, Field, model_validator

from socialcredit.core.durations import parse_duration
from socialcredit.core.pack.basics import (
    CategoryId,
    Confidence,
    Dated,
    Effect,
    Identifier,
    LegalRef,
    Strict,
)
from socialcredit.core.pack.governs import Governs, ListGovernance
from socialcredit.core.pack.wording import PublicWording

Disclosure = Literal["public", "shared", "restricted"]
SubjectKind = Literal["person", "organisation"]
Role = Literal[
    "legal_representative",
    "principal",
    "actual_controller",
    "directly_responsible_person",
    "shareholder",
]
Target = Literal["subject"] | Role


def _expression_text(value: Any) -> Any:
    """YAML reads ``true`` and ``-10`` as values; in an expression they are its text."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    return value


Expr = Annotated[
    str,
    BeforeValidator(_expression_text),
    Field(description="an expression of the rule language (docs/packs.md)"),
]
_ENTRY_PER = re.compile(r"^record\s+([a-z][a-z0-9_.]*)\s+as\s+([a-z_][a-z0-9_]*)$")


def _check_duration(text: str) -> str:
    parse_duration(text)
    return text


Duration = Annotated[
    str,
    AfterValidator(_check_duration),
    Field(description="'N years', 'N months' or 'N days'"),
]


class Level(StrEnum):
    """Levels of legal sources, highest first (Legislation Law of the PRC)."""

    constitution = "constitution"
    law = "law"
    administrative_regulation = "administrative_regulation"
    judicial_interpretation = "judicial_interpretation"
    departmental_rule = "departmental_rule"
    local_regulation = "local_regulation"
    policy_document = "policy_document"
    foreign_law = "foreign_law"
    foreign_regulation = "foreign_regulation"
    other = "other"


class Source(Strict):
    title: str
    level: Level
    issued_by: str | None = None
    document_no: str | None = None
    issued: dt.date | None = None
    in_force: dt.date | None = None
    until: dt.date | None = None
    url: str | None = None
    confidence: Confidence
    notes: str | None = None


class Parameter(Strict):
    description: str
    values: dict[dt.date, int | float | str | bool] = Field(
        min_length=1, description="effective date -> value, each in force until the next"
    )
    range: tuple[float, float] | None = None
    unit: str | None = None
    source: LegalRef
    confidence: Confidence

    @model_validator(mode="after")
    def _values_in_range(self) -> Parameter:
        if self.range is None:
            return self
        low, high = self.range
        for day, value in self.values.items():
            if not isinstance(value, int | float) or not low <= value <= high:
                raise ValueError(f"value {value!r} from {day} is outside the range {self.range}")
        return self


class ActionDef(Strict):
    title: str
    domain: str


class Category(Strict):
    title: str
    legal_basis: LegalRef
    confidence: Confidence
    agencies: list[Identifier] = Field(min_length=1)
    disclosure: Disclosure
    domain: str = Field(description="domain of the conduct recorded, for the auditor")
    publication_min: Duration | None = None
    publication_max: Duration | None = None
    retention: Duration | None = None
    fields: dict[Identifier, str] = Field(
        description=(
            "field -> type: text, int, decimal, money, date, bool, id, enum[a, b]; '?' = optional"
        )
    )
    relations: dict[Identifier, Role] = Field(
        default={},
        description="id field -> role: the record says that person holds that role in the subject",
    )


Discretion = Annotated[
    str | None,
    Field(
        default=None,
        description="the catch-all wording ('other circumstances...') that leaves this to "
        "discretion, quoted from the source; the auditor reports it as vague",
    ),
]


class ProcessStep(Strict):
    """A due-process step the source provides: notice, objection, review, correction..."""

    id: Identifier
    kind: Literal[
        "notice",
        "statement_and_defence",
        "objection",
        "review",
        "reconsideration",
        "correction",
        "deletion",
        "repair",
        "publication",
    ]
    days: int | None = Field(default=None, ge=0, description="the deadline, if the source sets one")
    day_kind: Literal["calendar", "working"] = "calendar"
    counted_from: str | None = Field(default=None, description="what starts the deadline")
    description: str | None = None
    legal_basis: LegalRef
    confidence: Confidence


class Exemption(Strict):
    id: Identifier
    when: Expr
    legal_basis: LegalRef
    confidence: Confidence
    discretion: Discretion


class Removal(Strict):
    id: Identifier
    date: Expr = Field(description="the date on which the entry is removed (null: not yet)")
    legal_basis: LegalRef
    confidence: Confidence
    deadline_working_days: int | None = Field(default=None, ge=0)


class ListVersion(Dated):
    legal_basis: LegalRef
    confidence: Confidence
    entry_per: str = Field(description="'record <category> as <alias>'")
    include: Expr
    exemptions: list[Exemption] = []
    starts: Expr | None = Field(default=None, description="default: <alias>.decided_on")
    ends: Expr | None = Field(default=None, description="planned end; null = open-ended")
    removed_when: list[Removal] = []
    reason: str = Field(description="plain-language reason; {alias.field} is filled in")
    public: PublicWording | None = Field(
        default=None, description="the reason as the public reads it, in Chinese and English"
    )
    public_period: PublicWording | None = Field(
        default=None, description="for the public: how long a listing lasts and what ends it"
    )
    public_way_off: PublicWording | None = Field(
        default=None, description="for the public: how to get off (where to apply, what to bring)"
    )
    discretion: Discretion
    due_process: list[ProcessStep] = []

    @model_validator(mode="after")
    def _entry_per_form(self) -> ListVersion:
        if not _ENTRY_PER.match(self.entry_per):
            raise ValueError(f"entry_per {self.entry_per!r} is not 'record <category> as <alias>'")
        return self

    @property
    def category_and_alias(self) -> tuple[str, str]:
        match = _ENTRY_PER.match(self.entry_per)
        assert match is not None
        return match.group(1), match.group(2)


class ListDef(Strict):
    title: str
    kind: Literal["blacklist", "redlist", "watchlist"]
    subject_kinds: list[SubjectKind] = ["person", "organisation"]
    versions: list[ListVersion] = Field(min_length=1)
    governance: ListGovernance | None = None  # severe or not, under a governing pack


Window = Annotated[
    str | None,
    AfterValidator(lambda text: _check_duration(text) if text is not None else None),
    Field(default=None, description="only records decided within this duration before the date"),
]


class Contribution(Strict):
    id: Identifier
    per: str = Field(description="'record <category> as <alias>'")
    when: Expr = "true"
    points: Expr
    window: Window
    legal_basis: LegalRef
    confidence: Confidence


class DirectGrade(Strict):
    """A grade given outright when a record meets a condition (``score`` may be used)."""

    id: Identifier
    grade: str
    per: str
    when: Expr
    window: Window
    legal_basis: LegalRef
    confidence: Confidence
    discretion: Discretion


class Cap(Strict):
    """While a record meets the condition, the grade can be no better than ``at_best``."""

    id: Identifier
    at_best: str
    per: str
    when: Expr
    window: Window
    legal_basis: LegalRef
    confidence: Confidence


class Eligibility(Strict):
    """Who is rated at all: only subjects with a matching record within the window."""

    per: str
    when: Expr = "true"
    window: Window
    legal_basis: LegalRef
    confidence: Confidence


class Contagion(Strict):
    """An organisation takes ``grade`` when a person holding one of ``to_roles`` in it holds
    one of ``from_roles`` in another organisation graded one of ``from_grades`` (one step, no
    chains); ``roles`` sets both at once. With ``started_after_grade``, only a role in the
    organisation taking the grade that began on or after the day the other was graded."""

    id: Identifier
    grade: str
    from_grades: list[str] = Field(min_length=1)
    roles: list[Role] = Field(
        default=[],
        description="from_roles and to_roles at once; with those given, filled with both",
    )
    from_roles: list[Role] | None = Field(default=None, description="roles in the graded one")
    to_roles: list[Role] | None = Field(default=None, description="roles in the one that takes it")
    started_after_grade: bool = False
    legal_basis: LegalRef
    confidence: Confidence

    @model_validator(mode="before")
    @classmethod
    def _roles_given(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        split = data.get("from_roles") is not None or data.get("to_roles") is not None
        if data.get("roles") and split:
            raise ValueError("give roles, or from_roles and to_roles, not both")
        if not data.get("roles") and not (data.get("from_roles") and data.get("to_roles")):
            raise ValueError("give roles, or both from_roles and to_roles")
        if split:
            both = [*data["from_roles"], *data["to_roles"]]
            data = {**data, "roles": list(dict.fromkeys(both))}
        return data

    @property
    def source_roles(self) -> list[Role]:
        return list(self.from_roles or self.roles or [])

    @property
    def target_roles(self) -> list[Role]:
        return list(self.to_roles or self.roles or [])


class AfterBand(Strict):
    """What a grade the score's bands gave does to the rating ``years_before`` years later.

    On the date asked, if the bands gave ``band`` to the score as it stood on the date
    ``years_before`` years earlier (a grade by score, not a direct one), then, while ``when``
    holds (it may read ``parameters`` and ``as_of``): ``points`` are added to the score, or
    the grade becomes ``grade`` (unless a direct grade applies), or it is no better than
    ``at_best``. Exactly one of the three."""

    id: Identifier
    band: str
    years_before: int = Field(ge=1, le=10)
    when: Expr = "true"
    points: Expr | None = None
    grade: str | None = None
    at_best: str | None = None
    legal_basis: LegalRef
    confidence: Confidence

    @model_validator(mode="after")
    def _one_effect(self) -> AfterBand:
        effects = [k for k in ("points", "grade", "at_best") if getattr(self, k) is not None]
        if len(effects) != 1:
            raise ValueError("give exactly one of points, grade, at_best")
        return self


class Band(Strict):
    grade: str
    min: float | None = Field(description="lowest score of the band; null for the lowest band")


class RatingVersion(Dated):
    legal_basis: LegalRef
    confidence: Confidence
    base: float
    window: Duration | None = Field(default=None, description="records older are not counted")
    eligible: list[Eligibility] = Field(
        default=[],
        description="rated only if one of these finds a record; empty: every subject of the kinds",
    )
    contributions: list[Contribution] = []
    direct: list[DirectGrade] = []
    caps: list[Cap] = []
    after_band: list[AfterBand] = Field(
        default=[], description="effects, in later years, of a grade given by the score"
    )
    contagion: list[Contagion] = []
    bands: list[Band] = Field(min_length=1, description="best grade first")
    due_process: list[ProcessStep] = []


class RatingDef(Strict):
    title: str
    subject_kinds: list[SubjectKind] = ["person", "organisation"]
    versions: list[RatingVersion] = Field(min_length=1)


class Trigger(Strict):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    list_id: str | None = Field(default=None, alias="list")
    rating: str | None = None
    grades: list[str] = []

    @model_validator(mode="after")
    def _one_trigger(self) -> Trigger:
        if (self.list_id is None) == (self.rating is None):
            raise ValueError("a trigger names either a list or a rating (with grades)")
        if self.rating is not None and not self.grades:
            raise ValueError("a rating trigger names the grades it reacts to")
        return self


class Measure(Strict):
    id: Identifier
    description: str | None = None
    public: PublicWording | None = Field(
        default=None, description="what the measure means, as the public reads it (zh, en)"
    )
    agency: Identifier
    actions: list[Identifier] = Field(min_length=1)
    effect: Effect
    targets: list[Target] = Field(min_length=1)
    legal_basis: LegalRef
    confidence: Confidence
    domain: str
    in_force: dt.date | None = None
    until: dt.date | None = None
    lasts: Duration | None = Field(default=None, description="default: while the trigger lasts")
    role_held: Literal["now", "at_start"] = Field(
        default="now",
        description="which holder of a target role is reached: who holds it on the date asked "
        "(now), or who held it on the day the list entry started (at_start; list triggers only)",
    )
    when: Expr | None = Field(
        default=None,
        description="a condition: trigger.<field> (the record behind a list entry), "
        "subject.<field> (the person or organisation the measure reaches), parameters, as_of",
    )


class Memorandum(Dated):
    title: str
    source: LegalRef
    confidence: Confidence
    signatories: list[str] = []
    trigger: Trigger
    measures: list[Measure] = Field(min_length=1)

    @model_validator(mode="after")
    def _at_start_needs_a_list(self) -> Memorandum:
        if self.trigger.rating is not None:
            for measure in self.measures:
                if measure.role_held == "at_start":
                    raise ValueError(
                        f"measure {measure.id}: role_held at_start needs a list trigger "
                        "(a grade has no start date)"
                    )
        return self


class PackSpec(Strict):
    id: Identifier
    title: str
    jurisdiction: str
    revision: str = Field(description="the pack's own revision, reported with every decision")
    description: str | None = None
    requires: list[Identifier] = []
    sources: dict[Identifier, Source] = Field(min_length=1)
    parameters: dict[Identifier, Parameter] = {}
    actions: dict[Identifier, ActionDef] = {}
    catalog: dict[CategoryId, Category] = {}
    lists: dict[Identifier, ListDef] = {}
    ratings: dict[Identifier, RatingDef] = {}
    memoranda: dict[Identifier, Memorandum] = {}
    governs: Governs | None = None  # rules for other packs: core/pack/governs.py
    opt_in: bool = Field(default=False, description="loaded only when named, not by default")


def pack_json_schema() -> dict[str, Any]:
    """The pack format as JSON Schema (published as docs/pack.schema.json)."""
    schema = PackSpec.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "socialcredit rule pack"
    return schema
