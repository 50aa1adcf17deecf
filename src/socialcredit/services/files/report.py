"""A dated credit report: the file as the caller may see it, each list entry and measure
with its legal source in plain words, the dates measures lift, and how to object or repair
(the due-process steps each list's rule provides)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Engine

from socialcredit.core.access import Principal
from socialcredit.core.identifiers import parse_id
from socialcredit.core.pack.model import Rulebook
from socialcredit.core.pack.wording import split_note
from socialcredit.services.access.visibility import shown_to, visible_file
from socialcredit.services.audit import audit_read
from socialcredit.services.context import Context
from socialcredit.services.decisions.decide import credit_file_in
from socialcredit.services.errors import Refused
from socialcredit.services.lists.definitions import due_process_step

CONFIDENCE = {
    "V": "checked against the text of the source",
    "S": "taken from a reliable secondary source",
    "M": "from memory, not yet checked",
    "?": "uncertain: sources disagree or are missing",
}


class AccessDenied(Refused):
    """A subject key asking for another subject's report (403)."""

    def __init__(self, message: str) -> None:
        super().__init__(403, "forbidden", message)


def read_report(
    ctx: Context,
    caller: Principal,
    subject: str,
    as_of: dt.date | None = None,
    purpose: str | None = None,
) -> dict[str, Any]:
    """The use case "read a credit report": ``credit_report`` on ``as_of`` (default today)."""
    return credit_report(ctx.engine, ctx.book, subject, as_of or dt.date.today(), caller, purpose)


def credit_report(
    engine: Engine,
    book: Rulebook,
    subject: str,
    as_of: dt.date,
    principal: Principal,
    purpose: str | None = None,
) -> dict[str, Any]:
    """The report on ``subject`` as of ``as_of`` as ``principal`` may see it; the read is
    logged in the transaction that made it. Raises InvalidIdentifier, or AccessDenied for a
    subject key and another subject (before anything is read)."""
    code = parse_id(subject).code
    if principal.role == "subject" and principal.subject != code:
        raise AccessDenied("a subject key reads only its own report")
    with engine.begin() as db:
        seen = visible_file(credit_file_in(db, book, code, as_of), principal, book)
        report = _report(book, seen, as_of)
        shown = f"{len(report['list_entries'])} entries, "
        audit_read(
            db,
            principal,
            "subject.report",
            subject=code,
            purpose=purpose,
            result=shown + f"{len(report['measures_in_force'])} measures shown",
            revisions=book.revisions(),
        )
    return shown_to(principal, report)


def _report(book: Rulebook, seen: dict[str, Any], as_of: dt.date) -> dict[str, Any]:
    entries = [_entry(e) for e in seen["entries"]]
    measures = [_measure(book, m) for m in seen["measures"]]
    return {
        "subject": seen["subject"],
        "as_of": as_of.isoformat(),
        "generated_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "pack_revisions": book.revisions(),
        "summary": _summary(entries, measures, len(seen["records"])),
        "records": seen["records"],
        "list_entries": entries,
        "measures_in_force": measures,
        "ratings": seen["ratings"],
        "roles": seen["roles"],
        "how_to_object_or_repair": _remedies(book, seen["entries"]),
    }


def plain_source(citation: dict[str, Any], confidence: str | None = None) -> str:
    """A legal basis in words: title, provision, level, and how well the pack checked it."""
    provision = split_note(citation["provision"])[0]  # the pack's research note left out
    where = f"{citation['title']}, {provision}" if provision else citation["title"]
    level = str(citation["level"]).replace("_", " ")
    checked = CONFIDENCE.get(confidence or citation["confidence"], "")
    article = "an" if level[:1] in "aeiou" else "a"
    return (
        f"{where} ({article} {level}; this reading is {checked})"
        if checked
        else f"{where} ({level})"
    )


