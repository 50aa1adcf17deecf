"""Bulk screening: counterparties matched against the subjects that the restricting lists
(blacklists, watchlists) and the measures in force reach, as the caller may see them, each
match with its entries, its measures and the decision for the action the caller names.

The entries are those of the latest label run (``socialcredit label``) in force on the date
asked; the measures those in force after that run. Every subject matched is written to its
access log (``screening.match``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, select

from socialcredit.core.access import Principal, mask_id
from socialcredit.core.errors import SocialCreditError, UnknownAction
from socialcredit.core.pack.model import Rulebook
from socialcredit.core.screening.match import Counterparty, Listed, Matcher, Screened
from socialcredit.services.decisions.decide import decide
from socialcredit.services.decisions.shown import shown_reasons
from socialcredit.services.exports.ftm import restricting_lists
from socialcredit.services.lists.query import EntryQuery, append_all, find_entries
from socialcredit.store import tables as t


class ScreeningRefused(SocialCreditError):
    """A caller who may not screen (a subject's own key)."""


@dataclass
class ScreeningReport:
    """Every counterparty's outcome, the date and action screened, and what was screened."""

    as_of: dt.date
    action: str | None
    lists: list[str]
    listed_subjects: int
    results: list[Screened]
    decisions: dict[str, dict[str, Any]]
    masked: bool

    def counts(self) -> dict[str, int]:
        found: dict[str, int] = defaultdict(int)
        for result in self.results:
            found[result.status] += 1
        return dict(sorted(found.items()))

    def shown_id(self, code: str, kind: str) -> str:
        return mask_id(code) if self.masked and kind == "person" else code


def screen(
    engine: Engine,
    book: Rulebook,
    caller: Principal,
    parties: Sequence[Counterparty],
    action: str | None = None,
    as_of: dt.date | None = None,
    purpose: str | None = None,
) -> ScreeningReport:
    """Screen ``parties``; with ``action``, the decision for each subject matched."""
    if caller.role == "subject":
        raise ScreeningRefused("a subject's key may read its own file, not screen others")
    if action is not None and action not in book.actions:
        raise UnknownAction(action, sorted(book.actions))
    lists = restricting_lists(book)
    with engine.connect() as db:
        listed, day = load_listed(db, book, caller, lists, as_of)
    matcher = Matcher(listed)
    results = [matcher.screen(party) for party in parties]
    matched = sorted({m.subject.subject for r in results for m in r.matches})
    decisions = {}
    if action is not None:
        for subject in matched:
            found = decide(engine, book, subject, action, day).as_dict()
            decisions[subject] = {**found, "reasons": shown_reasons(book, caller, found["reasons"])}
    _log(engine, caller, matched, purpose)
    masked = caller.role == "public"
    return ScreeningReport(day, action, lists, len(listed), results, decisions, masked)


def load_listed(
    db: Connection,
    book: Rulebook,
    caller: Principal,
    lists: Sequence[str],
    as_of: dt.date | None,
) -> tuple[list[Listed], dt.date]:
    """The subjects with entries in force on the lists, or restricting measures in force,
    that the caller may see; and the date screened (default the latest run's)."""
    entries: dict[str, list[dict[str, Any]]] = defaultdict(list)
    day = as_of
    for list_id in lists:
        found = find_entries(db, book, caller, EntryQuery(list_id, as_of, True))
        day = day or found.as_of
        title = book.lists[list_id][0].definition.title
        for row in found.rows:
            entries[row["subject"]].append(_entry(row, title))
    measures = _measures(db, caller)
    ids = set(entries) | set(measures)
    subjects = _subjects(db, ids)
    listed = [
        Listed(code, name, kind, region, tuple(entries[code]), tuple(measures[code]))
        for code, (name, kind, region) in sorted(subjects.items())
    ]
    return listed, day or dt.date.today()


def _entry(row: dict[str, Any], title: str) -> dict[str, Any]:
    ends = row.get("ends") or row.get("planned_end")
    return {
        "list": row["list"],
        "title": title,
        "starts": row["starts"].isoformat(),
        "ends": ends.isoformat() if ends else None,
        "reason": row["reason"],
    }


def _measures(db: Connection, caller: Principal) -> dict[str, list[dict[str, Any]]]:
    """Restricting measures in force (not rewards) that the caller may see, by subject."""
    found: dict[str, list[dict[str, Any]]] = defaultdict(list)
    m = t.measures_in_force
    query = select(m.c.subject_id, m.c.disclosure, m.c.agency, m.c.payload)
    for row in db.execute(query.order_by(m.c.subject_id, m.c.key)):
        payload = row.payload
        if payload.get("effect") == "reward":
            continue
        if not caller.may_read(row.disclosure, row.subject_id):
            continue
        found[row.subject_id].append(
            {key: payload.get(key) for key in
             ("measure", "memorandum", "effect", "applied_by", "target", "via", "starts", "until")}
        )  # fmt: skip
    return found


def _subjects(db: Connection, ids: set[str]) -> dict[str, tuple[str | None, str, str | None]]:
    s = t.subjects
    found = {}
    chosen = sorted(ids)
    for start in range(0, len(chosen), 500):
        query = select(s.c.id, s.c.name, s.c.kind, s.c.region)
        for row in db.execute(query.where(s.c.id.in_(chosen[start : start + 500]))):
            found[row.id] = (row.name, row.kind, row.region)
    return found


def _log(engine: Engine, caller: Principal, matched: list[str], purpose: str | None) -> None:
    with engine.begin() as db:
        append_all(
            db,
            [
                {
                    "actor": caller.actor,
                    "action": "screening.match",
                    "subject": subject,
                    "purpose": purpose,
                    "result": "matched in bulk screening",
                }
                for subject in matched
            ],
        )
