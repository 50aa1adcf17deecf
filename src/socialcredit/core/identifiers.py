"""Identifiers of subjects: the Unified Social Credit Code and the resident ID number.

Validation is python-stdnum's (``stdnum.cn.uscc`` and ``stdnum.cn.ric``); this module only
turns its exceptions into reasons a clerk understands.

>>> parse_id("91350100M000100Y43").kind
'organisation'
>>> parse_id("11010519491231002x").code
'11010519491231002X'
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from stdnum import numdb
from stdnum.cn import ric, uscc

from socialcredit.core.errors import InvalidIdentifier

SubjectKind = Literal["person", "organisation"]
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
DIGITS = "0123456789"  # ASCII only: str.isdigit() would let full-width digits through
LENGTH = 18


@dataclass(frozen=True, slots=True)
class Identifier:
    """A valid, normalised identity number and the kind of subject it names."""

    code: str
    kind: SubjectKind

    @property
    def birth_date(self) -> dt.date | None:
        """The birth date encoded in a resident ID number; None for an organisation."""
        return birth_date_of(self.code) if self.kind == "person" else None

    @property
    def region(self) -> str:
        """The six-digit administrative division code."""
        return self.code[:6] if self.kind == "person" else self.code[2:8]


@lru_cache(maxsize=1 << 16)
def parse_id(code: str, kind: SubjectKind | None = None) -> Identifier:
    """Validate and normalise ``code``; raise InvalidIdentifier with a reason in words.

    Without ``kind``, a code valid one way is read that way (valid both ways, a person). An
    invalid code is reported as the kind it most resembles: the kind whose check character
    it has, else a resident ID number when its birth date and region are real; when nothing
    tells them apart, the reason names both kinds.
    """
    compact = "".join(str(code).split()).replace("-", "").upper()
    if kind is None:
        kind, reason = _guess(compact)
    else:
        reason = _ric_problem(compact) if kind == "person" else _uscc_problem(compact)
    if reason:
        raise InvalidIdentifier(str(code), reason)
    return Identifier(compact, kind)


def is_valid_id(code: str) -> bool:
    """True when ``code`` is a valid USCC or resident ID number."""
    try:
        parse_id(code)
    except InvalidIdentifier:
        return False
    return True


def looks_like_person(code: str) -> bool:
    """Is ``code`` read as a resident ID number (a person) rather than a USCC? Digits-only
    codes are both; a USCC's own check character decides."""
    return _guess("".join(str(code).split()).upper())[0] == "person"


def _guess(code: str) -> tuple[SubjectKind, str | None]:
    """The kind ``code`` is read as, and what is wrong with it as that kind (None: valid)."""
    if len(code) != LENGTH or any(c not in DIGITS for c in code[:17]):
        return "organisation", _uscc_problem(code)  # a resident ID has 17 digits first
    ric_problem = _ric_problem(code)
    if ric_problem is None:
        return "person", None
    uscc_problem = _uscc_problem(code)
    if uscc_problem is None:
        return "organisation", None
    ric_check = code[-1] == ric.calc_check_digit(code)
    uscc_check = code[-1] == uscc.calc_check_digit(code)
    if ric_check != uscc_check:
        return ("person", ric_problem) if ric_check else ("organisation", uscc_problem)
    if _ric_body_problem(code) is None:
        return "person", ric_problem
    return "person", (
        f"neither a resident ID number ({ric_problem}) "
        f"nor a unified social credit code ({uscc_problem})"
    )


def _length_problem(code: str) -> str | None:
    if len(code) != LENGTH:
        return f"wrong length: {len(code)} characters, an identity number has {LENGTH}"
    return None


def _ric_problem(code: str) -> str | None:
    if problem := _length_problem(code):
        return problem
    for position, char in enumerate(code, start=1):
        allowed = char in DIGITS or (position == LENGTH and char == "X")
        if not allowed:
            return (
                f"character {char!r} at position {position} is not allowed in a resident ID number"
            )
    expected = ric.calc_check_digit(code)
    if code[-1] != expected:
        return f"check character should be {expected}, not {code[-1]}"
    return _ric_body_problem(code)


def _ric_body_problem(code: str) -> str | None:
    """What is wrong with the birth date or region of 17 digits (None: both are real)."""
    try:
        birth_date_of(code)
    except ValueError:
        return f"no such birth date: {code[6:10]}-{code[10:12]}-{code[12:14]}"
    if not is_division_code(code[:6]):
        return f"unknown region: {code[:6]} is not an administrative division code"
    return None


def birth_date_of(code: str) -> dt.date:
    """The birth date in positions 7 to 14 of a compacted resident ID number: what
    ``ric.get_birth_date`` computes, without its cleaning the string again (it is called
    once per row of an ingest); raise ValueError when there is no such date."""
    return dt.date(int(code[6:10]), int(code[10:12]), int(code[12:14]))


@lru_cache(maxsize=8192)
def is_division_code(region: str) -> bool:
    """True when stdnum's table of divisions has ``region`` in any period.

    stdnum's own ``ric.validate`` also requires the division to have existed in the birth
    year; but numbers were issued from 1984 on, with the division of registration at the
    time, so a person born in 1960 rightly holds a code created in 1983. We do not apply
    that check.
    """
    results = numdb.get("cn/loc").info(region)
    return any("county" in props for _, props in results)


def _uscc_problem(code: str) -> str | None:
    """GB 32100-2015: position 1 is the registration authority's code and position 2 the
    organisation class within it, both characters of the code set (``Y`` is "other");
    positions 3 to 8 are the administrative division (digits); 9 to 17 the body; 18 the
    check character. python-stdnum's ``uscc.validate`` wants digits in positions 1 and 2
    too, so it is not asked; its check-character computation is used."""
    if problem := _length_problem(code):
        return problem
    for position, char in enumerate(code, start=1):
        if char not in USCC_ALPHABET:
            return (
                f"character {char!r} at position {position} is not allowed "
                "in a unified social credit code (I, O, S, V and Z are never used)"
            )
        if 3 <= position <= 8 and char not in DIGITS:
            return (
                f"character {char!r} at position {position} is not allowed: "
                "positions 3 to 8 of a unified social credit code (the administrative "
                "division) are digits"
            )
    expected = uscc.calc_check_digit(code)
    if code[-1] != expected:
        return f"check character should be {expected}, not {code[-1]}"
    return None
