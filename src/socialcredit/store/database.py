"""Opening the store and migrating it to the newest schema with Alembic."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event

MIGRATIONS = Path(__file__).parent / "migrations"


# How long a SQLite connection waits for another's write lock before it gives up (an ingest
# holds the lock for its whole file): readers never wait (the write-ahead log), writers such
# as a decision's audit entry queue behind the ingest instead of failing after 5 s.
SQLITE_BUSY_MS = 60_000


def connect(url: str) -> Engine:
    """An engine for ``url``; SQLite gets foreign keys, a write-ahead log and a busy
    timeout (``SQLITE_BUSY_MS``)."""
    engine = create_engine(url, future=True)
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
