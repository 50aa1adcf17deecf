"""Catalog field types: what a record's fields may hold, and how raw values are read.

A field type is written ``text``, ``int``, ``decimal``, ``money``, ``date``, ``bool``, ``id`` or
``enum[a, b, c]``; a trailing ``?`` makes the field optional.

>>> FieldType.parse("enum[refuses, evades]?").read("evades")
'evades'
>>> FieldType.parse("money").read("1,200.50")
1200.5
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from typing import Any

from socialcredit.core.errors import InvalidIdentifier
from socialcredit.core.identifiers import parse_id

BASE_TYPES = ("text", "int", "decimal", "money", "date", "bool", "id", "enum")
_ENUM = re.compile(r"^enum\[([^\]]*)\]$")
_TRUE = {"true", "yes", "1", "y", "t"}
_FALSE = {"false", "no", "0", "n", "f"}
MAX_TEXT = 2000
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f]")  # below 32, except tab and line feed


class FieldError(ValueError):
    """A raw value that does not fit its field type."""


@dataclass(frozen=True, slots=True)
class FieldType:
    base: str
    optional: bool = False
    choices: tuple[str, ...] = ()

    @classmethod
    def parse(cls, text: str) -> FieldType:
        """Read a type written in a pack; raise ValueError naming the accepted types."""
        spec = text.strip()
        optional = spec.endswith("?")
        spec = spec.rstrip("?").strip()
        if match := _ENUM.match(spec):
            choices = tuple(c.strip() for c in match.group(1).split(",") if c.strip())
            if not choices:
                raise ValueError("enum[] needs at least one choice")
            return cls("enum", optional, choices)
        if spec not in BASE_TYPES or spec == "enum":
            raise ValueError(f"unknown field type {text!r}; use one of {', '.join(BASE_TYPES)}")
        return cls(spec, optional)

    def read(self, raw: Any) -> Any:
        """The typed value of a raw value (a string from CSV, or a JSON value)."""
        if raw is None or (isinstance(raw, str) and raw.strip() == ""):
            if self.optional:
                return None
            raise FieldError("is required")
        return _READERS[self.base](self, raw)

    def load(self, stored: Any) -> Any:
        """The typed value of a value this project stored after ``read`` checked it (JSON)."""
        if stored is None:
            return None
        if self.base == "date" and isinstance(stored, str):
            return dt.date.fromisoformat(stored)
        return stored


def _text(_: FieldType, raw: Any) -> str:
    if not isinstance(raw, str | int | float):
        raise FieldError(f"should be text, not {type(raw).__name__}")
    text = str(raw).strip()
    if len(text) > MAX_TEXT:
        raise FieldError(f"is longer than {MAX_TEXT} characters")
    if _CONTROL.search(text):  # one regex pass, not a Python loop over every character
        raise FieldError("contains control characters")
    return text


def _int(_: FieldType, raw: Any) -> int:
    if isinstance(raw, bool):
        raise FieldError("should be a whole number, not true/false")
    text = _plain_number(raw) if not isinstance(raw, int) else ""
    try:
        value = float(text) if not isinstance(raw, int) else raw
    except ValueError:
        raise FieldError(f"should be a whole number, not {raw!r}") from None
    if not math.isfinite(value) or abs(value) > MAX_INT:
        raise FieldError(f"should be a whole number of at most {MAX_INT:.0e}, not {raw!r}")
    if value != int(value):
        raise FieldError(f"should be a whole number, not {raw!r}")
    return int(value)


def _decimal(_: FieldType, raw: Any) -> float:
    """A number that may have a fractional part (a score, points): 89.9, -0.5. A comma is
    refused, as it may be a thousands separator or a decimal comma."""
    if isinstance(raw, bool):
        raise FieldError("should be a number, not true/false")
    if isinstance(raw, str) and "," in raw:
        raise FieldError(f"should be a number written with a decimal point, not {raw!r}")
    try:
        value = float(str(raw).strip()) if not isinstance(raw, int | float) else float(raw)
    except ValueError:
        raise FieldError(f"should be a number, not {raw!r}") from None
    if value != value or value in (float("inf"), float("-inf")) or abs(value) >= 1e12:
        raise FieldError(f"should be a finite number below a trillion, not {raw!r}")
    return round(value, 4)


def _money(_: FieldType, raw: Any) -> float:
    """An amount of yuan: finite, not negative, at most MAX_AMOUNT (ten trillion yuan, far
    above any fine or debt on record, and still exact to the fen in a float)."""
    if isinstance(raw, bool):
        raise FieldError("should be an amount of yuan, not true/false")
    text = _plain_number(raw)
    try:
        value = float(text)
    except ValueError:
        raise FieldError(f"should be an amount of yuan, not {raw!r}") from None
    if not math.isfinite(value) or value < 0:
        raise FieldError(f"should be a non-negative amount, not {raw!r}")
    if value > MAX_AMOUNT:
        raise FieldError(f"should be an amount of at most {MAX_AMOUNT:.0e} yuan, not {raw!r}")
    return round(value, 2)


MAX_AMOUNT = 1e13  # yuan
MAX_INT = 1e15
_GROUPED = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")


def _plain_number(raw: Any) -> str:
    """The text of a number with its thousands separators taken out. A comma is read as a
    thousands separator only where nothing else can be meant (``1,200.50``, ``1,000,000``);
    ``1,000`` or ``1,5`` may as well be written with a decimal comma, so it is refused."""
    text = str(raw).strip()
    if "," not in text:
        return text
    if _GROUPED.match(text) and (text.count(",") > 1 or "." in text):
        return text.replace(",", "")
    raise FieldError(
        f"{raw!r} is ambiguous: its comma may be a thousands separator or a decimal comma; "
        "write the number without commas (1000, or 1.5)"
    )


EARLIEST, LATEST = dt.date(1900, 1, 1), dt.date(2199, 12, 31)


def plausible_date(day: dt.date) -> str | None:
    """Why a date is outside the years a record can speak of (1900 to 2199), or None."""
    if EARLIEST <= day <= LATEST:
        return None
    return f"{day.isoformat()} is outside {EARLIEST.year}-{LATEST.year}"


def _date(_: FieldType, raw: Any) -> dt.date:
    if isinstance(raw, dt.datetime):
        day = raw.date()
    elif isinstance(raw, dt.date):
        day = raw
    else:
        try:
            day = dt.date.fromisoformat(str(raw).strip())
        except ValueError:
            raise FieldError(f"should be a date written YYYY-MM-DD, not {raw!r}") from None
    if problem := plausible_date(day):
        raise FieldError(f"should be a plausible date: {problem}")
    return day


def _bool(_: FieldType, raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise FieldError(f"should be true or false, not {raw!r}")


def _id(_: FieldType, raw: Any) -> str:
    try:
        return parse_id(str(raw)).code
    except InvalidIdentifier as error:
        raise FieldError(f"is not a valid identity number: {error.reason}") from None


def _enum(field: FieldType, raw: Any) -> str:
    value = str(raw).strip()
    if value not in field.choices:
        raise FieldError(f"should be one of {', '.join(field.choices)}, not {value!r}")
    return value


_READERS = {
    "text": _text,
    "int": _int,
    "decimal": _decimal,
    "money": _money,
    "date": _date,
    "bool": _bool,
    "id": _id,
    "enum": _enum,
}
