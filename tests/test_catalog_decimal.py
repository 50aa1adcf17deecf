"""The ``decimal`` field type: points and scores that need not be whole (issue 15 item 5)."""

from __future__ import annotations

import pytest

from socialcredit.core.catalog import FieldError, FieldType

DECIMAL = FieldType.parse("decimal")


@pytest.mark.parametrize(
    ("raw", "value"), [("89.9", 89.9), (10.1, 10.1), (3, 3.0), ("-0.5", -0.5), (" 7 ", 7.0)]
)
def test_reads_fractions_and_whole_numbers(raw: object, value: float) -> None:
    assert DECIMAL.read(raw) == value


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("1,5", "decimal point"),
        ("1,000", "decimal point"),
        (True, "not true/false"),
        ("nan", "finite"),
        ("1e308", "finite"),
        ("eleven", "should be a number"),
    ],
)
def test_refuses_what_is_not_a_plain_number(raw: object, message: str) -> None:
    with pytest.raises(FieldError, match=message):
        DECIMAL.read(raw)


def test_optional_decimal_may_be_empty() -> None:
    assert FieldType.parse("decimal?").read("") is None
