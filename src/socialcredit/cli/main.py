"""``socialcredit``: the command-line interface. Every command has --help."""

from __future__ import annotations

from pathlib import Path

import typer

from socialcredit.cli import render
from socialcredit.cli.audit import audit as audit_command
from socialcredit.cli.audit_log import ensure_audit_key
from socialcredit.cli.common import (
    AsOfOption,
    DbOption,
    JsonOption,
    PacksOption,
    console,
    context,
    domain_errors,
    errors,
    parse_date,
    print_json,
    progress_bar,
    rulebook,
    store,
)
from socialcredit.cli.demo import demo
from socialcredit.cli.export import export_app
from socialcredit.cli.linkage import linkage_app
from socialcredit.cli.packs import packs_app
from socialcredit.cli.screen import screen as screen_command
from socialcredit.cli.service import audit_app, keys_app, serve
from socialcredit.cli.simulate import simulate
from socialcredit.core.errors import InvalidIdentifier
from socialcredit.core.identifiers import parse_id
from socialcredit.io.mappings import load_mapping, submitting_agency
from socialcredit.services.access.principals import cli_principal
from socialcredit.services.decisions.answer import Question, answer
from socialcredit.services.files.read import read_credit_file
from socialcredit.services.labelling.audited import run_labelling
from socialcredit.services.labelling.run import DEFAULT_ENGINE
from socialcredit.services.lists.deletions import late_deletions
from socialcredit.services.models.decisions import DecisionAnswer
from socialcredit.services.models.files import CreditFile
from socialcredit.services.models.records import IngestAnswer, LabelAnswer
from socialcredit.services.records.submit import ingest_local_file

