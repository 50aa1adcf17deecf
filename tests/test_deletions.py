"""Deletion deadlines from the core, and the auditor's count of late deletions (issue 15
item 7), on the world of scenario cn-judgment-defaulters/54."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from socialcredit.core.auditor.deletions import count_deletions
from socialcredit.core.engine import Engine
from socialcredit.core.engine.deletions import (
    DeletionDeadline,
    deletion_deadlines,
    deletion_status,
)
from socialcredit.core.pack.load import load_rulebook
from socialcredit.core.scenarios import build_facts, read_scenario

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = (
    ROOT / "packs/cn-judgment-defaulters/scenarios/"
    "54-deletion-deadline-three-working-days-across-holidays.yaml"
)
D = dt.date
LIST = "dishonest-judgment-debtors"
JIANG, FENG = "110105196904194689", "110105199205051359"


def deadlines(as_of: dt.date) -> dict[str, DeletionDeadline]:
    book = load_rulebook([ROOT / "packs/cn-judgment-defaulters"])
    scenario = read_scenario(SCENARIO)
    facts = build_facts(book, scenario)
    engine = Engine(book)
    found = {}
    for subject in (JIANG, FENG):
        state = engine.state(facts, subject, as_of)
        for deadline in deletion_deadlines(state.entries, as_of):
            found[subject] = deadline
    return found


def test_deadlines_of_removed_entries() -> None:
    found = deadlines(D(2027, 2, 1))
    jiang, feng = found[JIANG], found[FENG]
    assert jiang.as_dict() == {
        "list": LIST,
        "subject": JIANG,
        "record": jiang.record_id,
        "removed_on": "2026-09-29",
        "removed_by": "performed",
        "delete_by": "2026-10-09",
        "exact": True,
    }
    assert (feng.due, feng.exact) == (D(2027, 1, 5), False)


def test_a_removal_not_yet_known_has_no_deadline() -> None:
    assert FENG not in deadlines(D(2026, 12, 29))


def test_status_on_the_due_day_and_after() -> None:
    feng = deadlines(D(2027, 2, 1))[FENG]
    assert deletion_status(feng, D(2027, 1, 5), D(2027, 2, 1)) == "on_time"
    assert deletion_status(feng, D(2027, 1, 6), D(2027, 2, 1)) == "late"
    assert deletion_status(feng, None, D(2027, 1, 5)) == "pending"
    assert deletion_status(feng, None, D(2027, 1, 6)) == "overdue"
    # a deletion dated after the day asked about is not yet known
    assert deletion_status(feng, D(2027, 1, 4), D(2027, 1, 3)) == "pending"


def test_auditor_counts_late_and_overdue_deletions() -> None:
    found = deadlines(D(2027, 2, 1))
    jiang, feng = found[JIANG], found[FENG]
    deleted = {(LIST, jiang.record_id): D(2026, 10, 12)}
    count = count_deletions([jiang, feng], deleted, D(2027, 2, 1))
    assert count.total == 2
    assert count.by_state == {"late": 1, "overdue": 1}
    assert count.late == 2
    assert count.by_list == {LIST: {"late": 1, "overdue": 1}}
    assert [(r["subject"], r["state"], r["days_late"]) for r in count.worst] == [
        (FENG, "overdue", 27),
        (JIANG, "late", 3),
    ]
    on_time = count_deletions([jiang], {(LIST, jiang.record_id): D(2026, 10, 9)}, D(2027, 2, 1))
    assert on_time.by_state == {"on_time": 1} and on_time.late == 0
