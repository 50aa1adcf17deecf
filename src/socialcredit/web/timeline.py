"""A subject's credit history as dated events, newest first, from a credit report and the
status history of the records it shows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, order=True)
class Event:
    on: str  # ISO date
    what: str
    kind: str  # record, status, listed, delisted, measure
    # the parts of ``what``, for pages that word it in another language
    parts: dict[str, Any] = field(default_factory=dict, compare=False)


def timeline(
    report: dict[str, Any], changes: Sequence[tuple[str, str, dt.date]] = ()
) -> list[Event]:
    """Records decided and their status changes, listings started and ended, measures
    started, up to the report's date."""
    as_of = report["as_of"]
    records = {r["id"]: r for r in report["records"]}
    events = [
        Event(
            r["decided_on"],
            f"{r['category']} {r['doc_no']} decided by {r['agency']}",
            "record",
            {"category": r["category"], "doc_no": r["doc_no"], "agency": r["agency"]},
        )
        for r in records.values()
    ]
    for record_id, status, day in changes:
        record = records.get(record_id)
        if record is not None:
            what = f"{record['category']} {record['doc_no']}: {status}"
            parts = {"category": record["category"], "doc_no": record["doc_no"], "status": status}
            events.append(Event(day.isoformat(), what, "status", parts))
    for entry in report["list_entries"]:
        parts = {"title": entry["title"], "removed_by": entry["removed_by"]}
        events.append(Event(entry["starts"], f"placed on the {entry['title']}", "listed", parts))
        ends = entry["ends"]
        if ends and ends <= as_of:
            why = f" ({entry['removed_by']})" if entry["removed_by"] else ""
            events.append(Event(ends, f"left the {entry['title']}{why}", "delisted", parts))
    for measure in report["measures_in_force"]:
        what = f"{measure['effect']} by {measure['agency']}: {', '.join(measure['actions'])}"
        parts = {k: measure[k] for k in ("effect", "agency", "actions")}
        events.append(Event(measure["starts"], what, "measure", parts))
    return sorted((e for e in events if e.on <= as_of), reverse=True)
