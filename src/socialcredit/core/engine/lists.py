"""List entries: which records put a subject on which list, from when, until when and why."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from socialcredit.core.facts import STATUSES, Record, Subject
from socialcredit.core.pack.model import ListRule, Rulebook
from socialcredit.core.rules.evaluate import holds
from socialcredit.core.workdays import WorkdayDeadline, add_workdays

_PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*)\.([a-z_][a-z0-9_]*)\}")


@dataclass(frozen=True)
class Entry:
    """A subject on a list: start, planned end, removal, reason and the rule that decided it."""

    rule: ListRule
    subject: str
    record: Record
    starts: dt.date
    planned_end: dt.date | None
    removed_on: dt.date | None
    removed_by: str | None
    reason: str

    @property
    def list_id(self) -> str:
        return self.rule.list_id

    @property
    def ends(self) -> dt.date | None:
        """When the entry stops having effect: removal or planned end, whichever is first."""
        candidates = [d for d in (self.planned_end, self.removed_on) if d is not None]
        return min(candidates) if candidates else None

    def active_on(self, day: dt.date) -> bool:
        return self.starts <= day and (self.ends is None or day < self.ends)

    def delete_by(self) -> WorkdayDeadline | None:
        """The statutory deadline for the deletion, in working days after the trigger."""
        if self.removed_on is None or self.removed_by is None:
            return None
        removal = next(r for r, _ in self.rule.removals if r.id == self.removed_by)
        if removal.deadline_working_days is None:
            return None
        return add_workdays(self.removed_on, removal.deadline_working_days)


def entries_for(
    book: Rulebook, subject: Subject, records: list[Record], as_of: dt.date
) -> list[Entry]:
    """Every entry the subject's records produce, as known on ``as_of`` (active or not)."""
    subject_view = subject.view()
    entries = []
    for list_id, rules in book.lists.items():
        if subject.kind not in rules[0].definition.subject_kinds:
            continue
        categories = {rule.category for rule in rules}
        for record in records:
            if record.category not in categories or record.decided_on > as_of:
                continue
            rule = book.list_rule_for(list_id, record.decided_on)
            if rule is None or rule.category != record.category:
                continue
            entry = _entry(rule, subject, subject_view, record, as_of)
            if entry is not None:
                entries.append(entry)
    return entries


def _entry(
    rule: ListRule, subject: Subject, subject_view: dict[str, Any], record: Record, as_of: dt.date
) -> Entry | None:
    env = {
        rule.alias: record.view(as_of),
        "subject": subject_view,
        "parameters": rule.pack.parameters_on(record.decided_on),
        "as_of": as_of,
    }
    if not holds(rule.include.evaluate(env)):
        return None
    if any(holds(expression.evaluate(env)) for _, expression in rule.exemptions):
        return None
    starts = rule.starts.evaluate(env)
    if starts is None:
        return None
    planned_end = rule.ends.evaluate(env) if rule.ends is not None else None
    removed_on, removed_by = None, None
    for removal, expression in rule.removals:
        day = expression.evaluate(env)
        if day is not None and (removed_on is None or day < removed_on):
            removed_on, removed_by = day, removal.id
    reason = _fill(rule.version.reason, env)
    return Entry(rule, subject.id, record, starts, planned_end, removed_on, removed_by, reason)


def _fill(template: str, env: dict[str, Any]) -> str:
    """The reason with its ``{alias.field}`` placeholders filled in ("?" for a null)."""
    parts = []
    for text, placeholder in _parsed(template):
        parts.append(text)
        if placeholder is not None:
            scope = env.get(placeholder[0])
            found = scope.get(placeholder[1]) if isinstance(scope, dict) else None
            parts.append("?" if found is None else str(found))
    return "".join(parts)


@lru_cache(maxsize=256)
def _parsed(template: str) -> tuple[tuple[str, tuple[str, str] | None], ...]:
    """A template split once into literal text and placeholders, white space folded."""
    folded = " ".join(template.split())
    pieces: list[tuple[str, tuple[str, str] | None]] = []
    position = 0
    for match in _PLACEHOLDER.finditer(folded):
        pieces.append((folded[position : match.start()], (match.group(1), match.group(2))))
        position = match.end()
    pieces.append((folded[position:], None))
    return tuple(pieces)


_RECORD_ATTRIBUTES = ("subject", "category", "agency", "doc_no", "decided_on")
_STATUS_KEYS = frozenset({"status", *(f"{s}_on" for s in STATUSES[1:])})


def reason_of(rule: ListRule, subject: Subject, record: Record, as_of: dt.date) -> str:
    """The reason of the rule's entry for ``record``: the same text as ``_fill`` over the
    rule's whole environment, reading only the fields its placeholders name."""
    named = _named(rule.version.reason)
    env: dict[str, Any] = {}
    if rule.alias in named:
        env[rule.alias] = _record_scope(record, as_of, named[rule.alias])
    if "subject" in named:
        env["subject"] = subject.view()
    if "parameters" in named:
        env["parameters"] = rule.pack.parameters_on(record.decided_on)
    env["as_of"] = as_of
    return _fill(rule.version.reason, env)


def _record_scope(record: Record, as_of: dt.date, names: frozenset[str]) -> dict[str, Any]:
    if names & _STATUS_KEYS:
        return record.view(as_of)
    return {
        name: getattr(record, name) if name in _RECORD_ATTRIBUTES else record.fields.get(name)
        for name in names
    }


@lru_cache(maxsize=256)
def _named(template: str) -> dict[str, frozenset[str]]:
    """The fields each scope's placeholders name."""
    found: dict[str, set[str]] = {}
    for _, placeholder in _parsed(template):
        if placeholder is not None:
            found.setdefault(placeholder[0], set()).add(placeholder[1])
    return {scope: frozenset(names) for scope, names in found.items()}


def reason_pieces(template: str) -> tuple[tuple[str, tuple[str, str] | None], ...]:
    """The reason template as literal text, each piece followed by its placeholder
    ``(scope, field)`` or None (white space folded as ``_fill`` folds it)."""
    return _parsed(template)
