"""The measures in force as the compiled plan gives them (``measures_plan``): one flat row
per measure applied, an Arrow column per field, and the feed's row of each (the shape of
``measures_in_force`` rows: the payload nested, its dates ISO strings).
Pure: no backend."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pyarrow as pa

_DATES = ("starts", "until")
COLUMNS = (
    "key",
    "subject_id",
    "category",
    "disclosure",
    "agency",
    "measure",
    "memorandum",
    "pack",
    "effect",
    "applied_by",
    "domain",
    "target",
    "via",
    "trigger_kind",
    "trigger_list",
    "trigger_record",
    "trigger_rating",
    "trigger_grade",
    "trigger_subject",
    *_DATES,
)
MEASURES = pa.schema([(c, pa.date32() if c in _DATES else pa.string()) for c in COLUMNS])


def measure_row(row: Mapping[str, Any]) -> dict[str, Any]:
    """The ``measures_in_force`` row (and ``measure.started`` event body) of a flat row."""
    values = [row[name] for name in COLUMNS]
    for place in (-2, -1):  # starts, until
        values[place] = values[place].isoformat() if values[place] is not None else None
    return _feed_row(*values)


def measure_rows(table: pa.Table) -> list[dict[str, Any]]:
    """The feed's rows of a measures table, in its order: column by column, the dates
    written as ISO text by Arrow (no Python row dict in between)."""
    columns = [
        table.column(name).cast(pa.string()) if name in _DATES else table.column(name)
        for name in COLUMNS
    ]
    return [_feed_row(*values) for values in zip(*(c.to_pylist() for c in columns), strict=True)]


def _feed_row(
    key: str, subject_id: str, category: str | None, disclosure: str, agency: str | None,
    measure: str, memorandum: str, pack: str, effect: str, applied_by: str, domain: str,
    target: str, via: str | None, trigger_kind: str, trigger_list: str | None,
    trigger_record: str | None, trigger_rating: str | None, trigger_grade: str | None,
    trigger_subject: str, starts: str, until: str | None,
) -> dict[str, Any]:  # fmt: skip
    cause = (
        {"kind": trigger_kind, "list": trigger_list, "record": trigger_record}
        if trigger_kind == "list_entry"
        else {"kind": trigger_kind, "rating": trigger_rating, "grade": trigger_grade}
    )
    cause["subject"] = trigger_subject
    return {
        "key": key,
        "subject_id": subject_id,
        "category": category,
        "disclosure": disclosure,
        "agency": agency,
        "payload": {
            "measure": measure,
            "memorandum": memorandum,
            "pack": pack,
            "effect": effect,
            "applied_by": applied_by,
            "domain": domain,
            "target": target,
            "via": via,
            "trigger": cause,
            "starts": starts,
            "until": until,
        },
    }
