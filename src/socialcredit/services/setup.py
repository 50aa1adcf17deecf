"""Opening the store for the interfaces: the database checked (or, for ``init`` and ``demo``,
created), migrated to the newest schema, and the context the use cases run in.

Only ``create=True`` makes a database: every other command refuses a store that does not
exist, so that a command run in the wrong folder cannot answer from an empty store (a false
clearance). A URL that is malformed or names an unreachable server is a sentence, not a
traceback (``StoreUnavailable``)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, inspect, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError

from socialcredit.core.errors import SocialCreditError
from socialcredit.core.pack.model import Rulebook
from socialcredit.services.context import MAX_BODY_BYTES, Context
from socialcredit.store.database import connect, migrate


class StoreUnavailable(SocialCreditError):
    """The store cannot be used: a malformed URL, a server that does not answer, a folder
    that does not exist, or a database that was never created (``socialcredit init``)."""


def open_store(url: str, create: bool = False) -> Engine:
    """The store at ``url``, migrated to the newest schema; ``create``: make it if missing."""
    shown = _shown(url)
    if not create:
        _must_exist(url, shown)
    try:
        migrate(url)
        return connect(url)
    except (DBAPIError, OSError) as error:
        raise StoreUnavailable(f"the database {shown} cannot be opened: {_reason(error)}") from None


def open_context(
    url: str, book: Rulebook, max_body_bytes: int = MAX_BODY_BYTES, create: bool = False
) -> Context:
    """The context of the use cases over the store at ``url`` and ``book``."""
    return Context(open_store(url, create), book, max_body_bytes)


def _shown(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        raise StoreUnavailable(
            f"{url!r} is not a database URL; write one as sqlite:///path/to/socialcredit.db "
            "or postgresql+psycopg://user@host:5432/name"
        ) from None


def _must_exist(url: str, shown: str) -> None:
    parsed = make_url(url)
    missing = f"there is no socialcredit database at {shown}: run `socialcredit init` (or `demo`)"
    if parsed.get_backend_name() == "sqlite":
        path = parsed.database
        if not path or path == ":memory:" or not Path(path).is_file():
            raise StoreUnavailable(missing)
    try:
        engine = connect(url)
    except (ArgumentError, NoSuchModuleError) as error:
        raise StoreUnavailable(f"the database URL {shown} cannot be used: {error}") from None
    try:
        with engine.connect() as db:
            created = inspect(db).has_table("alembic_version")
    except DBAPIError as error:
        raise StoreUnavailable(f"the database {shown} cannot be opened: {_reason(error)}") from None
    finally:
        engine.dispose()
    if not created:
        raise StoreUnavailable(missing)


def _reason(error: BaseException) -> str:
    original = getattr(error, "orig", None) or error
    return " ".join(str(original).split())[:300]
