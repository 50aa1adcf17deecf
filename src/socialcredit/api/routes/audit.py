"""``GET /v1/audit/verify``: check the hash chain of the audit log (auditors, administrators)."""

from __future__ import annotations

from fastapi import APIRouter

from socialcredit.api.deps import PrincipalDep, StateDep
from socialcredit.api.errors import AUTHENTICATED
from socialcredit.services.access.audit_trail import verify_audit_log
from socialcredit.services.models.access import AuditCheck

router = APIRouter(prefix="/v1/audit", tags=["audit"], responses=AUTHENTICATED)


@router.get("/verify", summary="Verify the audit log's hash chain", response_model=AuditCheck)
def verify_chain(app: StateDep, caller: PrincipalDep) -> AuditCheck:
    return AuditCheck.model_validate(verify_audit_log(app.engine, caller))
