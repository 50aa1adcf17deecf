"""Opening the store and migrating it to the newest schema with Alembic."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event

MIGRATIONS = Path(__file__).parent / "migrations"


# How long a SQLite connection waits for another's write lock before it gives up (an ingest
# holds the lock for its whole file): readers never wait (the write-ahead log), writers such
# as a decision's audit entry queue behind the ingest instead of failing after 5 s.
SQLITE_BUSY_MS = 60_000


def store_json(value: Any) -> str:
    """JSON columns as stored: Chinese characters as UTF-8 (3 bytes, not a 6-byte ``\\uXXXX``
    escape) and no spaces after separators. A record keeps its fields and its original
    values as JSON, so this is about a fifth of a record's bytes; readers parse the text,
    and text stored before (escaped, spaced) parses to the same values."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def connect(url: str) -> Engine:
    """An engine for ``url`` (JSON columns written by ``store_json``); SQLite gets foreign
    keys, a write-ahead log and a busy timeout (``SQLITE_BUSY_MS``)."""
    engine = create_engine(url, future=True, json_serializer=store_json)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(connection: object, _: object) -> None:
    cursor = connection.cursor()  # type: ignore[attr-defined]
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def migrate(url: str) -> None:
    """Create the schema or bring it to the newest revision."""
    command.upgrade(alembic_config(url), "head")
