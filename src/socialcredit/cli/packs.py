"""``socialcredit packs``: list, check and test rule packs; print the format's JSON Schema."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from socialcredit.cli.common import (
    AsOfOption,
    JsonOption,
    PacksOption,
    console,
    domain_errors,
    errors,
    parse_date,
    print_json,
)
from socialcredit.core.governance import governance_findings
from socialcredit.core.pack.load import load_rulebook, read_pack
from socialcredit.core.pack.schema import pack_json_schema
from socialcredit.core.scenarios import scenario_label
from socialcredit.services.packs.docs import count, write_pages
from socialcredit.services.packs.rulebook import pack_folders, test_scenarios
from socialcredit.settings import packs_root

packs_app = typer.Typer(help="List, check and test rule packs.", no_args_is_help=True)


def _folders(paths: list[Path] | None, packs: Path | None) -> list[Path]:
    return list(paths) if paths else list(pack_folders(packs).values())


@packs_app.command("list")
def list_packs(packs: Path = PacksOption, as_json: bool = JsonOption) -> None:
    """The packs with their counts and the share of rules tagged V or S."""
    with domain_errors():
        loaded = [read_pack(folder) for folder in pack_folders(packs).values()]
    rows = [
        {
            "id": p.id,
            "title": p.spec.title,
            "revision": p.spec.revision,
            "jurisdiction": p.spec.jurisdiction,
            **count(p).as_dict(),
        }
        for p in loaded
    ]
    if as_json:
        print_json(rows)
        return
    table = Table(
        "pack",
        "rev",
        "sources",
        "lists",
        "ratings",
        "measures",
        "scenarios",
        "V or S",
        show_edge=False,
    )
    for row in rows:
        table.add_row(
            row["id"],
            row["revision"],
            str(row["sources"]),
            str(row["lists"]),
            str(row["ratings"]),
            str(row["measures"]),
            str(row["scenarios"]),
            f"{row['checked_share']:.0%}",
        )
    console.print(table)


@packs_app.command("docs")
def docs(
    out: Path = typer.Option(Path("docs/packs"), "--out", help="Folder of the generated pages"),
    packs: Path = PacksOption,
) -> None:
    """Generate docs/packs/<pack-id>.md for every pack, and the index table."""
    with domain_errors():
        loaded = [read_pack(folder) for folder in pack_folders(packs).values()]
    for path in write_pages(loaded, out):
        console.print(f"wrote {path}")


@packs_app.command("check")
def check(
    paths: list[Path] = typer.Argument(None, help="Pack folders [default: every pack]"),
    packs: Path = PacksOption,
    as_of: str = AsOfOption,
) -> None:
    """Validate packs against the schema and check every expression and citation; print
    what the governing packs among them find in the others as of a date."""
    folders = _folders(paths, packs)
    with domain_errors():
        book = load_rulebook(_with_dependencies(folders, packs))
    for folder in folders:
        console.print(
            f"[green]ok[/] {folder.name}: {len(book.packs[folder.name].spec.lists)} lists, "
            f"{len(book.packs[folder.name].spec.memoranda)} memoranda"
        )
    day = parse_date(as_of)
    for finding in governance_findings(book, day):
        console.print(
            f"[yellow]{finding.kind}[/] {finding.pack}: {finding.text} "
            f"({finding.governing_pack} {finding.edition}; {finding.confidence})",
            highlight=False,
            soft_wrap=True,
        )


def _with_dependencies(folders: list[Path], packs: Path | None) -> list[Path]:
    known = pack_folders(packs or packs_root())
    names = [f.name for f in folders]
    extra = [
        known[r]
        for f in folders
        for r in read_pack(f).spec.requires
        if r not in names and r in known
    ]
    return [*dict.fromkeys([*extra, *folders])]


@packs_app.command("test")
def test(
    paths: list[Path] = typer.Argument(
        None, help="Pack folders, scenario files or folders of them"
    ),
    packs: Path = PacksOption,
    as_json: bool = JsonOption,
) -> None:
    """Run scenarios (of every pack by default); exit 1 if any fails."""
    results = test_scenarios(_folders(paths, packs), packs)
    if as_json:
        print_json(
            [
                {
                    "file": str(r.file),
                    "name": r.name,
                    "passed": r.passed,
                    "failures": list(r.failures),
                }
                for r in results
            ]
        )
    else:
        for r in results:
            mark = "[green]pass[/]" if r.passed else "[red]FAIL[/]"
            name = scenario_label(r.file)
            console.print(f"{mark} {name}: {r.name}", highlight=False, soft_wrap=True)
            for failure in r.failures:
                console.print(f"       {failure}", highlight=False, markup=False, soft_wrap=True)
        failed = sum(not r.passed for r in results)
        console.print(f"{len(results) - failed} passed, {failed} failed")
    if not results:
        errors.print("no scenario found")
        raise typer.Exit(1)
    if any(not r.passed for r in results):
        raise typer.Exit(1)


@packs_app.command("schema")
def schema() -> None:
    """Print the pack format as JSON Schema."""
    print_json(pack_json_schema())
