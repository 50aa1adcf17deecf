"""CI runs exactly the README's test command, and that command fails on a lint or type error
as well as on a failing test (DESIGN.md section 5)."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from tests.conftest import REPO


def test_ci_runs_the_readmes_test_command() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert re.search(r"^make test\s+#", readme, re.MULTILINE)
    commands = [
        line.strip()
        for line in (REPO / ".ci/run").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    assert commands[-1] == "make test"


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_test_runs_ruff_strict_mypy_and_the_suite() -> None:
    planned = subprocess.run(
        ["make", "--no-print-directory", "-n", "-o", ".venv/.installed", "test"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    assert planned == [
        ".venv/bin/ruff check src tests bench",
        ".venv/bin/ruff format --check src tests bench",
        ".venv/bin/mypy",  # strict = true in pyproject.toml
        ".venv/bin/pytest -n 2 -q",
    ]
