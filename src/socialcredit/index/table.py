"""The columnar store of the index: sorted numpy arrays, no Python object per subject.

Rows are the listed subjects (those with a measure in force on some covered day), ordered by
the hash of their identity number; ``ids`` holds the numbers themselves (18 bytes each) to
confirm a hit. Each row owns a run of segments (``seg_off``); a segment is a start day, a
shape (``Shapes``) and a run of triggers. ``seg_key`` packs (row, day) into one sortable
int64, so a batch finds every segment with one ``searchsorted``.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from socialcredit.index.sweep import TriggerId

ID_WIDTH = 18  # resident ID numbers and unified social credit codes alike
DAY_BITS = 24  # days from the first covered day; 2**24 days is 45,000 years
# A segment as stored: its first day (ordinal), its shape and its triggers.
StoredSegment = tuple[int, int, tuple[TriggerId, ...]]
Ints = npt.NDArray[np.int64]


def subject_hash(subject_id: str) -> int:
    """The row key: Python's string hash (per process, as the index is built in process)."""
    return hash(subject_id)


@dataclass(frozen=True)
class _Pools:
    """Strings the triggers point to: record ids, rating ids, organisations (via)."""

    records: npt.NDArray[np.bytes_]
    ratings: tuple[str, ...]
    vias: npt.NDArray[np.bytes_]


