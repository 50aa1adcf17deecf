"""Records without identifier made from known persons, to train and evaluate the linkage on
known truth: each keeps the person's name (now and then one character changed, as clerks
mistype), shows the identity number masked (head and tail) or not at all, the birth year
(sometimes missing) and the region (sometimes another county of the same prefecture). Some
records belong to persons who are not in the store, so that a precision can be measured."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from socialcredit.linkage.model import Candidate, LinkRow, record_row

GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华"


@dataclass(frozen=True)
class Shares:
    masked: float = 0.5  # the number shown masked; otherwise missing
    typo: float = 0.1
    no_birth_year: float = 0.1
    moved: float = 0.2  # region: another county of the same prefecture


def unidentified(
    persons: Sequence[tuple[str, str, str]], rng: random.Random, shares: Shares = Shares()
) -> list[tuple[LinkRow, str]]:
    """One record per (code, name, region), each with the code it truly belongs to."""
    found = []
    for index, (code, name, region) in enumerate(persons):
        written = name
        if rng.random() < shares.typo and len(name) > 1:
            written = name[:-1] + rng.choice(GIVEN.replace(name[-1], ""))
        shown = f"{code[:6]}********{code[14:]}" if rng.random() < shares.masked else None
        year = None if rng.random() < shares.no_birth_year else int(code[6:10])
        place = region
        if rng.random() < shares.moved:
            place = f"{region[:4]}{(int(region[4:]) % 20) + 1:02d}"
        found.append((record_row(f"r{index}", written, shown, year, place), code))
    return found


@dataclass(frozen=True)
class Evaluation:
    records: int
    linkable: int  # records whose person is in the store
    proposed: int  # records with a candidate at or above the threshold
    correct: int  # ... whose best candidate is the true person

    @property
    def precision(self) -> float:
        return self.correct / self.proposed if self.proposed else 1.0

    @property
    def recall(self) -> float:
        return self.correct / self.linkable if self.linkable else 1.0


def evaluate(
    candidates: Sequence[Candidate], truth: dict[str, str], in_store: set[str]
) -> Evaluation:
    """Each record's best candidate against the person it belongs to."""
    best: dict[str, Candidate] = {}
    for candidate in candidates:
        known = best.get(candidate.record)
        if known is None or candidate.probability > known.probability:
            best[candidate.record] = candidate
    correct = sum(1 for record, c in best.items() if truth.get(record) == c.subject)
    linkable = sum(1 for code in truth.values() if code in in_store)
    return Evaluation(len(truth), linkable, len(best), correct)
