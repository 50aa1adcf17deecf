"""Objections and repair applications, as their subject, source agency and auditors read them."""

from __future__ import annotations

from typing import Any

from socialcredit.services.models.base import Answer


class RecordNamed(Answer):
    id: str
    category: str
    agency: str
    doc_no: str


class Review(Answer):
    """When the review of an objection is due, and which step of which list sets it."""

    due_on: str | None
    exact: bool
    follows: dict[str, Any] | None
    steps: list[dict[str, Any]]
    note: str | None


class Objection(Answer):
    id: int
    record: RecordNamed
    subject: str
    status: str
    disputed: bool
    filed_by: str
    filed_on: str
    reason: str
    review: Review
    decisions: list[dict[str, Any]]


class ObjectionPage(Answer):
    objections: list[Objection]
    next: int


class Repair(Answer):
    """A repair application: approved (with the day publication stops) or refused (why)."""

    id: int
    record: RecordNamed
    subject: str
    route: str
    applied_by: str
    applied_on: str
    application: dict[str, Any]
    outcome: str
    publication_ends: str | None
    reasons: list[str]
    lists: list[dict[str, Any]]
