"""A credit file as the caller may see it, the dated credit report built on it, and the
file's access log."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from socialcredit.services.models.base import Answer, Citation, RecordRef
from socialcredit.services.models.decisions import EntryTrigger, Measure


class SubjectShown(Answer):
    """Who the file is about; ``known`` is false when the store holds nothing of him (or
    nothing the caller may see: the two cannot be told apart)."""

    id: str
    kind: str
    name: str | None
    known: bool


class RecordShown(RecordRef):
    """A record in a report, with its status on the date and its fields."""

    status: str
    fields: dict[str, Any]


class FileRecord(RecordShown):
    """A record in a credit file; ``disputed`` while an objection to it is open."""

    disputed: bool


class DeletionShown(Answer):
    """When an entry a removal ended must be deleted: removed on ``removed_on`` by the
    removal rule ``removed_by``, to be taken down by ``delete_by``, ``working_days`` after
    the removal, under ``legal_basis``; ``exact`` is false when a working day counted lies
    after the official calendar's data (only the statutory holidays are skipped there)."""

    removed_on: str
    removed_by: str
    delete_by: str
    exact: bool
    working_days: int
    legal_basis: Citation
    confidence: str | None


class EntryShown(EntryTrigger):
    """A list entry of the subject, past or present (``active`` on the date)."""

    active: bool
    deletion: DeletionShown | None = Field(
        default=None, description="the statutory deletion deadline of an entry a removal ended"
    )


class ReportEntry(EntryShown):
    in_plain_words: str


class RatingShown(Answer):
    rating: str
    grade: str
    score: float | None


class ReportMeasure(Measure):
    """A measure in force as a report shows it: the actions it governs, in plain words."""

    actions: list[str]
    in_plain_words: str


class RoleShown(Answer):
    org: str
    role: str
    since: str | None


class CreditFile(Answer):
    """The credit file on ``as_of``: records, list entries (past and present), ratings,
    measures in force, and the organisations through which measures reach the subject."""

    subject: SubjectShown
    as_of: str
    records: list[FileRecord]
    entries: list[EntryShown]
    ratings: list[RatingShown]
    measures: list[Measure]
    roles: list[RoleShown]
    pack_revisions: dict[str, str]


class Step(Answer):
    """A due-process step of a list's rule (notice, objection, review, repair...)."""

    id: str
    kind: str
    days: int | None
    day_kind: str | None
    counted_from: str | None
    description: str | None
    legal_basis: Citation
    confidence: str | None
    in_plain_words: str | None = None


class Remedy(Answer):
    list_id: str = Field(alias="list")
    title: str
    rule_version: str
    steps: list[Step]


class CreditReport(Answer):
    """A dated credit report: the file with plain words, and how to object or repair."""

    subject: SubjectShown
    as_of: str
    generated_at: str
    pack_revisions: dict[str, str]
    summary: str
    records: list[RecordShown]
    list_entries: list[ReportEntry]
    measures_in_force: list[ReportMeasure]
    ratings: list[RatingShown]
    roles: list[RoleShown]
    how_to_object_or_repair: list[Remedy]


class AccessLogEntry(Answer):
    seq: int
    at: str
    actor: str
    action: str
    purpose: str | None
    result: str | None


class PublicReads(Answer):
    """How often a public caller (the portal, or a public key) read the subject on a day:
    public reads are counted, not chained (docs/audit-log.md)."""

    day: str
    actor: str
    reads: int


class AccessLog(Answer):
    """Who read the subject's file, decided about him, and why; and the public's reads,
    counted per day and caller."""

    subject: str
    entries: list[AccessLogEntry]
    public_reads: list[PublicReads] = Field(default_factory=list)
