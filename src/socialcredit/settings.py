"""Settings from environment variables with the SOCIALCREDIT_ prefix.

| variable | meaning | default |
| --- | --- | --- |
| SOCIALCREDIT_DB | SQLAlchemy URL of the store | sqlite:///socialcredit.db (current directory) |
| SOCIALCREDIT_PACKS | folder of rule packs | the repository's packs/ |
"""

from __future__ import annotations

import os
from pathlib import Path

DEFAULT_DB_FILE = "socialcredit.db"
_REPO_PACKS = Path(__file__).resolve().parents[2] / "packs"


def database_url(directory: Path | None = None) -> str:
    """The store's URL: SOCIALCREDIT_DB, else socialcredit.db in ``directory`` (or here)."""
    if url := os.environ.get("SOCIALCREDIT_DB"):
        return url
    return f"sqlite:///{(directory or Path.cwd()) / DEFAULT_DB_FILE}"


def packs_root() -> Path:
    """The folder of rule packs: SOCIALCREDIT_PACKS, else the repository's packs/."""
    if root := os.environ.get("SOCIALCREDIT_PACKS"):
        return Path(root)
    return _REPO_PACKS if _REPO_PACKS.is_dir() else Path.cwd() / "packs"
