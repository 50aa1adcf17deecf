"""Identity numbers checked by column: format, check character, birth date and division code
of a whole column at once, with numpy over the codes' bytes.

Only a code already written in its canonical form (18 characters of digits and capital
letters, nothing to compact) is judged here, and only a valid one is named: every other code
is left to ``core.identifiers.parse_id``, which gives the reason in words. The check
characters are python-stdnum's (``stdnum.cn.ric`` and ``stdnum.cn.uscc``, computed for all
rows at once); a birth date and a division code are looked up once per distinct value, by
the same functions ``parse_id`` uses.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from socialcredit.core.identifiers import (
    LENGTH,
    USCC_ALPHABET,
    SubjectKind,
    birth_date_of,
    is_division_code,
)

RIC_WEIGHTS = np.array([pow(2, 17 - i, 11) for i in range(17)], dtype=np.int64)
USCC_WEIGHTS = np.array(
    (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28), dtype=np.int64
)
RIC_CHECK = np.frombuffer(b"0123456789X", dtype=np.uint8)  # by (1 - weighted sum) mod 11
USCC_CHECK = np.frombuffer(USCC_ALPHABET.encode(), dtype=np.uint8)
# The value of each byte in the USCC code set (digits 0-9 first, then letters); -1 outside.
VALUES = np.full(256, -1, dtype=np.int64)
VALUES[USCC_CHECK] = np.arange(len(USCC_ALPHABET))
CANONICAL = frozenset(USCC_ALPHABET) | {"X"}


@dataclass(frozen=True)
class IdColumn:
    """Per row: the kind of a valid identity number (``person``, ``organisation``), or None
    for a code this column check does not accept (invalid, or not in canonical form)."""

    kinds: list[SubjectKind | None]
    birth_dates: list[dt.date | None]
    regions: list[str | None]


def check_ids(codes: Sequence[str | None]) -> IdColumn:
    """Judge a column of identity numbers at once."""
    rows = [i for i, code in enumerate(codes) if _canonical(code)]
    kinds: list[SubjectKind | None] = [None] * len(codes)
    births: list[dt.date | None] = [None] * len(codes)
    regions: list[str | None] = [None] * len(codes)
    if not rows:
        return IdColumn(kinds, births, regions)
    chosen = [codes[i] or "" for i in rows]
    matrix = np.frombuffer("".join(chosen).encode("ascii"), dtype=np.uint8).reshape(-1, LENGTH)
    values = VALUES[matrix]
    days = _birth_days({code[6:14] for code in chosen})
    person = (_ric_checks(matrix, values) & _known(chosen, days)).tolist()
    organisation = _uscc_checks(matrix, values).tolist()
    for row, code, is_person, is_org in zip(rows, chosen, person, organisation, strict=True):
        if is_person:
            kinds[row], births[row], regions[row] = "person", days[code[6:14]], code[:6]
        elif is_org:
            kinds[row], regions[row] = "organisation", code[2:8]
    return IdColumn(kinds, births, regions)


def _canonical(code: str | None) -> bool:
    return type(code) is str and len(code) == LENGTH and CANONICAL.issuperset(code)


def _ric_checks(
    matrix: npt.NDArray[np.uint8], values: npt.NDArray[np.int64]
) -> npt.NDArray[np.bool_]:
    """17 digits then the MOD 11-2 check character of GB 11643 (a digit or X)."""
    body = values[:, :17]
    digits = ((body >= 0) & (body < 10)).all(axis=1)
    expected = RIC_CHECK[(1 - body @ RIC_WEIGHTS) % 11]
    checked: npt.NDArray[np.bool_] = digits & (matrix[:, 17] == expected)
    return checked


def _birth_days(births: set[str]) -> dict[str, dt.date]:
    """The real days among eight-character birth dates (YYYYMMDD), each read once."""
    days = {}
    for text in births:
        if text.isascii() and text.isdigit():
            try:
                days[text] = birth_date_of("000000" + text)
            except ValueError:
                continue
    return days


def _known(codes: list[str], days: dict[str, dt.date]) -> npt.NDArray[np.bool_]:
    """A real birth date and a known division code, each judged once per distinct value."""
    regions = {r for r in {code[:6] for code in codes} if r.isdigit() and is_division_code(r)}
    known = [code[6:14] in days and code[:6] in regions for code in codes]
    return np.array(known, dtype=np.bool_)


def _uscc_checks(
    matrix: npt.NDArray[np.uint8], values: npt.NDArray[np.int64]
) -> npt.NDArray[np.bool_]:
    """GB 32100-2015: every character in the code set, positions 3 to 8 digits, and the
    MOD 31 check character."""
    in_set = (values >= 0).all(axis=1)
    division = (values[:, 2:8] < 10).all(axis=1)
    expected = USCC_CHECK[(31 - values[:, :17] @ USCC_WEIGHTS) % 31]
    checked: npt.NDArray[np.bool_] = in_set & division & (matrix[:, 17] == expected)
    return checked
