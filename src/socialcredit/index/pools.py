"""The triggers of the listed subjects, packed: a record id or a rating id, and the
organisation a measure reaches the subject through.

Record ids are 20 hexadecimal characters (a digest) and are kept as 10 raw bytes; any other
form is kept as text of a fixed width. Ratings are few and shared, so they are numbered.
"""

from __future__ import annotations

import string
from collections.abc import Iterable

import numpy as np

from socialcredit.index.sweep import TriggerId

_HEX = set(string.hexdigits.lower())


class TriggerPool:
    """Triggers in arrays: ``ref`` >= 0 a record (``records``), < 0 a rating; ``via`` an
    organisation in ``vias`` or -1 when the measure falls on the subject itself."""

    def __init__(self, triggers: list[TriggerId]) -> None:
        records: dict[str, int] = {}
        ratings: dict[str, int] = {}
        vias: dict[str, int] = {}
        refs, via = [], []
        for kind, ref, org in triggers:
            if kind == "entry":
                refs.append(records.setdefault(ref, len(records)))
            else:
                refs.append(-1 - ratings.setdefault(ref, len(ratings)))
            via.append(vias.setdefault(org, len(vias)) if org else -1)
        self.ref = np.array(refs, dtype=np.int32)
        self.via = np.array(via, dtype=np.int32)
        self.ratings = tuple(ratings)
        self.hex = bool(records) and all(_is_digest(r) for r in records)
        self.records = _fixed(
            [bytes.fromhex(r) if self.hex else r.encode() for r in records], pad=not self.hex
        )
        self.vias = _fixed([v.encode() for v in vias], pad=True)
        self._ref, self._via = self.ref.data, self.via.data  # cheap single look-ups
        self._records, self._vias = self.records.tobytes(), self.vias.tobytes()

    def get(self, positions: Iterable[int]) -> tuple[TriggerId, ...]:
        found = []
        record_width, via_width = self.records.shape[1], self.vias.shape[1]
        for at in positions:
            ref, via = self._ref[at], self._via[at]
            org = ""
            if via >= 0:
                org = self._vias[via * via_width : (via + 1) * via_width].rstrip(b"\0").decode()
            if ref < 0:
                found.append(("rating", self.ratings[-1 - ref], org))
                continue
            raw = self._records[ref * record_width : (ref + 1) * record_width]
            found.append(("entry", raw.hex() if self.hex else raw.rstrip(b"\0").decode(), org))
        return tuple(found)

    @property
    def nbytes(self) -> int:
        return self.ref.nbytes + self.via.nbytes + self.records.nbytes + self.vias.nbytes


def _is_digest(text: str) -> bool:
    return len(text) == 20 and set(text) <= _HEX


def _fixed(values: list[bytes], pad: bool) -> np.ndarray:
    """Equal-width rows of bytes (uint8), NUL-padded when ``pad`` (text never holds NUL)."""
    width = max((len(v) for v in values), default=1)
    if pad:
        values = [v.ljust(width, b"\0") for v in values]
    return np.frombuffer(b"".join(values), dtype=np.uint8).reshape(len(values), width)
