"""The measures in force as the compiled plan gives them (``measures_plan``): one flat row
per measure applied, an Arrow column per field, and the feed's row of each (the shape of
``services/labelling/events.py::_measure_row``: the payload nested, its dates ISO strings).
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
_PAYLOAD = ("measure", "memorandum", "pack", "effect", "applied_by", "domain", "target", "via")


def measure_row(row: Mapping[str, Any]) -> dict[str, Any]:
    """The ``measures_in_force`` row (and ``measure.started`` event body) of a flat row."""
    if row["trigger_kind"] == "list_entry":
        cause = {"kind": "list_entry", "list": row["trigger_list"], "record": row["trigger_record"]}
    else:
        cause = {"kind": "rating", "rating": row["trigger_rating"], "grade": row["trigger_grade"]}
    until = row["until"]
    return {
        **{name: row[name] for name in ("key", "subject_id", "category", "disclosure", "agency")},
        "payload": {
            **{name: row[name] for name in _PAYLOAD},
            "trigger": {**cause, "subject": row["trigger_subject"]},
            "starts": row["starts"].isoformat(),
            "until": until.isoformat() if until is not None else None,
        },
    }


def measure_rows(table: pa.Table) -> list[dict[str, Any]]:
    """The feed's rows of a measures table, in its order."""
    return [measure_row(row) for row in table.to_pylist()]
