"""Two overlapping label runs emit the events of one (issue 13 item 18): each run compares
with the last run under a lock, so the second compares with the first's result. On SQLite
and PostgreSQL, against a reference store labelled once."""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections import Counter
from pathlib import Path

from sqlalchemy import Engine, select

from socialcredit.core.pack.model import Rulebook
from socialcredit.services.labelling.run import label
from socialcredit.services.records.ingest import ingest_file
from socialcredit.store import tables as t
from socialcredit.synth.nation import generate_nation
from tests.synthetic_store import AS_OF, ingested_nation

PERSONS, ORGS, SEED = 300, 60, 11


def event_kinds(engine: Engine) -> Counter[str]:
    with engine.connect() as db:
        return Counter(db.execute(select(t.events.c.kind)).scalars())


def runs(engine: Engine) -> int:
    with engine.connect() as db:
        return len(db.execute(select(t.label_runs.c.id)).all())


def test_two_overlapping_label_runs_emit_the_events_of_one(
    tmp_path: Path, store: Engine, book: Rulebook
) -> None:
    reference = ingested_nation(tmp_path / "ref", book, PERSONS, ORGS, SEED, "ref.db")
    label(reference, book, AS_OF)
    feeds = tmp_path / "feeds"
    generate_nation(feeds, persons=PERSONS, orgs=ORGS, seed=SEED)
    manifest = json.loads((feeds / "manifest.json").read_text(encoding="utf-8"))
    for item in manifest["files"]:
        ingest_file(store, book, feeds / item["file"], item["agency"], item.get("category"))
    start = threading.Barrier(2)
    failures: list[BaseException] = []

    def run(as_of: dt.date) -> None:
        start.wait()
        try:
            label(store, book, as_of)
        except BaseException as error:  # reported below, not lost in the thread
            failures.append(error)

    threads = [threading.Thread(target=run, args=(AS_OF,)) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == [] and runs(store) == 2
    expected = event_kinds(reference)
    assert sum(v for k, v in expected.items() if k.startswith("measure.")) > 0
    assert event_kinds(store) == expected
