"""``socialcredit audit``: the rule-of-law auditor (docs/auditor.md)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import typer
import yaml

from socialcredit.auditreport import FORMATS, render, run_audit
from socialcredit.auditreport.charts import chart_svgs
from socialcredit.auditreport.markdown import render_markdown
from socialcredit.cli.common import (
    AsOfOption,
    JsonOption,
    PacksOption,
    console,
    domain_errors,
    errors,
    parse_date,
    progress_bar,
)
from socialcredit.core.auditor import Audit, load_scales
from socialcredit.core.auditor.findings import SEVERITY_WORDS

SEVERITIES = {word: level for level, word in SEVERITY_WORDS.items()}


PacksArgument = typer.Argument(
    ..., help="Pack folders (packs/cn-tax-credit) or pack ids; several make one comparison"
)
FormatOption = typer.Option(
    "md", "--format", "-f", help="md, html (one file, charts inline) or json"
)
OutputOption = typer.Option(
    None, "--output", "-o", help="Write the report here [default: print it]"
)
ScalesOption = typer.Option(
    None, "--scales", help="YAML file that overrides the default scales (docs/auditor.md)"
)
WitnessesOption = typer.Option(
    None, "--witnesses", help="Folder to write each conflict's witness scenario into"
)
FailOnOption = typer.Option(
    None, "--fail-on", help="Exit 1 on a finding this severe or worse: high, medium, low"
)


def audit(
    packs: list[str] = PacksArgument,
    as_of: str = AsOfOption,
    fmt: str = FormatOption,
    output: Path = OutputOption,
    scales: Path = ScalesOption,
    witnesses: Path = WitnessesOption,
    fail_on: str = FailOnOption,
    packs_root: Path = PacksOption,
    as_json: bool = JsonOption,
) -> None:
    """Audit rule packs for legality, proportionality, spillover, collateral reach, duration,
    due process, vagueness and conflicts; several packs make one comparative report."""
    fmt = "json" if as_json else fmt
    if fmt not in FORMATS:
        raise typer.BadParameter(f"{fmt!r}: use one of {', '.join(FORMATS)}", param_hint="--format")
    if fail_on is not None and fail_on not in SEVERITIES:
        raise typer.BadParameter(f"{fail_on!r}: use high, medium or low", param_hint="--fail-on")
    day = parse_date(as_of)
    with domain_errors():
        loaded = load_scales(scales)
        with progress_bar() as bar:
            task = bar.add_task("auditing", total=None)
            result = run_audit(
                packs, day, loaded, packs_root, lambda step: bar.update(task, description=step)
            )
    with output_errors():
        _write(result, fmt, output)
        if witnesses is not None:
            _write_witnesses(result, witnesses)
    if fail_on is not None and any(f.severity >= SEVERITIES[fail_on] for f in result.findings):
        raise typer.Exit(1)


@contextmanager
def output_errors() -> Iterator[None]:
    """A report that cannot be written (a file in the way, no permission): one line, exit 1."""
    try:
        yield
    except OSError as error:
        errors.print(
            f"[bold red]error:[/] cannot write the report: {error}", highlight=False, soft_wrap=True
        )
        raise typer.Exit(1) from None


def _write(result: Audit, fmt: str, output: Path | None) -> None:
    if output is None:
        typer.echo(render(result, fmt), nl=False)
        return
    output.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "md":
        links = _write_charts(result, output)
        output.write_text(render_markdown(result, links), encoding="utf-8")
    else:
        output.write_text(render(result, fmt), encoding="utf-8")
    high = sum(f.severity == SEVERITIES["high"] for f in result.findings)
    console.print(
        f"wrote {output}: {len(result.packs)} pack(s), {len(result.findings)} findings "
        f"({high} high), {len(result.conflicts)} conflicts"
    )


def _write_charts(result: Audit, output: Path) -> dict[str, str]:
    """Charts of a markdown report go next to it, in <name>-charts/."""
    folder = output.parent / f"{output.stem}-charts"
    folder.mkdir(exist_ok=True)
    links = {}
    for name, svg in chart_svgs(result).items():
        (folder / f"{name}.svg").write_text(svg, encoding="utf-8")
        links[name] = f"{folder.name}/{name}.svg"
    return links


def _write_witnesses(result: Audit, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for number, conflict in enumerate(result.conflicts, start=1):
        path = folder / f"conflict-{number:02d}-{conflict.action}.yaml"
        text = yaml.safe_dump(conflict.scenario, allow_unicode=True, sort_keys=False)
        path.write_text(text, encoding="utf-8")
    errors.print(f"wrote {len(result.conflicts)} witness scenario(s) to {folder}")
