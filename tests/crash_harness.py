"""Crash injection for ``socialcredit ingest`` and ``socialcredit label`` (issue 13): the
commands run as real subprocesses and are killed with SIGKILL at seeded random moments; the
store left behind, once every step has been run again to its end (in this process, by the
service functions the commands call, which saves the commands' start-up), must equal the
store of one clean run. Shared by ``tests/test_crash_safety.py`` (a few kills) and
``bench/bench_crash.py`` (many).

The state compared: subjects and their name history, records, statuses, relations,
batches and rejections, the latest label run's entries and ratings, the measures in force,
the feed's events (kind, subject, category; ids and times aside), and the audit chain,
which must verify. Every kill is aimed at one command while the commands before it have
completed, as in the clean run, so the order of the loads is the same.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, select, text

from socialcredit.services.access.principals import cli_principal
from socialcredit.services.context import Context
from socialcredit.services.labelling.audited import run_labelling
from socialcredit.services.records.submit import ingest_local_file
from socialcredit.store import tables as t
from socialcredit.store.audit_log import verify_chain

AS_OF = "2025-12-31"
CLI = [str(Path(sys.executable).parent / "socialcredit")]


@dataclass(frozen=True)
class Step:
    kind: str  # ingest or label
    file: Path | None = None
    agency: str = ""
    category: str | None = None

    @property
    def args(self) -> list[str]:
        """The command line of the step."""
        if self.kind == "label":
            return ["label", "--as-of", AS_OF]
        args = ["ingest", str(self.file), "--agency", self.agency]
        return [*args, "--category", self.category] if self.category else args


@dataclass
class Kills:
    """What the kills did, by command: aimed; landed (the process was still running);
    landed before the command's transaction committed (nothing of it stored)."""

    aimed: Counter[str] = field(default_factory=Counter)
    landed: Counter[str] = field(default_factory=Counter)
    before_commit: Counter[str] = field(default_factory=Counter)

    def add(self, other: Kills) -> None:
        for mine, theirs in zip(self.counters(), other.counters(), strict=True):
            mine.update(theirs)

    def counters(self) -> tuple[Counter[str], ...]:
        return self.aimed, self.landed, self.before_commit

    def as_dict(self) -> dict[str, Any]:
        names = ("aimed", "landed", "landed_before_commit")
        return {n: dict(c) for n, c in zip(names, self.counters(), strict=True)}


def steps_of(feeds: Path) -> list[Step]:
    """Every feed of the manifest loaded in order, then one label run."""
    manifest = json.loads((feeds / "manifest.json").read_text(encoding="utf-8"))
    steps = [
        Step("ingest", feeds / item["file"], item["agency"], item.get("category"))
        for item in manifest["files"]
    ]
    return [*steps, Step("label")]


def start(step: Step, url: str, cwd: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "SOCIALCREDIT_DB": url}
    return subprocess.Popen(
        [*CLI, *step.args],
        cwd=cwd,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group, killed whole
    )


def complete(step: Step, ctx: Context) -> None:
    """The step run to its end in this process, by the service the command calls."""
    if step.kind == "label":
        run_labelling(ctx, cli_principal(), dt.date.fromisoformat(AS_OF))
    else:
        assert step.file is not None
        ingest_local_file(ctx, cli_principal(), step.file, step.agency, step.category)


def command_time(step: Step, url: str, cwd: Path) -> float:
    """The wall time of the step's command run to its end (it must succeed)."""
    began = time.monotonic()
    process = start(step, url, cwd)
    if process.wait(timeout=600) != 0:
        raise RuntimeError(f"socialcredit {' '.join(step.args)} exited {process.returncode}")
    return time.monotonic() - began


def kill_span(steps: list[Step], url: str, cwd: Path) -> float:
    """The time of one more label run on the store at ``url`` where every step has run
    (which changes nothing): a command's time, start-up included."""
    return command_time(steps[-1], url, cwd)


def kill_after(step: Step, engine: Engine, cwd: Path, delay: float, in_work: bool) -> bool:
    """Start the command and SIGKILL it: ``in_work``, once its transaction holds the store's
    write lock (seen by polling) and ``delay`` seconds more; else after ``delay`` seconds.
    True if it was still running then (the kill landed), False if it had finished."""
    process = start(step, engine.url.render_as_string(hide_password=False), cwd)
    try:
        if in_work:
            while process.poll() is None and not writing(engine, step.kind):
                time.sleep(0.005)
        process.wait(timeout=delay)
        return False
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        return True


LOCKS = {"ingest": 7_202_611, "label": 7_202_612}  # records.ingest, labelling.lock


