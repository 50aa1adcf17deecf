"""The pure core imports no database, web, command-line or batch-engine code, and modules
stay small (DESIGN.md section 6)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import REPO

CORE = REPO / "src/socialcredit/core"
FORBIDDEN = {
    "sqlalchemy",
    "alembic",
    "fastapi",
    "starlette",
    "uvicorn",
    "typer",
    "click",
    "rich",
    "duckdb",
    "pyspark",
    "httpx",
    "requests",
    "psycopg",
    "socialcredit.store",
    "socialcredit.services",
    "socialcredit.cli",
    "socialcredit.io",
}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("path", sorted(CORE.rglob("*.py")), ids=lambda p: str(p.relative_to(CORE)))
def test_core_module_is_pure(path: Path) -> None:
    bad = {
        m for m in imported_modules(path) if any(m == f or m.startswith(f + ".") for f in FORBIDDEN)
    }
    assert not bad, f"{path.name} imports {sorted(bad)}; move that code to an adapter or service"


def test_modules_stay_under_the_size_budget() -> None:
    sizes = {
        p: len(p.read_text(encoding="utf-8").splitlines()) for p in (REPO / "src").rglob("*.py")
    }
    too_big = {str(p.relative_to(REPO)): n for p, n in sizes.items() if n > 500}
    assert not too_big, f"split these modules by responsibility: {too_big}"
