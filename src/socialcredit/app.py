"""The application factory: one FastAPI application over a store and a rulebook, with the
REST API (``socialcredit.api``) and the web portal (``socialcredit.web``) mounted side by
side. Neither package imports the other; both call the same services."""

from __future__ import annotations

from fastapi import FastAPI

from socialcredit import __version__, web
from socialcredit.api.app import DESCRIPTION
from socialcredit.api.app import install as install_api
from socialcredit.core.pack.model import Rulebook
from socialcredit.services.audit_sealer import start_sealer
from socialcredit.services.context import MAX_BODY_BYTES, Context
from socialcredit.services.decisions.holder import holder_for
from socialcredit.services.packs.rulebook import load_book
from socialcredit.services.setup import open_context
from socialcredit.settings import audit_seal_every


def create_app(
    db_url: str,
    book: Rulebook | None = None,
    max_body_bytes: int = MAX_BODY_BYTES,
    create: bool = False,
) -> FastAPI:
    """The API and the portal over the store at ``db_url`` (migrated first; made only with
    ``create``) and the rulebook (every pack by default)."""
    app = FastAPI(title="socialcredit", version=__version__, description=DESCRIPTION)
    context = open_context(db_url, book or load_book(), max_body_bytes, create)
    app.state.socialcredit = context
    holder_for(context.engine, context.book).start_building()  # decisions: docs/decision-index.md
    if audit_seal_every() > 0:  # decisions sealed in groups: docs/audit-log.md
        start_sealer(context.engine, audit_seal_every())
    install_api(app)  # first: the portal's error pages hand the API's paths to its handlers
    web.install(app)
    return app


def context_of(app: FastAPI) -> Context:
    """The context the application's use cases run in."""
    found: Context = app.state.socialcredit
    return found


def warm_up(app: FastAPI) -> None:
    """Compute what the first visitor would wait for (the dashboard's charts) before serving."""
    from socialcredit.web.dashboard import figures

    figures(context_of(app))
