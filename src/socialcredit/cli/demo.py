"""``socialcredit demo``: a synthetic nation through all four mechanisms, on a SQLite file."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from socialcredit.cli import render
from socialcredit.cli.common import (
    PacksOption,
    console,
    context,
    domain_errors,
    parse_date,
    port_is_free,
    progress_bar,
    rulebook,
)
from socialcredit.core.pack.model import Rulebook
from socialcredit.io.mappings import load_mapping
from socialcredit.services.access.keys import create_key
from socialcredit.services.access.principals import PORTAL_PUBLIC, cli_principal
from socialcredit.services.context import Context
from socialcredit.services.demo import summary as demo_summary
from socialcredit.services.labelling.audited import run_labelling
from socialcredit.services.public.search import search
from socialcredit.services.records.submit import ingest_local_file
from socialcredit.settings import DEFAULT_DB_FILE
from socialcredit.synth import generate_nation
from socialcredit.synth.own_layouts import write_own_layouts

DEMO_AS_OF = dt.date(2025, 12, 31)
CALLER = cli_principal()


def demo(
    directory: Path = typer.Option(
        Path("demo"), "--dir", help="Folder for the database and the agency feeds"
    ),
    persons: int = typer.Option(20_000, "--persons", min=10, help="Natural persons in the nation"),
    orgs: int = typer.Option(5_000, "--orgs", min=2, help="Organisations in the nation"),
    seed: int = typer.Option(7, "--seed", help="Random seed; the same seed gives the same nation"),
    as_of: str = typer.Option(
        DEMO_AS_OF.isoformat(), "--as-of", help="Date of the labelling and the decisions"
    ),
    packs: Path = PacksOption,
    serve: bool = typer.Option(
        False,
        "--serve/--no-serve",
        help="Then run the portal and the API on the demo database, with demo keys",
    ),
    port: int = typer.Option(8000, "--port", help="Port of the portal and the API with --serve"),
) -> None:
    day = parse_date(as_of)  # a usage error (exit 2) before anything is built
    if serve:
        port_is_free("127.0.0.1", port)
    with domain_errors():
        book = rulebook(packs)
        feeds = directory / "feeds"
        console.rule("[bold]1. Information gathering[/]: agencies submit credit records")
        _generate(feeds, persons, orgs, seed)
        database = directory / DEFAULT_DB_FILE
        for stale in directory.glob(f"{DEFAULT_DB_FILE}*"):
            stale.unlink()  # the demo starts from an empty store each time
        url = f"sqlite:///{database}"
        ctx = context(url, book=book, create=True)
        _ingest_feeds(ctx, feeds)
        console.rule(
            "[bold]2-3. Information sharing and labelling[/]: one file per subject, lists computed"
        )
        _label(ctx, day)
        examples = _summarise(ctx, day, database)
    if serve:
        _serve(url, book, port, examples, day)


def _generate(feeds: Path, persons: int, orgs: int, seed: int) -> None:
    with progress_bar() as bar:
        task = bar.add_task("generating the nation", total=None)
        summary = generate_nation(
            feeds, persons=persons, orgs=orgs, seed=seed, progress=lambda n: bar.advance(task, n)
        )
    console.print(
        f"synthetic nation: {summary.persons} persons, {summary.orgs} organisations, "
        f"{summary.cases} enforcement cases, feeds in {feeds}/"
    )


def _ingest_feeds(ctx: Context, feeds: Path) -> None:
    """Ingest every feed; two stand in the agencies' own layouts (a GBK CSV with Chinese
    headers, a workbook), read through their shipped mappings."""
    own = write_own_layouts(feeds)
    replaced = {item["replaces"] for item in own}
    for item in [i for i in _manifest(feeds) if i["file"] not in replaced] + own:
        mapping = load_mapping(Path(item["mapping"])) if "mapping" in item else None
        with progress_bar() as bar:
            task = bar.add_task(f"ingesting {item['file']}", total=None)
            report = ingest_local_file(
                ctx,
                CALLER,
                feeds / item["file"],
                item["agency"],
                item.get("category"),
                lambda n, task=task: bar.advance(task, n),  # type: ignore[misc]
                mapping,
            )
        render.ingest_report(report.as_dict(), limit=6)


def _label(ctx: Context, day: dt.date) -> None:
    labelled = run_labelling(ctx, CALLER, day)
    console.print(
        f"label run as of {day} ({labelled.engine} engine): "
        f"{labelled.subjects} subjects with records, "
        f"{labelled.records} records, {labelled.entries} list entries (past and present)"
    )
    _grades(labelled.grades)


def _serve(url: str, book: Rulebook, port: int, subjects: list[str], day: dt.date) -> None:
    """Create one key per kind of caller, print them with the portal's address, and serve."""
    import uvicorn

    from socialcredit.app import context_of, create_app, warm_up

    app = create_app(url, book)
    ctx = context_of(app)
    keys = demo_keys(ctx, subjects[0] if subjects else None)
    base = f"http://127.0.0.1:{port}"
    console.rule(f"[bold]The portal[/] at {base}/")
    console.print(
        f"  the API: {base}/v1, OpenAPI at /openapi.json", highlight=False, soft_wrap=True
    )
    for who, key in keys.items():
        console.print(f"  {who} key: {key}", highlight=False, markup=False, soft_wrap=True)
    if subjects:
        _print_walkthrough(ctx, base, subjects[0], keys["agency (court)"], day)
    warm_up(app)  # the dashboard's charts, drawn once before serving
    console.print(f"Serving on {base}/ — press Ctrl+C to stop.", highlight=False, markup=False)
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")


