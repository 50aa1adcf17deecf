"""Fixtures. Strategy: the real packs under packs/ and a real SQLite file per test (in
tmp_path), migrated by Alembic exactly as `socialcredit init` does; no mocks."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine

from socialcredit.core.pack.model import Rulebook
from socialcredit.services.packs import load_book
from socialcredit.store.database import connect, migrate

REPO = Path(__file__).resolve().parents[1]
RIC = "11010519491231002X"  # GB 11643-1999's own example
USCC = "91350100M000100Y43"  # GB 32100-2015's own example


@pytest.fixture(scope="session")
def book() -> Rulebook:
    return load_book()


@pytest.fixture
def store(tmp_path: Path) -> Engine:
    url = f"sqlite:///{tmp_path / 'socialcredit.db'}"
    migrate(url)
    return connect(url)
