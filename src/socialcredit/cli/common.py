"""Shared options, the console, and the mapping of errors to exit codes (1 domain, 2 usage)."""

from __future__ import annotations

import datetime as dt
import json
import socket
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import typer
from pydantic import BaseModel
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from sqlalchemy import Engine

from socialcredit.core.errors import SocialCreditError
from socialcredit.core.pack.model import Rulebook
from socialcredit.services.context import Context
from socialcredit.services.packs.rulebook import load_book
from socialcredit.services.setup import open_context, open_store
from socialcredit.settings import database_url

console = Console()
errors = Console(stderr=True)
F = TypeVar("F", bound=Callable[..., Any])

DbOption = typer.Option(
    None,
    "--db",
    envvar="SOCIALCREDIT_DB",
    help="SQLAlchemy URL of the store [default: sqlite:///socialcredit.db]",
)
PacksOption = typer.Option(
    None,
    "--packs",
    envvar="SOCIALCREDIT_PACKS",
    help="Folder of rule packs [default: the repository's packs/]",
)
JsonOption = typer.Option(False, "--json", help="Print JSON for machines.")


AsOfOption = typer.Option(
    None, "--as-of", help="Evaluate as of this date (YYYY-MM-DD) [default: today]"
)


def parse_date(text: str | None, option: str = "--as-of") -> dt.date:
    """The date of an option (today when not given); a usage error (exit 2) when invalid."""
    if text is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(
            f"{text!r} is not a date written YYYY-MM-DD", param_hint=option
        ) from None


def rulebook(packs: Path | None, with_packs: tuple[str, ...] = ()) -> Rulebook:
    """Every pack that is not opt-in, and the opt-in packs named in ``with_packs``."""
    root = packs.resolve() if packs else None
    if not with_packs:
        return load_book(None, root)
    return load_book((*load_book(None, root).packs, *with_packs), root)


def store(db: str | None, create: bool = False) -> Engine:
    """The store at ``db`` (or the default), migrated to the newest schema; only ``create``
    (``init``) makes it when it does not exist."""
    return open_store(db or database_url(), create)


def context(
    db: str | None,
    packs: Path | None = None,
    book: Rulebook | None = None,
    create: bool = False,
) -> Context:
    """The use cases' context: the store at ``db`` (or the default), migrated to the newest
    schema, and the rulebook (``book``, else the packs at ``packs``)."""
    return open_context(db or database_url(), book or rulebook(packs), create=create)


@contextmanager
def domain_errors() -> Iterator[None]:
    """Print a domain error in one clear line and exit 1."""
    try:
        yield
    except SocialCreditError as error:
        errors.print(f"[bold red]error:[/] {error}", highlight=False, markup=True)
        raise typer.Exit(1) from None


def port_is_free(host: str, port: int) -> None:
    """A usage error (exit 2) when ``port`` is taken, found before anything is built."""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            raise typer.BadParameter(
                f"port {port} on {host} cannot be used ({error.strerror}): "
                "another server may be running there; choose another with --port",
                param_hint="--port",
            ) from None


def print_json(value: Any) -> None:
    """``value`` as JSON; a pydantic model as its ``model_dump`` (the API's shape)."""
    if isinstance(value, BaseModel):
        value = value.model_dump(mode="json", by_alias=True)
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=2, default=str) + "\n")


def progress_bar() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=errors,
        transient=False,
        disable=not errors.is_terminal,
    )
