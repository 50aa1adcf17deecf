"""``socialcredit linkage ...``: link records without an identity number to persons, and
review the candidates (nothing counts until a candidate is accepted)."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.table import Table

from socialcredit.cli.common import DbOption, JsonOption, console, domain_errors, print_json, store
from socialcredit.cli.export import OPERATOR
from socialcredit.io.readers import BadRow, read_rows
from socialcredit.services.linkage.review import (
    THRESHOLD,
    accepted_rows,
    link_records,
    pending,
    review,
)

linkage_app = typer.Typer(
    help="Link records without an identity number to persons; review the matches.",
    no_args_is_help=True,
)


@linkage_app.command("run")
def run(
    file: Path = typer.Argument(
        ...,
        help="CSV, .xlsx or JSON Lines: key, name, id (masked or empty), birth_year, "
        "region, and the record's own columns",
    ),
    agency: str = typer.Option(
        ..., "--agency", help="the agency whose records these are: only it reviews them"
    ),
    threshold: float = typer.Option(THRESHOLD, "--threshold", min=0.5, max=1.0),
    db: str = DbOption,
) -> None:
    """Link the file's records (splink) and queue every candidate above the threshold."""
    with domain_errors():
        rows = [row for _, row in read_rows(file) if not isinstance(row, BadRow)]
        queued = link_records(store(db), OPERATOR, rows, threshold, agency)
    console.print(f"{len(rows)} records linked; {queued} candidate(s) queued for review")


@linkage_app.command("pending")
def show_pending(db: str = DbOption, as_json: bool = JsonOption) -> None:
    """The candidates waiting for review, the most probable first."""
    with domain_errors():
        found = pending(store(db), OPERATOR)
    if as_json:
        print_json(found)
        return
    table = Table("id", "record", "subject", "probability", "levels", show_edge=False)
    for row in found:
        levels = ", ".join(f"{k} {v}" for k, v in row["levels"].items())
        table.add_row(str(row["id"]), row["record_key"], row["subject_id"],
                      f"{row['probability']:.3f}", levels)  # fmt: skip
    console.print(table if found else "nothing waits for review")


@linkage_app.command("accept")
def accept(
    candidate: int = typer.Argument(...), reason: str = typer.Option(..., "--reason"),
    db: str = DbOption,
) -> None:  # fmt: skip
    """Accept a candidate: the record is the person's (the others for it are rejected)."""
    with domain_errors():
        console.print(review(store(db), OPERATOR, candidate, True, reason))


@linkage_app.command("reject")
def reject(
    candidate: int = typer.Argument(...), reason: str = typer.Option(..., "--reason"),
    db: str = DbOption,
) -> None:  # fmt: skip
    """Reject a candidate."""
    with domain_errors():
        console.print(review(store(db), OPERATOR, candidate, False, reason))


@linkage_app.command("accepted")
def accepted(out: Path = typer.Option(..., "--out", help="JSON Lines file to ingest"),
             db: str = DbOption) -> None:  # fmt: skip
    """Write the accepted records, each with its subject, as JSON Lines for ``ingest``."""
    with domain_errors():
        rows = accepted_rows(store(db))
    lines = "".join(json.dumps(r, ensure_ascii=False, default=str) + "\n" for r in rows)
    out.write_text(lines, encoding="utf-8")
    console.print(
        f"{len(rows)} accepted record(s) in {out}: socialcredit ingest {out} --agency ..."
    )