class DecisionTable:
    """Segments of the listed subjects over the covered days [start, end) (ordinals)."""

    def __init__(self, start: int, end: int, rows: Iterable[tuple[str, list[StoredSegment]]]):
        self.start, self.end = start, end
        ordered = sorted(rows, key=lambda row: (subject_hash(row[0]), row[0]))
        for subject_id, _ in ordered:
            if len(subject_id) != ID_WIDTH or not subject_id.isascii():
                raise ValueError(f"{subject_id!r} is not an 18-character identity number")
        self.ids = np.array([s for s, _ in ordered], dtype=f"S{ID_WIDTH}")
        self.keys = np.array([subject_hash(s) for s, _ in ordered], dtype=np.int64)
        counts = [len(segments) for _, segments in ordered]
        self.seg_off = np.zeros(len(ordered) + 1, dtype=np.int64)
        np.cumsum(counts, out=self.seg_off[1:])
        segments = [seg for _, segs in ordered for seg in segs]
        rows_of = np.repeat(np.arange(len(ordered), dtype=np.int64), counts)
        days = np.array([seg[0] for seg in segments], dtype=np.int64) - start
        self.seg_key = (rows_of << DAY_BITS) | days
        self.seg_shape = np.array([seg[1] for seg in segments], dtype=np.int32)
        self.trig_off = np.zeros(len(segments) + 1, dtype=np.int32)
        np.cumsum([len(seg[2]) for seg in segments], out=self.trig_off[1:])
        self._pack_triggers([t for seg in segments for t in seg[2]])
        self._views()

    def _pack_triggers(self, triggers: list[TriggerId]) -> None:
        records: dict[str, int] = {}
        ratings: dict[str, int] = {}
        vias: dict[str, int] = {"": -1}
        refs, via = [], []
        for kind, ref, org in triggers:
            if kind == "entry":
                refs.append(records.setdefault(ref, len(records)))
            else:
                refs.append(-1 - ratings.setdefault(ref, len(ratings)))
            via.append(vias.setdefault(org, len(vias) - 1))
        self.trig_ref = np.array(refs, dtype=np.int32)
        self.trig_via = np.array(via, dtype=np.int32)
        width = max((len(r) for r in records), default=1)
        self.pools = _Pools(
            np.array(list(records), dtype=f"S{width}"),
            tuple(ratings),
            np.array([v for v in vias if v], dtype=f"S{ID_WIDTH}"),
        )

    def _views(self) -> None:
        """Memoryviews for single look-ups: indexing them is cheaper than indexing numpy."""
        self._keys = self.keys.data
        self._ids = self.ids.tobytes()
        self._seg_off = self.seg_off.data
        self._seg_key = self.seg_key.data
        self._seg_shape = self.seg_shape.data

    def __len__(self) -> int:
        return len(self.keys)

    def row(self, subject_id: str) -> int:
        """The subject's row, or -1 when it is not listed on any covered day."""
        key = subject_hash(subject_id)
        keys, at = self._keys, bisect.bisect_left(self._keys, key)
        wanted = subject_id.encode()
        while at < len(keys) and keys[at] == key:
            if self._ids[at * ID_WIDTH : (at + 1) * ID_WIDTH] == wanted:
                return at
            at += 1
        return -1

    def segment(self, row: int, day: int) -> int:
        """The row's segment that holds ``day`` (a covered ordinal)."""
        target = (row << DAY_BITS) | (day - self.start)
        lo, hi = self._seg_off[row], self._seg_off[row + 1]
        return bisect.bisect_right(self._seg_key, target, lo, hi) - 1

    def shape_of(self, segment: int) -> int:
        return int(self._seg_shape[segment])

    def rows(self, subjects: Sequence[str]) -> Ints:
        """Rows of many subjects at once (-1 where not listed)."""
        if len(self.keys) == 0:
            return np.full(len(subjects), -1, dtype=np.int64)
        keys = np.fromiter(map(subject_hash, subjects), dtype=np.int64, count=len(subjects))
        inside = np.minimum(np.searchsorted(self.keys, keys), len(self.keys) - 1)
        wanted = np.array(subjects, dtype=f"S{ID_WIDTH}")
        hit = (self.keys[inside] == keys) & (self.ids[inside] == wanted)
        rows = np.where(hit, inside, -1)
        for i in np.flatnonzero(~hit & (self.keys[inside] == keys)).tolist():  # collisions
            rows[i] = self.row(subjects[i])
        return rows

    def shapes_at(self, rows: Ints, days: Ints) -> Ints:
        """The shape in force for each (row, day); 0 (nothing in force) where row is -1."""
        listed = rows >= 0
        targets = (np.where(listed, rows, 0) << DAY_BITS) | (days - self.start)
        segments = np.searchsorted(self.seg_key, targets, side="right") - 1
        shapes = self.seg_shape[np.maximum(segments, 0)]
        return np.where(listed, shapes, 0)

    def triggers(self, segment: int) -> tuple[TriggerId, ...]:
        """The segment's triggers, as the sweep named them."""
        found = []
        for at in range(int(self.trig_off[segment]), int(self.trig_off[segment + 1])):
            ref, via = int(self.trig_ref[at]), int(self.trig_via[at])
            org = self.pools.vias[via].decode() if via >= 0 else ""
            if ref >= 0:
                found.append(("entry", self.pools.records[ref].decode(), org))
            else:
                found.append(("rating", self.pools.ratings[-1 - ref], org))
        return tuple(found)

    def interval(self, segment: int) -> tuple[int, int]:
        """The days [from, to) of a segment (ordinals)."""
        row = int(self.seg_key[segment]) >> DAY_BITS
        first = self.start + (int(self.seg_key[segment]) & ((1 << DAY_BITS) - 1))
        last = int(self.seg_off[row + 1]) - 1
        if segment == last:
            return first, self.end
        return first, self.start + (int(self.seg_key[segment + 1]) & ((1 << DAY_BITS) - 1))

    def stored(self) -> Iterator[tuple[str, list[StoredSegment]]]:
        """Every row back as (subject, segments): what ``compact`` rebuilds the table from."""
        for row in range(len(self.keys)):
            yield self.ids[row].decode(), self.stored_row(row)

    def stored_row(self, row: int) -> list[StoredSegment]:
        segments = []
        for seg in range(int(self.seg_off[row]), int(self.seg_off[row + 1])):
            first, _ = self.interval(seg)
            segments.append((first, int(self.seg_shape[seg]), self.triggers(seg)))
        return segments

    @property
    def nbytes(self) -> int:
        arrays = [self.ids, self.keys, self.seg_off, self.seg_key, self.seg_shape, self.trig_off]
        arrays += [self.trig_ref, self.trig_via, self.pools.records, self.pools.vias]
        return sum(a.nbytes for a in arrays)
