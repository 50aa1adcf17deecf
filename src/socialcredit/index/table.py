"""The columnar store of the index: sorted numpy arrays, no Python object per subject.

Rows are the listed subjects (those with a measure in force on some covered day), ordered by
the hash of their identity number; ``ids`` holds the numbers themselves (18 bytes each) to
confirm a hit, and a directory of the hash's top bits narrows the search. Each row owns a run
of segments (``seg_off``), each a start day and a shape (``Shapes``), and a run of triggers
(``trig_off``) that the shapes' slots point into. ``seg_key`` packs (row, day) into one
sortable int64, so a batch finds every segment with one ``searchsorted``.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator, Sequence

import numpy as np
import numpy.typing as npt

from socialcredit.index.pools import TriggerPool
from socialcredit.index.sweep import TriggerId

ID_WIDTH = 18  # resident ID numbers and unified social credit codes alike
DAY_BITS = 24  # days from the first covered day; 2**24 days is 45,000 years
TOP_BITS = 16  # the directory: one entry per value of the hash's top 16 bits
# A listed subject as stored: its segments (first day as an ordinal, shape) and triggers.
StoredRow = tuple[list[tuple[int, int]], tuple[TriggerId, ...]]
Ints = npt.NDArray[np.int64]


def subject_hash(subject_id: str) -> int:
    """The row key: Python's string hash (per process, as the index is built in process)."""
    return hash(subject_id)


