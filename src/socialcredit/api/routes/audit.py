"""``GET /v1/audit/verify``: check the hash chain of the audit log (auditors, administrators)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends

from socialcredit.api.deps import StateDep, require
from socialcredit.api.errors import AUTHENTICATED
from socialcredit.core.audit import verify
from socialcredit.store.audit_log import entries

router = APIRouter(prefix="/v1/audit", tags=["audit"], responses=AUTHENTICATED)


@router.get(
    "/verify",
    summary="Verify the audit log's hash chain",
    dependencies=[Depends(require("auditor", "admin"))],
)
def verify_chain(app: StateDep) -> dict[str, Any]:
    with app.engine.connect() as db:
        found = entries(db)
    problems = verify(found)
    return {"entries": len(found), "intact": not problems, "problems": problems}
