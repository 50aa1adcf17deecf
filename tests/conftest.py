"""Fixtures. Strategy: the real packs under packs/ and a real SQLite file per test (in
tmp_path), migrated by Alembic exactly as `socialcredit init` does; no mocks."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, make_url, text
from sqlalchemy.exc import OperationalError

from socialcredit.core.pack.model import Rulebook
from socialcredit.services.packs.rulebook import load_book
from socialcredit.store.database import connect, migrate

REPO = Path(__file__).resolve().parents[1]
RIC = "11010519491231002X"  # GB 11643-1999's own example
USCC = "91350100M000100Y43"  # GB 32100-2015's own example


@pytest.fixture(scope="session")
def book() -> Rulebook:
    return load_book()


POSTGRES = os.environ.get("SOCIALCREDIT_TEST_POSTGRES")


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A migrated, empty store: a SQLite file, or a fresh schema on the PostgreSQL server
    named by SOCIALCREDIT_TEST_POSTGRES (skipped, with the reason, when it is not set or
    the server does not answer)."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'socialcredit.db'}"
        migrate(url)
        engine = connect(url)
        yield engine
        engine.dispose()
        return
    yield from _postgres_schema()


def _postgres_schema() -> Iterator[Engine]:
    if not POSTGRES:
        pytest.skip("SOCIALCREDIT_TEST_POSTGRES is not set (.ci/run sets it)")
    admin = create_engine(POSTGRES)
    schema = f"t_{uuid.uuid4().hex[:12]}"
    try:
        with admin.begin() as db:
            db.execute(text(f"CREATE SCHEMA {schema}"))
    except OperationalError as error:
        pytest.skip(f"PostgreSQL at {POSTGRES} does not answer: {error.orig}")
    url = make_url(POSTGRES).update_query_dict({"options": f"-csearch_path={schema}"})
    rendered = url.render_as_string(hide_password=False)
    migrate(rendered)
    engine = connect(rendered)
    yield engine
    engine.dispose()
    with admin.begin() as db:
        db.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    admin.dispose()
