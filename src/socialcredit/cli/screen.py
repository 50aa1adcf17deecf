"""``socialcredit screen FILE``: bulk screening of counterparties against the lists."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.table import Table

from socialcredit.cli.common import (
    AsOfOption,
    DbOption,
    JsonOption,
    PacksOption,
    console,
    domain_errors,
    parse_date,
    print_json,
    rulebook,
    store,
)
from socialcredit.cli.export import OPERATOR
from socialcredit.services.screening.files import (
    as_json,
    csv_bytes,
    read_counterparties,
    xlsx_bytes,
)
from socialcredit.services.screening.screen import ScreeningReport
from socialcredit.services.screening.screen import screen as screen_service

WRITERS = {".csv": csv_bytes, ".xlsx": xlsx_bytes}


def screen(
    file: Path = typer.Argument(
        ..., help="CSV, .xlsx or JSON Lines of counterparties: name, identifier, region, role"
    ),
    action: str = typer.Option(
        None,
        "--action",
        help="Also decide this action for every match (e.g. bid_public_procurement)",
    ),
    out: Path = typer.Option(
        None, "--out", help="Write the results to a .csv, .xlsx or .json file"
    ),
    as_of: str = AsOfOption,
    db: str = DbOption,
    packs: Path = PacksOption,
    as_json_: bool = JsonOption,
) -> None:
    """Screen counterparties: per row the matches (by identifier, or by name and region),
    with the reasons, the entries and measures behind each, and the decision for --action."""
    if out is not None and out.suffix.lower() not in (*WRITERS, ".json"):
        raise typer.BadParameter("write .csv, .xlsx or .json", param_hint="--out")
    day = parse_date(as_of) if as_of else None
    with domain_errors():
        parties = read_counterparties(file)
        report = screen_service(store(db), rulebook(packs), OPERATOR, parties, action, day)
    if out is not None:
        _write(report, out)
    if as_json_:
        print_json(as_json(report))
    else:
        _summary(report, out)


def _write(report: ScreeningReport, out: Path) -> None:
    writer = WRITERS.get(out.suffix.lower())
    if writer is None:
        text = json.dumps(as_json(report), ensure_ascii=False, indent=2) + "\n"
        out.write_text(text, encoding="utf-8")
    else:
        out.write_bytes(writer(report))


def _summary(report: ScreeningReport, out: Path | None) -> None:
    counts = ", ".join(f"{n} {status}" for status, n in report.counts().items())
    console.print(
        f"{len(report.results)} counterparties screened against {report.listed_subjects} listed "
        f"subjects as of {report.as_of}: {counts}"
    )
    table = Table(
        "row", "name", "status", "match", "how", "score", "effect", "why", show_edge=False
    )
    for result in report.results:
        for match in result.matches[:3]:
            decision = report.decisions.get(match.subject.subject)
            shown = report.shown_id(match.subject.subject, match.subject.kind)
            table.add_row(
                str(result.counterparty.row),
                result.counterparty.name or "",
                result.status,
                f"{match.subject.name} {shown}",
                match.how,
                f"{match.score:.2f}",
                decision["effect"] if decision else "",
                "; ".join(match.reasons),
            )
    if table.row_count:
        console.print(table)
    if out is not None:
        console.print(f"results written to {out}")