def writing(engine: Engine, kind: str) -> bool:
    """Does another connection hold the store's write lock (SQLite) or the command's
    advisory lock (PostgreSQL) now?"""
    if engine.dialect.name == "postgresql":
        query = text(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted "
            "AND classid = 0 AND objid = :key"
        )
        with engine.connect() as db:
            return bool(db.execute(query, {"key": LOCKS[kind]}).scalar_one())
    probe = sqlite3.connect(str(engine.url.database), timeout=0, isolation_level=None)
    try:
        probe.execute("BEGIN IMMEDIATE")
        probe.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError:
        return True
    finally:
        probe.close()


def clean_run(steps: list[Step], ctx: Context) -> None:
    for step in steps:
        complete(step, ctx)


def crashed_run(
    steps: list[Step],
    ctx: Context,
    cwd: Path,
    span: float,
    rng: random.Random,
    kills: tuple[int, int],
) -> Kills:
    """Run every step to its end after ``kills`` (ingest kills, label kills) of its command,
    spread over the steps at random. Half the kills (at random) wait for the command's
    transaction and strike 0 to 0.3 s into it; the others strike after 30% to 110% of
    ``span`` (a command's time, start-up included), wherever the command then is."""
    ingests = [i for i, s in enumerate(steps) if s.kind == "ingest"]
    labels = [i for i, s in enumerate(steps) if s.kind == "label"]
    plan = Counter(rng.choice(ingests) for _ in range(kills[0]))
    plan.update(rng.choice(labels) for _ in range(kills[1]))
    done = Kills()
    for index, step in enumerate(steps):
        for _ in range(plan[index]):
            before = _progress(ctx.engine)
            in_work = rng.random() < 0.5
            delay = rng.uniform(0, 0.3) if in_work else rng.uniform(0.3, 1.1) * span
            done.aimed[step.kind] += 1
            done.landed[step.kind] += kill_after(step, ctx.engine, cwd, delay, in_work)
            done.before_commit[step.kind] += _progress(ctx.engine) == before
        complete(step, ctx)
    return done


def _progress(engine: Engine) -> tuple[int, int]:
    """Batches and label runs stored: what a committed command adds one to."""
    with engine.connect() as db:
        batches = db.execute(select(func.count()).select_from(t.batches)).scalar_one()
        runs = db.execute(select(func.count()).select_from(t.label_runs)).scalar_one()
    return int(batches), int(runs)


def snapshot(engine: Engine) -> dict[str, Any]:
    """The state a rerun must reproduce (ids of runs and events, and times, aside)."""
    with engine.connect() as db:
        latest = db.execute(select(func.max(t.label_runs.c.id))).scalar()

        def rows(table: Any, *columns: str, where: Any = None) -> list[tuple[Any, ...]]:
            query = select(*(table.c[c] for c in columns))
            if where is not None:
                query = query.where(where)
            return sorted((tuple(_plain(v) for v in row) for row in db.execute(query)), key=repr)

        e, r = t.list_entries.c, t.ratings.c
        state = {
            "subjects": rows(t.subjects, "id", "kind", "name", "birth_date", "region"),
            "names": rows(t.subject_names, "subject_id", "previous", "name", "agency"),
            "records": rows(
                t.records, "id", "subject_id", "category", "doc_no", "decided_on", "fields"
            ),
            "statuses": rows(t.record_status, "record_id", "status", "date"),
            "relations": rows(t.relations, "org_id", "role", "person_id", "since", "until"),
            "batches": rows(t.batches, "id", "rows", "accepted", "rejected"),
            "rejections": rows(t.rejections, "batch_id", "row_no", "reasons"),
            "entries": rows(
                t.list_entries,
                *("list_id", "subject_id", "record_id", "starts", "planned_end", "ends"),
                where=e.run_id == latest,
            ),
            "ratings": rows(
                t.ratings, "rating_id", "subject_id", "grade", "score", where=r.run_id == latest
            ),
            "in_force": rows(t.measures_in_force, "key"),
            "events": sorted(
                Counter(rows(t.events, "kind", "subject_id", "category")).items(), key=repr
            ),
        }
        state["chain_problems"] = verify_chain(db)
    return state


def _plain(value: Any) -> Any:
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    return value if value is None or isinstance(value, int | float | str) else str(value)


def differences(found: dict[str, Any], reference: dict[str, Any]) -> list[str]:
    """What differs between two snapshots, in words (empty: equal)."""
    problems = [f"audit chain: {p}" for p in found["chain_problems"]]
    for key in reference:
        if key != "chain_problems" and found[key] != reference[key]:
            problems.append(
                f"{key}: {len(found[key])} rows, the clean run has {len(reference[key])}"
            )
    return problems
