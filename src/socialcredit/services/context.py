"""The context every use case runs in: the store and the rulebook (the loaded packs)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine

from socialcredit.core.pack.model import Rulebook

MAX_BODY_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class Context:
    """What a use case needs besides its caller: the store's engine and the rulebook, and
    the largest batch of records a caller may send at once."""

    engine: Engine
    book: Rulebook
    max_body_bytes: int = MAX_BODY_BYTES
