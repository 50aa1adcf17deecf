"""A decision and its reasons: the measure, its memorandum, the list entry or rating that
triggered it, the records behind that, and the legal provisions of each step."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from socialcredit.services.models.base import Answer, Citation, RecordRef
from socialcredit.services.models.errors import ErrorBody

Effect = Literal["allow", "deny", "restrict", "scrutinise", "reward"]


class Wording(Answer):
    """A rule in plain words for the public, in Simplified Chinese and English."""

    zh: str
    en: str


class EntryTrigger(Answer):
    """A list entry that triggers a measure."""

    kind: Literal["list_entry"]
    list_id: str = Field(alias="list")
    title: str
    subject: str
    rule_version: str
    pack: str
    reason: str | None
    public: Wording | None = Field(
        default=None, description="the pack's public wording of the reason (zh, en), if any"
    )
    public_period: Wording | None = Field(
        default=None, description="for the public: how long the listing lasts, what ends it"
    )
    public_way_off: Wording | None = Field(
        default=None, description="for the public: how to get off (where to apply, what to bring)"
    )
    starts: str
    planned_end: str | None
    ends: str | None
    removed_by: str | None
    legal_basis: Citation
    confidence: str | None
    records: list[RecordRef]
    entry: str | None = Field(
        default=None,
        description="when withheld, the entry's id: the record behind it, as determining names it",
    )
    withheld: bool = Field(
        default=False,
        description="the caller may not read the record behind the entry: it, the reason and "
        "the public wordings filled from it are left out",
    )


class Contagion(Answer):
    rule: str
    from_: str = Field(alias="from")
    through: str


class Contribution(Answer):
    id: str
    points: float
    record: str


class AfterBand(Answer):
    """An ``after_band`` rule that applied: the earlier date, its score, the points it
    carried into this score (None: it held or capped the grade instead)."""

    id: str
    on: str
    score: float
    points: float | None


class RatingTrigger(Answer):
    """A graded rating that triggers a measure; only its name (``withheld``) when the caller
    may not read every category that can count in it."""

    kind: Literal["rating"]
    rating: str
    title: str
    subject: str
    grade: str | None = Field(description="None when withheld")
    score: float | None
    rule_version: str
    pack: str
    direct_by: str | None
    capped_by: str | None
    after_band: list[AfterBand] = Field(default_factory=list)
    contagion: Contagion | None
    contributions: list[Contribution]
    legal_basis: Citation
    records: list[RecordRef]
    withheld: bool = Field(
        default=False,
        description="the caller may not read what the grade is computed from: its grade, "
        "score, contributions and records are left out",
    )


Trigger = Annotated[EntryTrigger | RatingTrigger, Field(discriminator="kind")]


class Memorandum(Answer):
    id: str
    title: str
    pack: str
    source: Citation


class Measure(Answer):
    """A measure in force: its effect, who applies it, to whom, when, on what legal basis,
    and the chain behind it (``memorandum``, ``trigger``)."""

    effect: Effect
    measure: str
    description: str | None
    public: Wording | None = Field(
        default=None, description="the pack's public wording of the measure (zh, en), if any"
    )
    agency: str
    domain: str | None
    target: str
    via: str | None = Field(description="the organisation through which it reaches the subject")
    starts: str
    until: str | None
    legal_basis: Citation
    confidence: str | None
    memorandum: Memorandum
    trigger: Trigger


class MeasureSource(Answer):
    """One memorandum under which a measure applies, its legal basis there, and the list
    entry or grade that triggered it."""

    memorandum: Memorandum
    legal_basis: Citation
    confidence: str | None
    trigger: Trigger


class Reason(Measure):
    """A measure that governs the action, once, with every memorandum that applies it
    (``sources``); ``determining`` when its effect decides."""

    determining: bool
    sources: list[MeasureSource] = Field(default_factory=list)


class TriggerId(Answer):
    """A list entry (named by its record) or a rating, and the organisation through which
    it reaches the subject."""

    kind: Literal["entry", "rating"]
    id: str = Field(description="the record of the list entry, or the rating")
    via: str | None


class Determining(Answer):
    """A determining measure by its id ("memorandum/measure") and its trigger's."""

    measure: str
    trigger: TriggerId


class DecisionAnswer(Answer):
    """May ``subject`` do ``action`` on ``as_of``? The ``effect``, until when, and every
    reason (empty when nothing applies); ``until`` and ``reasons`` are given when the
    question asked for an explanation (``explained``), ``determining`` always."""

    subject: str
    action: str
    as_of: str
    effect: Effect
    until: str | None
    reasons: list[Reason]
    pack_revisions: dict[str, str]
    answered_by: Literal["index", "engine"] = Field(
        description="the decision index, or the live engine (a day the index does not cover)"
    )
    explained: bool = Field(description="reasons and until were built")
    determining: list[Determining]
    known: bool = Field(description="the store holds a record of the subject")
    note: str | None = Field(description="what the answer does not say (an unknown subject)")


class BatchAnswer(Answer):
    """One result per question, in order: a decision, or an error in the API's format."""

    results: list[DecisionAnswer | ErrorBody]