CALLER = cli_principal()
app = typer.Typer(
    name="socialcredit",
    help="A social credit system as its published rules define it, with rule-of-law safeguards.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(packs_app, name="packs")
app.add_typer(export_app, name="export")
app.add_typer(linkage_app, name="linkage")
app.add_typer(keys_app, name="keys")
app.add_typer(audit_app, name="audit-log")
app.command("audit")(audit_command)
app.command()(serve)
app.command()(simulate)
app.command("screen")(screen_command)
app.command(
    help="A synthetic nation: every agency feed ingested, labelled, sanctioned, summarised."
)(demo)


@app.command("validate-id")
def validate_id(
    codes: list[str] = typer.Argument(..., help="USCCs or resident ID numbers"),
    as_json: bool = JsonOption,
) -> None:
    """Validate identity numbers: one line per code; exit 1 if any is invalid."""
    results = []
    for code in codes:
        try:
            identifier = parse_id(code)
            results.append(
                {
                    "code": code,
                    "valid": True,
                    "kind": identifier.kind,
                    "normalised": identifier.code,
                }
            )
        except InvalidIdentifier as error:
            results.append({"code": code, "valid": False, "reason": error.reason})
    if as_json:
        print_json(results)
    else:
        width = max(len(c) for c in codes)
        for r in results:
            status = f"valid  {r['kind']}" if r["valid"] else f"invalid: {r['reason']}"
            console.print(f"{r['code']:<{width}}  {status}", highlight=False, markup=False)
    if not all(r["valid"] for r in results):
        raise typer.Exit(1)


@app.command()
def init(db: str = DbOption) -> None:
    """Create the database, or migrate it to the newest schema."""
    with domain_errors():
        engine = store(db, create=True)
    console.print(f"database ready: {engine.url.render_as_string(hide_password=True)}")
    ensure_audit_key(engine.url.render_as_string(hide_password=False))


@app.command()
def ingest(
    file: Path = typer.Argument(..., help="A .csv, .jsonl, .parquet or .xlsx file of records"),
    agency: str = typer.Option(
        None, "--agency", help="The submitting agency (e.g. court) [default: the mapping's]"
    ),
    category: str = typer.Option(
        None, "--category", help="Catalog category of rows that name none"
    ),
    mapping: Path = typer.Option(
        None, "--mapping", help="An ingest mapping (YAML) of the agency's own layout"
    ),
    db: str = DbOption,
    packs: Path = PacksOption,
    as_json: bool = JsonOption,
) -> None:
    """Load an agency file; print the per-row report. Valid rows are kept, bad rows explained."""
    with domain_errors():
        layout = load_mapping(mapping) if mapping else None
        agency = submitting_agency(agency, layout)
        ctx = context(db, packs)
        with progress_bar() as bar:
            task = bar.add_task(f"ingesting {file.name}", total=None)
            report = ingest_local_file(
                ctx, CALLER, file, agency, category, lambda n: bar.advance(task, n), layout
            )
    result = IngestAnswer.of(report, file=str(file))
    print_json(result) if as_json else render.ingest_report(result.plain())
    if result.rows and result.rejected == result.rows:
        errors.print(f"[bold red]error:[/] every row of {file.name} was rejected", highlight=False)
        raise typer.Exit(1)


EngineOption = typer.Option(
    DEFAULT_ENGINE,
    "--engine",
    help="duckdb (the compiled SQL plan, the default), spark (the same plan on Spark) or "
    "python (the reference engine, subject by subject); see docs/batch.md",
)
WithPackOption = typer.Option(
    [], "--with-pack", help="Also load this opt-in pack, e.g. national-catalogue-and-penalty-list"
)
OutsideCatalogueOption = typer.Option(
    False,
    "--outside-catalogue",
    help="Run even if a governing pack finds categories or measures outside the catalogue in "
    "force (each is logged)",
)


@app.command()
def label(
    as_of: str = AsOfOption,
    db: str = DbOption,
    packs: Path = PacksOption,
    as_json: bool = JsonOption,
    engine: str = EngineOption,
    master: str = typer.Option("local[*]", "--master", help="Spark master URL (--engine spark)"),
    with_packs: list[str] = WithPackOption,
    outside_catalogue: bool = OutsideCatalogueOption,
) -> None:
    """Evaluate every loaded pack for every subject as of a date, and store the entries."""
    if engine not in ("duckdb", "spark", "python"):
        raise typer.BadParameter(f"unknown engine {engine!r}; use duckdb, spark or python")
    day = parse_date(as_of)
    with domain_errors():
        ctx = context(db, packs, rulebook(packs, tuple(with_packs)))
        with progress_bar() as bar:
            task = bar.add_task("labelling", total=None)
            summary = run_labelling(
                ctx,
                CALLER,
                day,
                lambda n: bar.advance(task, n),
                lambda total: bar.update(task, total=total),
                engine=engine,
                master=master,
                outside_catalogue=outside_catalogue,
            )
    result = LabelAnswer.model_validate(summary.as_dict())
    if as_json:
        print_json(result)
        return
    console.print(
        f"label run {result.run} as of {result.as_of} ({result.engine} engine): "
        f"{result.subjects} subjects, {result.records} records, {result.entries} entries"
    )
    for list_id, count in sorted(result.active_entries.items()):
        console.print(f"  {list_id}: {count} active")


@app.command()
def decide(
    subject: str = typer.Argument(..., help="USCC or resident ID number"),
    action: str = typer.Argument(..., help="An action, e.g. buy_flight_ticket"),
    as_of: str = AsOfOption,
    db: str = DbOption,
    packs: Path = PacksOption,
    as_json: bool = JsonOption,
) -> None:
    """May SUBJECT do ACTION? The effect and every reason, down to the legal provisions."""
    day = parse_date(as_of)
    with domain_errors():
        found = answer(context(db, packs), CALLER, Question(subject, action, day, "command line"))
    result = DecisionAnswer.model_validate(found)
    print_json(result) if as_json else render.decision(result.plain())


@app.command()
def report(
    subject: str = typer.Argument(..., help="USCC or resident ID number"),
    as_of: str = AsOfOption,
    db: str = DbOption,
    packs: Path = PacksOption,
    as_json: bool = JsonOption,
) -> None:
    """The subject's credit file: records, list entries, ratings and measures in force."""
    day = parse_date(as_of)
    with domain_errors():
        found = read_credit_file(context(db, packs), CALLER, subject, day, "command line")
    result = CreditFile.model_validate(found)
    print_json(result) if as_json else render.credit_file(result.plain())


@app.command()
def deletions(
    as_of: str = typer.Option(None, "--as-of", help="Count up to this date [default: today]"),
    db: str = DbOption,
    packs: Path = PacksOption,
    as_json: bool = JsonOption,
) -> None:
    """Late deletions: entries label runs took down after their statutory deadline."""
    day = parse_date(as_of) if as_of else None
    found = late_deletions(context(db, packs), CALLER, day)
    if as_json:
        print_json(found)
        return
    console.print(
        f"{found['total']} deletion(s) with a deadline up to {found['as_of']}: "
        f"{found['by_state'].get('on_time', 0)} on time, {found['late_or_overdue']} late"
    )
    for row in found["worst"]:
        approximate = "" if row["exact"] else " (approximate deadline)"
        console.print(
            f"  {row['list']} {row['subject']} record {row['record']}: due {row['delete_by']}"
            f"{approximate}, {row['days_late']} day(s) late",
            highlight=False,
        )


if __name__ == "__main__":
    app()
