"""The building blocks every part of the pack format shares: strict models, dated periods,
confidence tags, identifiers and legal references."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Confidence = Literal["V", "S", "M", "?"]
Effect = Literal["deny", "restrict", "scrutinise", "reward"]
Identifier = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_.-]*$")]
CategoryId = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$")]
LegalRef = Annotated[
    str,
    Field(
        min_length=1,
        description="a source id, then the provision: 'spc-2017 art. 1, 2'",
    ),
]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Dated(Strict):
    """Something with an effective period: in force from ``in_force``, until ``until``."""

    in_force: dt.date
    until: dt.date | None = None

    @model_validator(mode="after")
    def _period_is_ordered(self) -> Dated:
        if self.until is not None and self.until <= self.in_force:
            raise ValueError(f"until ({self.until}) must come after in_force ({self.in_force})")
        return self

    def in_force_on(self, day: dt.date) -> bool:
        return self.in_force <= day and (self.until is None or day < self.until)
