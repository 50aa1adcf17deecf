"""The OpenAPI document of the API as the code makes it, and its committed snapshot
(``docs/openapi.json``). Refresh the snapshot after a deliberate change of the contract:

    make openapi        # or: .venv/bin/python -m tests.openapi_snapshot
"""

from __future__ import annotations

import copy
import functools
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

from socialcredit.app import create_app

SNAPSHOT = Path(__file__).resolve().parents[1] / "docs" / "openapi.json"


def current() -> dict[str, Any]:
    """The OpenAPI document of an application over a fresh store and the repository's packs
    (made once per process; a copy each call)."""
    return copy.deepcopy(_made())


@functools.cache
def _made() -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as folder:
        app = create_app(f"sqlite:///{Path(folder) / 'openapi.db'}", create=True)
        document: dict[str, Any] = app.openapi()
        app.state.socialcredit.engine.dispose()
    return document


def text(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def main() -> int:
    SNAPSHOT.write_text(text(current()), encoding="utf-8")
    sys.stdout.write(f"wrote {SNAPSHOT}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
