"""A small synthetic nation, ingested and labelled in a SQLite store: shared by the tests of
the FtM export and of screening (real packs, real feeds, no mocks)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from sqlalchemy import Engine

from socialcredit.core.pack.model import Rulebook
from socialcredit.services.labelling.run import label
from socialcredit.services.records.ingest import ingest_file
from socialcredit.store.database import connect, migrate
from socialcredit.synth.nation import generate_nation

AS_OF = dt.date(2025, 12, 31)


def ingested_nation(
    folder: Path, book: Rulebook, persons: int, orgs: int, seed: int, name: str
) -> Engine:
    """Generate a nation's feeds in ``folder`` and ingest every file of the manifest into the
    SQLite store ``folder/name``; the store's engine."""
    feeds = folder / "feeds"
    generate_nation(feeds, persons=persons, orgs=orgs, seed=seed)
    url = f"sqlite:///{folder / name}"
    migrate(url)
    engine = connect(url)
    manifest = json.loads((feeds / "manifest.json").read_text(encoding="utf-8"))
    for item in manifest["files"]:
        ingest_file(engine, book, feeds / item["file"], item["agency"], item.get("category"))
    return engine


def labelled_nation(folder: Path, book: Rulebook, persons: int = 400, orgs: int = 80) -> Engine:
    """Generate, ingest every feed of the manifest, label as of AS_OF; the store's engine."""
    engine = ingested_nation(folder, book, persons, orgs, seed=7, name="socialcredit.db")
    label(engine, book, AS_OF)
    return engine
