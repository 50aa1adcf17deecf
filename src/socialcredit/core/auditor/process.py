"""Due process (notice, objection, correction, repair paths and their deadlines), duration
(open-ended listings, listings longer than the source's own publication maximum, records
kept longer than they are published) and vagueness (catch-all wording left to discretion)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from socialcredit.core.auditor.findings import HIGH, LOW, MEDIUM, Finding
from socialcredit.core.auditor.periods import Periods
from socialcredit.core.auditor.scales import Scales
from socialcredit.core.auditor.scope import pack_lists, pack_ratings
from socialcredit.core.durations import parse_duration
from socialcredit.core.pack.model import Pack, Rulebook
from socialcredit.core.pack.schema import ProcessStep
from socialcredit.core.rules.functions import add_interval

ESSENTIAL_PATHS = ("notice", "objection")


def due_process(
    book: Rulebook, pack: Pack, day: dt.date, scales: Scales
) -> tuple[list[dict[str, Any]], list[Finding]]:
    """For each list and rating in force: which paths it offers, with their deadlines."""
    rules: list[tuple[str, str, list[ProcessStep]]] = [
        (r.list_id, r.definition.kind, r.version.due_process) for r in pack_lists(book, pack, day)
    ]
    rules += [(r.rating_id, "rating", r.version.due_process) for r in pack_ratings(book, pack, day)]
    rows, findings = [], []
    for name, kind, steps in rules:
        paths = {
            path: [_step(s) for s in steps if s.kind in kinds]
            for path, kinds in scales.due_process_paths.items()
        }
        missing = [path for path, found in paths.items() if not found]
        rows.append({"rule": name, "kind": kind, "paths": paths, "missing": missing})
        if missing and kind != "redlist":
            essential = any(path in ESSENTIAL_PATHS for path in missing)
            findings.append(
                Finding(
                    pack.id,
                    "due_process",
                    HIGH if essential else MEDIUM,
                    name,
                    f"the {kind} '{name}' has no {' / '.join(missing)} path in its sources.",
                    score=len(missing),
                )
            )
    return rows, findings


def _step(step: ProcessStep) -> dict[str, Any]:
    deadline = f"{step.days} {step.day_kind} days" if step.days is not None else None
    return {"id": step.id, "kind": step.kind, "deadline": deadline, "from": step.counted_from}


def durations(
    book: Rulebook, pack: Pack, day: dt.date, periods: dict[str, Periods]
) -> tuple[list[dict[str, Any]], list[Finding]]:
    """Open-ended listings, listings beyond the category's publication maximum, retention."""
    rows, findings = [], []
    for rule in pack_lists(book, pack, day):
        found = periods[rule.list_id]
        category = book.categories[rule.category][1]
        row = {**found.as_dict(), "publication_max": category.publication_max}
        rows.append(row)
        if found.open_ended and rule.definition.kind == "blacklist":
            findings.append(
                Finding(
                    pack.id,
                    "duration",
                    MEDIUM,
                    rule.list_id,
                    f"'{rule.list_id}' lists without an end in {found.open_ended} of its "
                    f"{found.listed} listing cases: only a later event ends the entry.",
                    score=found.open_ended / max(found.listed, 1),
                )
            )
        findings += _beyond_maximum(pack, rule.list_id, found, category.publication_max, day)
    for category_id, category in pack.spec.catalog.items():
        findings += _retention(pack, category_id, category.publication_max, category.retention, day)
    return rows, findings


def _days(text: str, day: dt.date) -> int:
    return (add_interval(day, parse_duration(text)) - day).days


def _beyond_maximum(
    pack: Pack, list_id: str, found: Periods, maximum: str | None, day: dt.date
) -> list[Finding]:
    if maximum is None:
        return []
    longest = found.longest_days or 0
    if not found.open_ended and longest <= _days(maximum, day):
        return []
    what = "without an end" if found.open_ended else f"for up to {longest} days"
    return [
        Finding(
            pack.id,
            "duration",
            HIGH,
            list_id,
            f"'{list_id}' lists {what}, beyond the {maximum} its source allows for publication.",
        )
    ]


def _retention(
    pack: Pack, category_id: str, publication: str | None, retention: str | None, day: dt.date
) -> list[Finding]:
    if publication is None or retention is None or _days(retention, day) <= _days(publication, day):
        return []
    return [
        Finding(
            pack.id,
            "duration",
            LOW,
            category_id,
            f"records of '{category_id}' are kept {retention}, longer than they are published "
            f"({publication}).",
        )
    ]


def vagueness(
    book: Rulebook, pack: Pack, day: dt.date
) -> tuple[list[dict[str, Any]], list[Finding]]:
    """Every rule in force whose source leaves the decision to discretion, with the wording."""
    rows: list[dict[str, Any]] = []
    for rule in pack_lists(book, pack, day):
        wording = rule.version.discretion
        if wording:
            rows.append({"rule": rule.list_id, "kind": "listing", "wording": wording})
        for exemption, _ in rule.exemptions:
            if exemption.discretion:
                rows.append(
                    {
                        "rule": f"{rule.list_id}/{exemption.id}",
                        "kind": "exemption",
                        "wording": exemption.discretion,
                    }
                )
    for rating in pack_ratings(book, pack, day):
        for direct, _ in rating.direct:
            if direct.discretion:
                rows.append(
                    {
                        "rule": f"{rating.rating_id}/{direct.id}",
                        "kind": f"direct grade {direct.grade}",
                        "wording": direct.discretion,
                    }
                )
    findings = [
        Finding(
            pack.id,
            "vagueness",
            MEDIUM if row["kind"] != "exemption" else LOW,
            row["rule"],
            f"'{row['rule']}' ({row['kind']}) turns on a catch-all: "
            f"{' '.join(str(row['wording']).split())}",
        )
        for row in rows
    ]
    return rows, findings