def _print_walkthrough(ctx: Context, base: str, subject: str, key: str, day: dt.date) -> None:
    console.print(
        f"  a listed subject's public page on {day}: "
        f"{base}{public_subject_path(ctx, subject)}?as_of={day}\n"
        f"  sign in at {base}/signin with the subject key (his own file, objections, repair) "
        "or the agency key (upload, decisions, entries, feed)",
        highlight=False,
        markup=False,
        soft_wrap=True,
    )
    console.print(
        f"  curl -s -H 'Authorization: Bearer {key}' -H 'Content-Type: application/json' "
        f'-d \'{{"subject": "{subject}", "action": "buy_flight_ticket", "as_of": "{day}"}}\' '
        f"{base}/v1/decisions",
        highlight=False,
        markup=False,
        soft_wrap=True,
    )


def demo_keys(ctx: Context, subject: str | None) -> dict[str, str]:
    """One key per kind of caller the demo shows: an agency (a court), the public, a subject."""
    engine = ctx.engine
    scopes = {"categories": ["*"], "disclosures": ["public", "shared"], "actions": ["*"]}
    keys = {
        "agency (court)": create_key(
            engine, "agency", "demo court", agency="court", scopes=scopes, by=CALLER
        ),
        "public": create_key(engine, "public", "demo public", by=CALLER),
    }
    if subject:
        keys[f"subject {subject}"] = create_key(
            engine, "subject", "demo subject", subject=subject, by=CALLER
        )
    return keys


def public_subject_path(ctx: Context, subject: str) -> str:
    """The portal's public page of ``subject`` (persons are linked by a public record)."""
    hits = search(ctx, PORTAL_PUBLIC, subject, 0, 1).hits
    return f"/subjects/{hits[0].ref}" if hits else f"/subjects/{subject}"


def _grades(grades: Counter[tuple[str, str]]) -> None:
    table = Table("rating", "grades on the date (subjects)", title="Ratings", show_edge=False)
    for rating in sorted({r for r, _ in grades}):
        counts = sorted((g, n) for (r, g), n in grades.items() if r == rating)
        table.add_row(rating, ", ".join(f"{g}: {n}" for g, n in counts))
    console.print(table)


def _manifest(feeds: Path) -> list[dict[str, Any]]:
    data = json.loads((feeds / "manifest.json").read_text(encoding="utf-8"))
    return list(data["files"] if isinstance(data, dict) else data)


def _summarise(ctx: Context, day: dt.date, database: Path) -> list[str]:
    """Print the summary; return the subjects of the explained decisions."""
    stats = demo_summary.summarise_store(ctx, day)
    table = Table(
        "list",
        "active entries",
        "persons",
        "organisations",
        title=f"Lists on {day}",
        show_edge=False,
    )
    for list_id, counts in sorted(stats.lists.items()):
        table.add_row(
            list_id, str(counts["total"]), str(counts["person"]), str(counts["organisation"])
        )
    console.print(table)
    console.rule("[bold]4. Joint sanctions[/]: measures in force, by implementing agency")
    agencies = Table("agency", "measures in force", "subjects reached", title=None, show_edge=False)
    for agency, (measures, subjects) in sorted(stats.by_agency.items(), key=lambda kv: -kv[1][0]):
        agencies.add_row(agency, str(measures), str(subjects))
    console.print(agencies)
    console.print(
        f"persons reached through an organisation they represent: {stats.collateral_persons}"
    )
    console.rule("[bold]Three decisions, explained[/]")
    for title, decision, history in stats.examples:
        console.print(f"[bold]{title}[/]")
        render.decision(decision.as_dict())
        for line in history:
            console.print(f"  history: {line}")
        console.print()
    console.print(f"The database stays at {database}; try, in {database.parent}:")
    console.print(
        "  socialcredit decide <ID> buy_flight_ticket --as-of 2025-12-31\n"
        "  socialcredit report <ID>"
    )
    return [decision.subject for _, decision, _ in stats.examples]
