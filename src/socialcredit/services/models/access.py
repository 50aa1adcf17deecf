"""The check of the audit log."""

from __future__ import annotations

from socialcredit.services.models.base import Answer


class AuditCheck(Answer):
    entries: int
    intact: bool
    problems: list[str]
