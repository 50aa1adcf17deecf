"""``create_app``: the FastAPI application over a store and a rulebook: the API under /v1 and
the web portal's pages."""

from __future__ import annotations

from fastapi import FastAPI

from socialcredit import __version__
from socialcredit.api import docs_ui, errors
from socialcredit.api.deps import AppState
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
)
from socialcredit.core.pack.model import Rulebook
from socialcredit.services.packs.rulebook import load_book
from socialcredit.store.database import connect, migrate
from socialcredit.web import install as install_portal

MAX_BODY_BYTES = 10 * 1024 * 1024


def create_app(
    db_url: str, book: Rulebook | None = None, max_body_bytes: int = MAX_BODY_BYTES
) -> FastAPI:
    """The API over the store at ``db_url`` (migrated first) and the rulebook (every pack)."""
    migrate(db_url)
    app = FastAPI(
        title="socialcredit",
        version=__version__,
        description="Credit records, decisions with their reasons, credit files and feeds. "
        "Send `Authorization: Bearer <api key>`; errors are `{error: {code, message, details}}`.",
    )
    app.state.socialcredit = AppState(connect(db_url), book or load_book(), max_body_bytes)
    errors.install(app)

    @app.get("/v1/health", tags=["health"], summary="Liveness; no key needed")
    def health() -> dict[str, str]:
        return {"status": "ok", "version": __version__}

    for module in (decisions, records, subjects, lists, feed, exports, objections, repair, audit):
        app.include_router(module.router)
    app.include_router(ftm.router)
    app.include_router(screening.router)
    docs_ui.install(app)  # Swagger UI from the package's own files, not a CDN
    install_portal(app)  # the portal's pages; errors under /v1 keep the API's JSON format
    return app
