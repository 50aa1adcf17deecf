"""The use case "verify the audit log": auditors and administrators check its chain."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine

from socialcredit.core.access import Principal
from socialcredit.core.audit import verify
from socialcredit.services.errors import forbidden
from socialcredit.store.audit_log import entries


def verify_audit_log(engine: Engine, caller: Principal) -> dict[str, Any]:
    """How many entries, whether the chain is intact, and every problem found."""
    if caller.role not in ("auditor", "admin"):
        raise forbidden(f"a {caller.role} key may not do this")
    with engine.connect() as db:
        found = entries(db)
    problems = verify(found)
    return {"entries": len(found), "intact": not problems, "problems": problems}
