"""Crash safety as a test (issue 13): ``socialcredit ingest`` and ``socialcredit label`` run
as subprocesses and are killed with SIGKILL at seeded random moments (three kills each), then
run again; the store must equal the store of one clean run, on SQLite and PostgreSQL.
``bench/bench_crash.py`` does the same many times."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from sqlalchemy import Engine

from socialcredit.core.pack.model import Rulebook
from socialcredit.services.context import Context
from socialcredit.store.database import connect, migrate
from socialcredit.synth.nation import generate_nation
from tests.crash_harness import (
    clean_run,
    crashed_run,
    differences,
    kill_span,
    snapshot,
    steps_of,
)

PERSONS, ORGS, SEED = 150, 30, 5
KILLS = (3, 3)  # ingest, label (bench/bench_crash.py kills many more)


@pytest.mark.slow
def test_killed_ingests_and_label_runs_leave_the_clean_state(
    tmp_path: Path, store: Engine, book: Rulebook
) -> None:
    feeds = tmp_path / "feeds"
    generate_nation(feeds, persons=PERSONS, orgs=ORGS, seed=SEED)
    steps = steps_of(feeds)
    reference_url = f"sqlite:///{tmp_path / 'reference.db'}"
    migrate(reference_url)
    reference = connect(reference_url)
    clean_run(steps, Context(reference, book))
    span = kill_span(steps, reference_url, tmp_path)  # changes nothing in the reference
    expected = snapshot(reference)
    reference.dispose()
    assert expected["entries"] and expected["events"] and not expected["chain_problems"]
    assert differences(snapshot(store), expected)  # the comparison can fail: empty differs
    kills = crashed_run(steps, Context(store, book), tmp_path, span, random.Random(SEED), KILLS)
    assert dict(kills.aimed) == {"ingest": KILLS[0], "label": KILLS[1]}
    assert differences(snapshot(store), expected) == []
