"""Settings from environment variables with the SOCIALCREDIT_ prefix.

| variable | meaning | default |
| --- | --- | --- |
| SOCIALCREDIT_DB | SQLAlchemy URL of the store | sqlite:///socialcredit.db (current directory) |
| SOCIALCREDIT_PACKS | folder of rule packs | the repository's packs/ |
| SOCIALCREDIT_AUDIT_KEY | key signing the audit tree heads | `NAME.audit-key.pem` by the store |
| SOCIALCREDIT_AUDIT_WITNESS | signed heads for a witness | `NAME.audit-heads.jsonl` by the key |
| SOCIALCREDIT_SEARCH_RATE | public searches per client address: `N/SECONDS` | `30/60` |
| SOCIALCREDIT_INDEX_FROM, _UNTIL | days the decision index covers | 10 years back, 6 ahead |
| SOCIALCREDIT_AUDIT_SEAL_EVERY | seconds between background seals of decisions | 0 (seal each) |

(NAME is a SQLite store's file name without its suffix, else ``socialcredit`` in the current
directory; docs/audit-log.md says where to keep the key in production.)
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

DEFAULT_DB_FILE = "socialcredit.db"
_REPO_PACKS = Path(__file__).resolve().parents[2] / "packs"


def database_url(directory: Path | None = None) -> str:
    """The store's URL: SOCIALCREDIT_DB, else socialcredit.db in ``directory`` (or here)."""
    if url := os.environ.get("SOCIALCREDIT_DB"):
        return url
    return f"sqlite:///{(directory or Path.cwd()) / DEFAULT_DB_FILE}"


def audit_key_path(url: str) -> Path:
    """The audit signing key: SOCIALCREDIT_AUDIT_KEY, else beside a SQLite store's file (the
    database never holds it), else socialcredit.audit-key.pem here."""
    if path := os.environ.get("SOCIALCREDIT_AUDIT_KEY"):
        return Path(path)
    if url.startswith("sqlite:///") and len(url) > len("sqlite:///"):
        database = Path(url.removeprefix("sqlite:///"))
        return database.with_name(f"{database.stem}.audit-key.pem")
    return Path.cwd() / "socialcredit.audit-key.pem"


def audit_witness_path(url: str) -> Path:
    """The witness file of signed heads: SOCIALCREDIT_AUDIT_WITNESS, else beside the key."""
    if path := os.environ.get("SOCIALCREDIT_AUDIT_WITNESS"):
        return Path(path)
    key = audit_key_path(url)
    return key.with_name(key.name.replace(".audit-key.pem", "") + ".audit-heads.jsonl")


def packs_root() -> Path:
    """The folder of rule packs: SOCIALCREDIT_PACKS, else the repository's packs/."""
    if root := os.environ.get("SOCIALCREDIT_PACKS"):
        return Path(root)
    return _REPO_PACKS if _REPO_PACKS.is_dir() else Path.cwd() / "packs"


SEARCH_RATE = "30/60"


def search_rate() -> tuple[int, float]:
    """How many public searches a client address may make, per how many seconds:
    SOCIALCREDIT_SEARCH_RATE as ``N/SECONDS`` (``30/60``: 30 a minute), else 30/60."""
    value = os.environ.get("SOCIALCREDIT_SEARCH_RATE") or SEARCH_RATE
    count, _, seconds = value.partition("/")
    try:
        rate = int(count), float(seconds)
    except ValueError:
        rate = (0, 0.0)
    if rate[0] < 1 or not rate[1] > 0:
        raise ValueError(
            f"SOCIALCREDIT_SEARCH_RATE={value!r}: write N/SECONDS with N >= 1 and SECONDS > 0, "
            "e.g. 30/60 for 30 searches a minute"
        )
    return rate


def index_window(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The days [from, until) the decision index covers (docs/decision-index.md); other
    days are answered by the engine. Default: from 1 January ten years ago to 1 January
    six years ahead."""
    year = (today or dt.date.today()).year
    start = os.environ.get("SOCIALCREDIT_INDEX_FROM")
    until = os.environ.get("SOCIALCREDIT_INDEX_UNTIL")
    return (
        dt.date.fromisoformat(start) if start else dt.date(year - 10, 1, 1),
        dt.date.fromisoformat(until) if until else dt.date(year + 6, 1, 1),
    )


def audit_seal_every() -> float:
    """Seconds between the API's background seals of decision entries
    (SOCIALCREDIT_AUDIT_SEAL_EVERY); 0, the default: every entry is sealed at its commit."""
    return float(os.environ.get("SOCIALCREDIT_AUDIT_SEAL_EVERY") or 0)
