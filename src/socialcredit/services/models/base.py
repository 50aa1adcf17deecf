"""The base of every answer model, and the citation of a legal source."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Answer(BaseModel):
    """An answer: no field beyond those declared."""

    model_config = ConfigDict(extra="forbid")

    def plain(self) -> dict[str, Any]:
        """JSON-ready data, with the field names the API uses."""
        return self.model_dump(mode="json", by_alias=True)


class Citation(Answer):
    """A legal source as a rule cites it: the source, the provision, its level and how far
    the reading of it has been checked (V, S, M or ?)."""

    source: str
    provision: str | None = None
    title: str | None = None
    level: str | None = None
    confidence: str | None = Field(default=None, description="V, S, M or ?")
    url: str | None = None


class RecordRef(Answer):
    """A credit record as an explanation names it."""

    id: str
    category: str
    agency: str
    doc_no: str
    decided_on: str
    legal_basis: Citation
