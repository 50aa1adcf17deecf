"""Deliberately invalid rows, one known defect each, so that ingestion has errors to show.

A corrupted row is a copy of a valid row just written, with its own new document number (so
it never collides with a real record) and exactly one defect of a known kind.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

from stdnum.cn import ric, uscc

from socialcredit.synth import rates

BAD_CHECK = "bad_check_character"
WRONG_LENGTH = "wrong_length"
UNKNOWN_GROUND = "unknown_ground"
MALFORMED_DATE = "malformed_date"
NEGATIVE_AMOUNT = "negative_amount"
MISSING_DOC_NO = "missing_doc_no"
KINDS = (BAD_CHECK, WRONG_LENGTH, UNKNOWN_GROUND, MALFORMED_DATE, NEGATIVE_AMOUNT, MISSING_DOC_NO)
SUBJECT_KINDS = (BAD_CHECK, WRONG_LENGTH, MALFORMED_DATE, MISSING_DOC_NO)

WRONG_GROUNDS = ("refuses", "dishonest", "unable_to_pay", "other")
_CHECK_CHARACTERS = "0123456789XABCDEFGHJKLMNPQRTUWY"

Row = dict[str, str]


def is_valid_code(code: str) -> bool:
    """True when ``code`` is a valid resident ID number or USCC."""
    return bool(ric.is_valid(code) or uscc.is_valid(code))


def bad_check(code: str) -> str:
    """The code with a check character that makes it neither a valid RIC nor a valid USCC."""
    for char in _CHECK_CHARACTERS:
        candidate = code[:-1] + char
        if char != code[-1] and not is_valid_code(candidate):
            return candidate
    raise ValueError(f"cannot corrupt {code}")  # pragma: no cover - 31 choices, two valid


def malformed_date(rng: random.Random, day: dt.date) -> str:
    """A date written in a way the ISO reader refuses."""
    styles = (
        f"{day.year}/{day.month:02d}/{day.day:02d}",
        f"{day.day:02d}.{day.month:02d}.{day.year}",
        f"{day.year}-02-30",
    )
    return rng.choice(styles)


class Corrupter:
    """Decides which rows get a corrupted copy, makes it, and counts the copies by kind."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self.counts: dict[str, int] = dict.fromkeys(KINDS, 0)

    def maybe_corrupt(
        self, row: Row, kinds: tuple[str, ...], fresh_doc_no: Callable[[], str]
    ) -> Row | None:
        """A corrupted copy of ``row`` with probability INVALID_ROW_SHARE, else None."""
        if self._rng.random() >= rates.INVALID_ROW_SHARE:
            return None
        kind = self._rng.choice(kinds)
        copy = dict(row)
        copy["doc_no"] = "" if kind == MISSING_DOC_NO else fresh_doc_no()
        self._apply(copy, kind)
        self.counts[kind] += 1
        return copy

    def _apply(self, row: Row, kind: str) -> None:
        if kind == BAD_CHECK:
            row["subject"] = bad_check(row["subject"])
        elif kind == WRONG_LENGTH:
            row["subject"] = row["subject"][:-1]
        elif kind == UNKNOWN_GROUND:
            row["ground"] = self._rng.choice(WRONG_GROUNDS)
        elif kind == MALFORMED_DATE:
            row["decided_on"] = malformed_date(self._rng, dt.date.fromisoformat(row["decided_on"]))
        elif kind == NEGATIVE_AMOUNT:
            row["amount_due"] = "-" + row["amount_due"]
