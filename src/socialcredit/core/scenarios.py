"""Scenario files: a small world of subjects, relations and records, and what must follow.

The format is DESIGN.md section 5's. ``run_scenario`` returns the failed expectations, each
in words; an empty list means the scenario passed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from socialcredit.core.engine import Engine
from socialcredit.core.engine.decide import SubjectState
from socialcredit.core.errors import InvalidIdentifier, ScenarioError, SocialCreditError
from socialcredit.core.facts import STATUSES, MemoryFacts, Record, Relation, StatusChange, Subject
from socialcredit.core.governance import expectation_failures
from socialcredit.core.pack.model import Rulebook
from socialcredit.core.pack.yaml_lines import AliasExpansionError, safe_load_bounded
from socialcredit.core.records import RowRejected, read_row

EXPECTATIONS = ("lists", "ratings", "decisions", "absent", "unrated", "deletions")
GOVERNANCE_EXPECTATIONS = ("findings", "no_findings")  # of governing packs: core.governance
SCENARIO_KEYS = {"name", "packs", "as_of", "subjects", "relations", "records", "expect", "notes"}


@dataclass(frozen=True)
class Scenario:
    file: Path
    name: str
    packs: tuple[str, ...]
    as_of: dt.date
    data: dict[str, Any]


def read_scenario(file: Path) -> Scenario:
    try:
        data = safe_load_bounded(file.read_text(encoding="utf-8"))
    except AliasExpansionError as error:
        raise ScenarioError(f"{file}: refused: {error}") from None
    except (OSError, yaml.YAMLError) as error:
        raise ScenarioError(f"{file}: cannot read: {error}") from None
    if not isinstance(data, dict):
        raise ScenarioError(f"{file}: a scenario is a mapping (name, packs, as_of, ...)")
    unknown = set(data) - SCENARIO_KEYS
    if unknown:
        raise ScenarioError(f"{file}: unknown key(s) {', '.join(sorted(unknown))}")
    for key in ("name", "packs", "as_of", "expect"):
        if key not in data:
            raise ScenarioError(f"{file}: {key} is missing")
    if not isinstance(data["as_of"], dt.date):
        raise ScenarioError(f"{file}: as_of should be a date written YYYY-MM-DD")
    return Scenario(file, str(data["name"]), tuple(data["packs"]), data["as_of"], data)


def scenario_files(path: Path) -> list[Path]:
    """The scenario files a path stands for: a file, a folder of them, or a pack folder."""
    if path.is_file():
        return [path]
    if (path / "pack.yaml").is_file():
        path = path / "scenarios"
    return sorted(path.glob("*.yaml"))


def scenario_label(file: Path) -> str:
    """How a scenario file is named in reports: ``<pack>/<file>`` for a scenario of a pack
    (``<pack>/scenarios/<file>`` next to ``<pack>/pack.yaml``), else its path, relative to
    the working folder when it lies under it."""
    folder = file.parent
    if folder.name == "scenarios" and (folder.parent / "pack.yaml").is_file():
        return f"{folder.parent.name}/{file.name}"
    try:
        return str(file.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(file)


def build_facts(book: Rulebook, scenario: Scenario) -> MemoryFacts:
    facts = MemoryFacts()
    try:
        for item in scenario.data.get("subjects") or []:
            subject = Subject.from_code(str(item["id"]), item.get("name"))
            facts.add_subject(subject)
        for item in scenario.data.get("relations") or []:
            org, person = (Subject.from_code(str(item[k])).id for k in ("from", "to"))
            facts.add_relation(
                Relation(org, item["role"], person, item.get("since"), item.get("until"))
            )
        for index, item in enumerate(scenario.data.get("records") or []):
            record, relations = _record(book, scenario, index, item)
            facts.extend([record], relations)
    except (KeyError, TypeError) as error:
        raise ScenarioError(
            f"{scenario.file}: malformed subject, relation or record: {error}"
        ) from None
    except InvalidIdentifier as error:
        raise ScenarioError(f"{scenario.file}: {error}") from None
    return facts


def _record(
    book: Rulebook, scenario: Scenario, index: int, item: dict[str, Any]
) -> tuple[Record, tuple[Relation, ...]]:
    """The record of a scenario row, and the relations it states (as ingestion would)."""
    row = {k: v for k, v in item.items() if k != "history"}
    row.setdefault("doc_no", f"{scenario.file.stem}-{index + 1}")
    try:
        submission = read_row(book, row)
    except RowRejected as error:
        raise ScenarioError(f"{scenario.file}: records[{index}]: {error}") from None
    history = []
    for change in item.get("history") or []:
        if change.get("status") not in STATUSES:
            raise ScenarioError(f"{scenario.file}: records[{index}]: unknown status {change!r}")
        history.append(StatusChange(change["status"], change["date"]))
    ordered = tuple(sorted(history, key=lambda c: c.on))
    return dataclasses.replace(submission.record, history=ordered), submission.relations


def run_scenario(book: Rulebook, scenario: Scenario) -> list[str]:
    """Every expectation of the scenario that the engine does not meet, in words."""
    engine = Engine(book)
    facts = build_facts(book, scenario)
    states: dict[tuple[str, dt.date], SubjectState] = {}

    def state(subject: str, as_of: dt.date) -> SubjectState:
        key = (subject, as_of)
        if key not in states:
            states[key] = engine.state(facts, subject, as_of)
        return states[key]

    failures = []
    expect = scenario.data["expect"] or {}
    unknown = set(expect) - {*EXPECTATIONS, *GOVERNANCE_EXPECTATIONS}
    if unknown:
        raise ScenarioError(f"{scenario.file}: unknown expectation(s) {', '.join(sorted(unknown))}")
    for kind in EXPECTATIONS:
        for item in expect.get(kind) or []:
            as_of = item.get("as_of", scenario.as_of)
            subject = Subject.from_code(str(item["subject"])).id
            check = _CHECKS[kind]
            try:
                problem = check(engine, state(subject, as_of), item)
            except SocialCreditError as error:
                problem = str(error)
            if problem:
                failures.append(f"{kind}: {subject} on {as_of}: {problem}")
    return failures + expectation_failures(book, scenario.as_of, expect)


def _unknown_list(engine: Engine, item: dict[str, Any]) -> str | None:
    if item["list"] in engine.book.lists:
        return None
    return f"unknown list {item['list']!r} (the packs define {', '.join(engine.book.lists)})"


def _check_list(engine: Engine, state: SubjectState, item: dict[str, Any]) -> str | None:
    if problem := _unknown_list(engine, item):
        return problem
    active = [e for e in state.active_entries if e.list_id == item["list"]]
    if not active:
        others = ", ".join(sorted({e.list_id for e in state.active_entries})) or "no list"
        return f"expected on {item['list']}, but is on {others}"
    if "from" in item and all(e.starts != item["from"] for e in active):
        return (
            f"expected listed from {item['from']}, got {', '.join(str(e.starts) for e in active)}"
        )
    if "until" in item and all(e.ends != item["until"] for e in active):
        got = ", ".join(str(e.ends) if e.ends else "open-ended" for e in active)
        return f"expected listed until {item['until'] or 'open-ended'}, got {got}"
    return None


def _check_absent(engine: Engine, state: SubjectState, item: dict[str, Any]) -> str | None:
    if problem := _unknown_list(engine, item):
        return problem
    found = [e for e in state.active_entries if e.list_id == item["list"]]
    return f"expected not on {item['list']}, but listed: {found[0].reason}" if found else None


def _check_rating(engine: Engine, state: SubjectState, item: dict[str, Any]) -> str | None:
    rating = next((r for r in state.ratings if r.rating_id == item["rating"]), None)
    if rating is None:
        known = ", ".join(engine.book.ratings) or "none"
        return f"no rating {item['rating']!r} on that date (the packs define: {known})"
    if str(rating.grade) != str(item["grade"]):
        return f"expected grade {item['grade']}, got {rating.grade} (score {rating.score:g})"
    return None


def _check_decision(engine: Engine, state: SubjectState, item: dict[str, Any]) -> str | None:
    if item["action"] not in engine.book.actions:
        return f"unknown action {item['action']!r}"
    decision = engine.decision_from(state, item["action"])
    if decision.effect != item["effect"]:
        why = "; ".join(r.applied.measure.id for r in decision.reasons) or "no measure applies"
        return f"{item['action']}: expected {item['effect']}, got {decision.effect} ({why})"
    return None


def _check_unrated(engine: Engine, state: SubjectState, item: dict[str, Any]) -> str | None:
    if item["rating"] not in engine.book.ratings:
        return (
            f"unknown rating {item['rating']!r} (the packs define {', '.join(engine.book.ratings)})"
        )
    rating = next((r for r in state.ratings if r.rating_id == item["rating"]), None)
    return None if rating is None else f"expected not rated, but graded {rating.grade}"


def _check_deletion(engine: Engine, state: SubjectState, item: dict[str, Any]) -> str | None:
    """An entry of the list removed on ``removed_on`` (if given) whose statutory deletion
    deadline is ``delete_by`` (null: none), approximate or not as ``exact`` says."""
    if problem := _unknown_list(engine, item):
        return problem
    removed = [e for e in state.entries if e.list_id == item["list"] and e.removed_on]
    if "removed_on" in item:
        removed = [e for e in removed if e.removed_on == item["removed_on"]]
    if not removed:
        return f"expected an entry of {item['list']} removed on {item.get('removed_on', 'a date')}"
    deadlines = [e.delete_by() for e in removed]
    got = [(d.due, d.exact) if d else (None, None) for d in deadlines]
    wanted = (item.get("delete_by"), item.get("exact", True if item.get("delete_by") else None))
    if wanted in got:
        return None

    def words(due: object, exact: object) -> str:
        return f"{due} ({'exact' if exact else 'approximate'})"

    shown = ", ".join(words(*pair) for pair in got)
    return f"expected deletion by {words(*wanted)}, got {shown}"


_CHECKS: dict[str, Callable[[Engine, SubjectState, dict[str, Any]], str | None]] = {
    "lists": _check_list,
    "absent": _check_absent,
    "ratings": _check_rating,
    "unrated": _check_unrated,
    "decisions": _check_decision,
    "deletions": _check_deletion,
}
