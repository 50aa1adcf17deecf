"""``socialcredit serve``, ``keys`` and ``audit-log``: the service and its keys and audit."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import typer
from rich.table import Table

from socialcredit.cli.audit_log import audit_app as audit_app
from socialcredit.cli.common import (
    DbOption,
    JsonOption,
    PacksOption,
    console,
    domain_errors,
    errors,
    port_is_free,
    print_json,
    rulebook,
    store,
)
from socialcredit.core.access import ROLES
from socialcredit.services.access.keys import create_key, list_keys, revoke_key
from socialcredit.services.access.principals import cli_principal
from socialcredit.settings import database_url

keys_app = typer.Typer(help="Create, list and revoke API keys.", no_args_is_help=True)


def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on"),
    port: int = typer.Option(8000, "--port", help="Port to listen on"),
    workers: int = typer.Option(
        1, "--workers", min=1, help="Worker processes (use PostgreSQL for more than one)"
    ),
    db: str = DbOption,
    packs: Path = PacksOption,
) -> None:
    """Run the REST API under /v1 (OpenAPI at /openapi.json, health at /v1/health) and the
    web portal at / (public search, subject pages, the subject's own area, the agency
    console, lists and rules, dashboard)."""
    import uvicorn

    from socialcredit.app import create_app

    url = db or database_url()
    port_is_free(host, port)
    with domain_errors():  # the store and the packs are checked before anything is served
        book = rulebook(packs)
        app = create_app(url, book) if workers == 1 else None
        if app is None:
            store(url)
    base = f"http://{host}:{port}"
    console.print(f"socialcredit portal on {base}/ and API on {base}/v1 (database {url})")
    if app is not None:
        uvicorn.run(app, host=host, port=port, log_level="warning")
        return
    _exec_workers(url, packs, host, port, workers)


def _exec_workers(url: str, packs: Path | None, host: str, port: int, workers: int) -> None:
    """Become uvicorn's own command line: each worker process it spawns then imports only
    uvicorn and the small ``socialcredit.asgi`` (which builds the application in the
    background), not this command line with everything it imports, so workers answer their
    supervisor's health checks from the start."""
    os.environ["SOCIALCREDIT_DB"] = url
    if packs:
        os.environ["SOCIALCREDIT_PACKS"] = str(packs.resolve())
    sys.stdout.flush()
    sys.stderr.flush()
    arguments = ["--host", host, "--port", str(port), "--workers", str(workers)]
    command = [sys.executable, "-m", "uvicorn", "socialcredit.asgi:app", *arguments]
    os.execv(sys.executable, [*command, "--log-level", "warning"])


@keys_app.command("create")
def create(
    role: str = typer.Argument(..., help=f"One of {', '.join(ROLES)}"),
    name: str = typer.Option(..., "--name", help="Who holds the key"),
    agency: str = typer.Option(None, "--agency", help="The agency of an agency key"),
    subject: str = typer.Option(None, "--subject", help="The identity number of a subject key"),
    category: list[str] = typer.Option(
        [], "--category", help="A category an agency key may submit ('*': any)"
    ),
    disclosure: list[str] = typer.Option([], "--disclosure", help="A disclosure class it may read"),
    action: list[str] = typer.Option([], "--action", help="An action it may decide ('*': any)"),
    db: str = DbOption,
) -> None:
    """Create a key; it is printed once and stored only as a hash."""
    scopes = {"categories": category, "disclosures": disclosure, "actions": action}
    with domain_errors():
        key = create_key(store(db), role, name, agency, subject, scopes, cli_principal())
    console.print(key, markup=False, highlight=False)
    errors.print("keep it: it cannot be shown again")


@keys_app.command("list")
def list_(db: str = DbOption, as_json: bool = JsonOption) -> None:
    """Every key, without its secret."""
    with domain_errors():
        rows = list_keys(store(db))
    if as_json:
        print_json(rows)
        return
    table = Table("id", "role", "name", "agency", "subject", "created", "revoked", show_edge=False)
    for r in rows:
        table.add_row(
            r["id"],
            r["role"],
            r["name"],
            r["agency"] or "",
            r["subject_id"] or "",
            str(r["created_at"])[:19],
            str(r["revoked_at"] or "")[:19],
        )
    console.print(table)


@keys_app.command("revoke")
def revoke(
    key_id: str = typer.Argument(..., help="The key's id (from keys list)"), db: str = DbOption
) -> None:
    """Revoke a key at once."""
    with domain_errors():
        done = revoke_key(store(db), key_id, cli_principal())
    if not done:
        errors.print(f"no active key {key_id!r}")
        raise typer.Exit(1)
    console.print(f"revoked {key_id}")
