"""Lists as their packs define them, and a page of a list's entries on a date."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import Field

from socialcredit.services.models.base import Answer, Citation
from socialcredit.services.models.files import Step


class Version(Answer):
    in_force: str
    until: str | None
    category: str | None
    legal_basis: Citation
    confidence: str | None
    discretion: str | None
    rule: dict[str, str | None]
    reason: str | None
    exemptions: list[dict[str, Any]]
    removals: list[dict[str, Any]]
    due_process: list[Step]


class Source(Answer):
    id: str
    pack: str | None
    title: str | None = None
    level: str | None = None
    issued_by: str | None = None
    document_no: str | None = None
    issued: str | None = None
    in_force: str | None = None
    until: str | None = None
    url: str | None = None
    confidence: str | None = None


class ListDefinition(Answer):
    """A list as its pack defines it: versions, legal basis, due process, sources."""

    id: str
    title: str
    kind: str
    pack: str
    pack_revision: str | None
    subject_kinds: list[str]
    versions: list[Version]
    sources: list[Source]


class ListDefinitions(Answer):
    lists: list[ListDefinition]


class LabelRun(Answer):
    id: int
    as_of: str
    finished_at: str
    revisions: dict[str, str]


class PublicEntryRow(Answer):
    """A list entry as the public sees it: no record columns, persons' ids masked."""

    list_id: str = Field(alias="list")
    pack: str
    rule_version: dt.date
    subject: str
    subject_kind: str
    name: str | None
    starts: dt.date
    planned_end: dt.date | None
    ends: dt.date | None
    active: bool
    removed_by: str | None
    reason: str | None


class EntryRow(PublicEntryRow):
    """A list entry with the record behind it (every caller but the public)."""

    record_id: str
    category: str
    agency: str
    doc_no: str
    decided_on: dt.date


class EntriesPage(Answer):
    """A page of entries and where they come from (the label run, or live)."""

    list_id: str = Field(alias="list")
    as_of: str
    basis: Literal["run", "live"]
    run: LabelRun | None
    note: str
    total: int
    page: int
    page_size: int
    next_page: int | None
    entries: list[EntryRow | PublicEntryRow]