class DecisionTable:
    """Segments of the listed subjects over the covered days [start, end) (ordinals)."""

    def __init__(self, start: int, end: int, rows: Iterable[tuple[str, StoredRow]]):
        self.start, self.end = start, end
        ordered = sorted(rows, key=lambda row: (subject_hash(row[0]), row[0]))
        for subject_id, _ in ordered:
            if len(subject_id) != ID_WIDTH or not subject_id.isascii():
                raise ValueError(f"{subject_id!r} is not an 18-character identity number")
        self.ids = np.array([s for s, _ in ordered], dtype=f"S{ID_WIDTH}")
        self.keys = np.array([subject_hash(s) for s, _ in ordered], dtype=np.int64)
        top = (self.keys >> (64 - TOP_BITS)) + (1 << (TOP_BITS - 1))
        self.directory = np.searchsorted(top, np.arange((1 << TOP_BITS) + 1)).astype(np.int32)
        counts = [len(segments) for _, (segments, _) in ordered]
        self.seg_off = _offsets(counts)
        rows_of = np.repeat(np.arange(len(ordered), dtype=np.int64), counts)
        days = np.array([d for _, (segs, _) in ordered for d, _ in segs], dtype=np.int64)
        self.seg_key = (rows_of << DAY_BITS) | (days - start)
        shapes = [shape for _, (segs, _) in ordered for _, shape in segs]
        width = np.int16 if max(shapes, default=0) < np.iinfo(np.int16).max else np.int32
        self.seg_shape = np.array(shapes, dtype=width)
        self.trig_off = _offsets([len(triggers) for _, (_, triggers) in ordered])
        self.pool = TriggerPool([t for _, (_, triggers) in ordered for t in triggers])
        # Views for single look-ups, cheaper than numpy: the ids as one ASCII string (compared
        # in place by ``startswith``, without encoding the id asked or slicing a copy).
        self._ids = self.ids.tobytes().decode("ascii")
        self._keys, self._directory = self.keys.data, self.directory.data
        self._seg_off, self._seg_key = self.seg_off.data, self.seg_key.data
        self._seg_shape, self._trig_off = self.seg_shape.data, self.trig_off.data

    def __len__(self) -> int:
        return len(self.keys)

    def row(self, subject_id: str) -> int:
        """The subject's row, or -1 when it is not listed on any covered day."""
        key = subject_hash(subject_id)
        bucket = (key >> (64 - TOP_BITS)) + (1 << (TOP_BITS - 1))
        keys, hi = self._keys, self._directory[bucket + 1]
        at = bisect.bisect_left(keys, key, self._directory[bucket], hi)
        while at < hi and keys[at] == key:
            if len(subject_id) == ID_WIDTH and self._ids.startswith(subject_id, at * ID_WIDTH):
                return at
            at += 1
        return -1

    def segment(self, row: int, day: int) -> int:
        """The row's segment that holds ``day`` (a covered ordinal)."""
        target = (row << DAY_BITS) | (day - self.start)
        lo, hi = self._seg_off[row], self._seg_off[row + 1]
        return bisect.bisect_right(self._seg_key, target, lo, hi) - 1

    def shape_on(self, subject_id: str, day: int) -> int:
        """The shape in force for the subject on ``day`` (covered); 0 when not listed.
        ``row`` and ``segment`` in one, for the single look-up's sake; a bucket of the
        directory without the key (most of them hold no row or one) asks no ``bisect``."""
        key = hash(subject_id)  # subject_hash, inlined
        bucket = (key >> (64 - TOP_BITS)) + (1 << (TOP_BITS - 1))
        directory = self._directory
        at, hi = directory[bucket], directory[bucket + 1]
        if at == hi:
            return 0
        keys = self._keys
        if hi - at > 1:
            at = bisect.bisect_left(keys, key, at, hi)
        while at < hi and keys[at] == key:
            if len(subject_id) == ID_WIDTH and self._ids.startswith(subject_id, at * ID_WIDTH):
                lo, last = self._seg_off[at], self._seg_off[at + 1]
                if last - lo > 1:  # the first segment starts on the first covered day
                    target = (at << DAY_BITS) | (day - self.start)
                    lo = bisect.bisect_right(self._seg_key, target, lo, last) - 1
                shape: int = self._seg_shape[lo]
                return shape
            at += 1
        return 0

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
        if len(self.seg_shape) == 0:  # nobody listed
            return np.zeros(len(rows), dtype=np.int64)
        targets = (np.where(listed, rows, 0) << DAY_BITS) | (days - self.start)
        segments = np.searchsorted(self.seg_key, targets, side="right") - 1
        shapes = self.seg_shape[np.maximum(segments, 0)].astype(np.int64)
        return np.where(listed, shapes, 0)

    def triggers(self, row: int, slots: Iterable[int] | None = None) -> tuple[TriggerId, ...]:
        """The row's triggers, which its shapes' slots point to (those in ``slots``, or all)."""
        first = self._trig_off[row]
        if slots is None:
            slots = range(self._trig_off[row + 1] - first)
        return self.pool.get(first + slot for slot in slots)

    def interval(self, row: int, segment: int) -> tuple[int, int]:
        """The days [from, to) of a segment of a row (ordinals)."""
        mask, keys = (1 << DAY_BITS) - 1, self._seg_key
        first = self.start + (keys[segment] & mask)
        if segment == self._seg_off[row + 1] - 1:
            return first, self.end
        return first, self.start + (keys[segment + 1] & mask)

    def shape_at(self, segment: int) -> int:
        shape: int = self._seg_shape[segment]
        return shape

    def stored(self) -> Iterator[tuple[str, StoredRow]]:
        """Every row back as (subject, row): what ``compact`` rebuilds the table from."""
        for row in range(len(self.keys)):
            yield self.ids[row].decode(), self.stored_row(row)

    def stored_row(self, row: int) -> StoredRow:
        segments = range(int(self.seg_off[row]), int(self.seg_off[row + 1]))
        found = [(self.interval(row, seg)[0], self.shape_at(seg)) for seg in segments]
        return found, self.triggers(row)

    @property
    def nbytes(self) -> int:
        arrays = [self.ids, self.keys, self.directory, self.seg_off, self.seg_key]
        arrays += [self.seg_shape, self.trig_off]
        return sum(a.nbytes for a in arrays) + self.pool.nbytes


def _offsets(counts: list[int]) -> npt.NDArray[np.int32]:
    """Where each row's run starts (int32: 2 billion segments or triggers at most)."""
    if sum(counts) >= np.iinfo(np.int32).max:
        raise ValueError("more than 2**31 segments or triggers: split the index")
    offsets = np.zeros(len(counts) + 1, dtype=np.int32)
    np.cumsum(counts, out=offsets[1:])
    return offsets
