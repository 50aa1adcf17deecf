"""Values as the store's JSON columns keep them (a record's fields and original values)."""

from __future__ import annotations

import datetime as dt
from typing import Any

PLAIN = frozenset({str, int, float, bool, type(None)})  # stored as they are, tested first
KEYS = frozenset({str})


def jsonable(values: dict[str, Any]) -> dict[str, Any]:
    """Values as JSON can store them: dates as ISO text, anything unusual as its text.
    Values already plain (a CSV row's text) are returned as they are, not copied."""
    if KEYS.issuperset(map(type, values)) and PLAIN.issuperset(map(type, values.values())):
        return values
    return {
        key if type(key) is str else str(key): value if type(value) in PLAIN else _plain(value)
        for key, value in values.items()
    }


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return jsonable(value)
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return str(value)
