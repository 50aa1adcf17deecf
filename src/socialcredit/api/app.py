"""The REST API under ``/v1``: its routes and its error format, installed on an application
that the factory (``socialcredit.app.create_app``) builds; the API knows nothing of the portal."""

from __future__ import annotations

from fastapi import FastAPI
from pydantic import BaseModel, Field

from socialcredit import __version__
from socialcredit.api import docs_ui, errors
from socialcredit.api.deps import StateDep
from socialcredit.api.routes import (
    audit,
    decisions,
    exports,
    feed,
    ftm,
    lists,
    objections,
    records,
    repair,
    screening,
    subjects,
    vocabulary,
)
from socialcredit.services.decisions.holder import holder_for

DESCRIPTION = (
    "Credit records, decisions with their reasons, credit files and feeds. "
    "Send `Authorization: Bearer <api key>`; errors are `{error: {code, message, details}}`."
)


class Health(BaseModel):
    status: str
    version: str
    decision_index: str = Field(
        description="this worker's decision index: 'on demand' (subjects swept as asked), "
        "'building' (a full build running), 'ready' (built whole) or 'failed'"
    )


def install(app: FastAPI) -> None:
    """Add the API's routes and its error handlers (JSON, never a page) to ``app``."""
    errors.install(app)

    @app.get(
        "/v1/health", tags=["health"], summary="Liveness; no key needed", response_model=Health
    )
    def health(app: StateDep) -> Health:
        state = holder_for(app.engine, app.book).state
        return Health(status="ok", version=__version__, decision_index=state)

    for module in (decisions, records, subjects, lists, feed, exports, objections, repair, audit):
        app.include_router(module.router)
    app.include_router(vocabulary.router)
    app.include_router(ftm.router)
    app.include_router(screening.router)
    docs_ui.install(app)  # Swagger UI from the package's own files, not a CDN