def _summary(entries: list[dict[str, Any]], measures: list[dict[str, Any]], records: int) -> str:
    active = [e for e in entries if e["active"]]
    if not active and not measures:
        return f"{records} record(s) shown; on no list and under no measure on this date."
    lifts = [m["until"] for m in measures]
    last = "open-ended" if None in lifts else max(lifts, default=None)
    return (
        f"{records} record(s) shown; on {len(active)} list(s) and under {len(measures)} "
        f"measure(s) on this date; the last measure lifts: {last or 'none in force'}."
    )


def _entry(entry: dict[str, Any]) -> dict[str, Any]:
    period = f"from {entry['starts']}" + (f" until {entry['ends']}" if entry["ends"] else "")
    state = "On" if entry["active"] else "Was on"
    why = (entry.get("public") or {}).get("en") or entry["reason"]
    words = (
        f"{state} the {entry['title']} {period}"
        f"{' (open-ended)' if not entry['ends'] else ''}. Why: {why} "
        f"Legal basis: {plain_source(entry['legal_basis'], entry['confidence'])}."
    )
    return {**entry, "in_plain_words": words + _deletion_words(entry.get("deletion"))}


def _deletion_words(deletion: dict[str, Any] | None) -> str:
    """The statutory deletion deadline of a removed entry, in words ("" when none)."""
    if deletion is None:
        return ""
    approximate = "" if deletion["exact"] else " (approximate: the official calendar ends earlier)"
    how = deletion["removed_by"].replace("-", " ")
    source = plain_source(deletion["legal_basis"], deletion["confidence"])
    return (
        f" Must be deleted by {deletion['delete_by']}{approximate}: "
        f"{deletion['working_days']} working days after the removal ({how}, "
        f"{deletion['removed_on']}); {source}."
    )


def _measure(book: Rulebook, measure: dict[str, Any]) -> dict[str, Any]:
    actions = _actions(book, measure["memorandum"]["id"], measure["measure"])
    until = measure["until"] or "while the listing or grade lasts (no end date)"
    via = f" through the role of {measure['target']} of {measure['via']}" if measure["via"] else ""
    words = (
        f"{measure['effect']} for {', '.join(actions) or 'the actions it names'} "
        f"({measure['agency']}){via}, since {measure['starts']}, until {until}. "
        f"Legal basis: {plain_source(measure['legal_basis'], measure['confidence'])}; "
        f"memorandum: {measure['memorandum']['title']}."
    )
    return {**measure, "actions": actions, "in_plain_words": words}


def _actions(book: Rulebook, memorandum_id: str, measure_id: str) -> list[str]:
    for memo in book.memoranda:
        if memo.memorandum_id == memorandum_id:
            for measure in memo.spec.measures:
                if measure.id == measure_id:
                    return list(measure.actions)
    return []


def _remedies(book: Rulebook, entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """For each list version the subject's entries come from: its due-process steps."""
    remedies: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()
    for entry in entries:
        key = (entry["list"], entry["rule_version"])
        rule = next(
            (r for r in book.lists.get(key[0], []) if r.version.in_force.isoformat() == key[1]),
            None,
        )
        if rule is None or key in seen:
            continue
        seen.add(key)

        def cite(reference: str, pack: Any = rule.pack) -> dict[str, Any]:
            return book.cite(pack, reference).as_dict()

        steps = [due_process_step(s, cite) for s in rule.version.due_process]
        remedies.append(
            {
                "list": key[0],
                "title": entry["title"],
                "rule_version": key[1],
                "steps": [{**s, "in_plain_words": _step_words(s)} for s in steps],
            }
        )
    return remedies


def _step_words(step: dict[str, Any]) -> str:
    kind = step["kind"].replace("_", " ").capitalize()
    what = str(step["description"] or step["id"].replace("-", " ")).rstrip(".")
    words = f"{kind}: {what}."
    if step["days"] is not None:
        start = f", counted from {step['counted_from']}" if step["counted_from"] else ""
        words += f" Deadline: {step['days']} {step['day_kind']} days{start}."
    return f"{words} Basis: {plain_source(step['legal_basis'], step['confidence'])}."
