"""``socialcredit export ...``: the lists as files for other tools (FollowTheMoney)."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import typer

from socialcredit.cli.common import (
    DbOption,
    PacksOption,
    console,
    domain_errors,
    errors,
    rulebook,
    store,
)
from socialcredit.core.access import Principal
from socialcredit.services.exports.ftm import export_ftm
from socialcredit.services.lists.definitions import UnknownList

export_app = typer.Typer(help="Export the lists as files for other tools.", no_args_is_help=True)
# The command line is run by the store's operator, who reads the store directly anyway.
OPERATOR = Principal(key_id="cli", role="admin", name="command line")


@export_app.command("ftm")
def ftm(
    out: Path = typer.Option(
        None,
        "--out",
        help="JSON Lines file of the entities; its index.json beside it "
        "[default: the entities on standard output]",
    ),
    lists: list[str] = typer.Option(
        None,
        "--list",
        help="A list to export (repeatable) [default: every blacklist and watchlist]",
    ),
    as_of: str = typer.Option(
        None, "--as-of", help="Entries in force on this date [default: the latest label run's]"
    ),
    db: str = DbOption,
    packs: Path = PacksOption,
) -> None:
    """The entries in force, with their measures and legal sources, as FollowTheMoney
    entities (Person, Company, Organization, Sanction) in JSON Lines."""
    day = dt.date.fromisoformat(as_of) if as_of else None
    with domain_errors():
        try:
            result = export_ftm(store(db), rulebook(packs), OPERATOR, day, lists or None)
        except UnknownList as error:
            errors.print(f"[bold red]error:[/] no loaded pack defines list {error.args[0]!r}")
            raise typer.Exit(1) from None
    if out is None:
        sys.stdout.buffer.write(result.jsonl())
        return
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(result.jsonl())
    index = out.with_name("index.json")
    index.write_text(json.dumps(result.index(), ensure_ascii=False, indent=2) + "\n", "utf-8")
    counts = ", ".join(f"{k} {v}" for k, v in result.lists.items()) or "no lists"
    console.print(
        f"{len(result.entities)} FtM entities as of {result.as_of} in {out} ({counts}); "
        f"dataset metadata in {index}"
    )
