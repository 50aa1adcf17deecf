"""`socialcredit audit`: formats, files, exit codes, and the comparative report on the real
packs (the command of issue 5's first "done when")."""

from __future__ import annotations

import datetime as dt
import json
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from socialcredit.auditreport import render_report
from socialcredit.cli.main import app
from socialcredit.services.packs import rulebook as pack_service
from tests.auditor_helpers import TINY
from tests.conftest import REPO

runner = CliRunner()
TINY_ARGS = ["tiny-base", "tiny-rated", "--packs", str(TINY), "--as-of", "2025-01-01"]
COMPARISON = [
    *(str(p) for p in sorted((REPO / "packs").glob("cn-*"))),
    str(REPO / "packs" / "us-far-9-4-exclusions"),
    str(REPO / "packs" / "mdb-cross-debarment"),
]


class Outline(HTMLParser):
    """Tags and headings of an HTML page; fails on a close tag that does not match."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.tags: list[str] = []
        self.headings: list[str] = []
        self._in_heading = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag not in ("meta", "br", "img", "link", "path", "use", "rect", "circle", "line"):
            self.stack.append(tag)
        self._in_heading = tag == "h2"

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if self.stack and self.stack[-1] == tag:
            self.stack.pop()
        elif tag in self.stack:
            raise AssertionError(f"</{tag}> closes over {self.stack[-1]}")
        self._in_heading = False

    def handle_data(self, data: str) -> None:
        if self._in_heading and data.strip():
            self.headings.append(data.strip())


def outline(html: str) -> Outline:
    parser = Outline()
    parser.feed(html)
    parser.close()
    return parser


def test_json_to_stdout() -> None:
    result = runner.invoke(app, ["audit", *TINY_ARGS, "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [p["pack"] for p in data["packs"]] == ["tiny-base", "tiny-rated"]
    assert data["as_of"] == "2025-01-01" and len(data["conflicts"]) == 1
    assert runner.invoke(app, ["audit", *TINY_ARGS, "--json"]).stdout == result.stdout


def test_markdown_file_with_chart_files(tmp_path: Path) -> None:
    out = tmp_path / "audit.md"
    result = runner.invoke(app, ["audit", *TINY_ARGS, "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Rule-of-law audit")
    assert "## How to read this report" in text and "## Parameters used" in text
    charts = sorted(p.name for p in (tmp_path / "audit-charts").iterdir())
    names = ["amplification", "due_process", "legality", "proportionality", "spillover"]
    assert charts == [f"{name}.svg" for name in names]
    assert "![legality](audit-charts/legality.svg)" in text


def test_html_is_one_parseable_page_with_inline_charts(tmp_path: Path) -> None:
    out = tmp_path / "audit.html"
    result = runner.invoke(app, ["audit", *TINY_ARGS, "--format", "html", "-o", str(out)])
    assert result.exit_code == 0, result.output
    page = outline(out.read_text(encoding="utf-8"))
    assert page.tags.count("svg") == 5
    assert "How to read this report" in page.headings
    assert "The worst findings first" in page.headings
    assert "Is the punishment commensurate with the wrong?" in page.headings


def test_witnesses_are_scenarios_that_packs_test_passes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "witnesses"
    result = runner.invoke(app, ["audit", *TINY_ARGS, "--json", "--witnesses", str(folder)])
    assert result.exit_code == 0, result.output
    [file] = sorted(folder.glob("*.yaml"))
    monkeypatch.setenv("SOCIALCREDIT_PACKS", str(TINY))
    [outcome] = pack_service.test_scenarios([file])
    assert outcome.passed, outcome.failures


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["no-such-pack", "--packs", str(TINY)], 1),
        ([*TINY_ARGS, "--format", "pdf"], 2),
        ([*TINY_ARGS, "--as-of", "2025-13-01"], 2),
        ([*TINY_ARGS, "--fail-on", "worst"], 2),
        ([*TINY_ARGS, "--fail-on", "high"], 1),
        (["tiny-rated", "--packs", str(TINY), "--as-of", "2019-01-01", "--fail-on", "low"], 0),
    ],
)
def test_exit_codes(args: list[str], code: int) -> None:
    result = runner.invoke(app, ["audit", *args])
    assert result.exit_code == code, result.output


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("colour: red\n", "unknown key(s) colour"),
        ("gravity:\n  default: 0\n", "a gravity must be greater than 0"),
        ("severity:\n  effects:\n    deny: lots\n", "should be a number"),
        ("- a list\n", "a scales file is a mapping"),
        ("severity: 3\n", "severity should be a mapping"),
        ("related_domains: [travel]\n", "related_domains should be a list of lists"),
        ("legality:\n  CN:\n    measures: [law]\n", "legality.CN.measures should be a mapping"),
        (
            "legality:\n  FR: {lists: {levels: []}}\n",
            "legality.FR should be a mapping with a basis",
        ),
    ],
)
def test_a_bad_scales_file_is_a_domain_error(tmp_path: Path, text: str, message: str) -> None:
    scales = tmp_path / "scales.yaml"
    scales.write_text(text)
    result = runner.invoke(app, ["audit", *TINY_ARGS, "--scales", str(scales)])
    assert result.exit_code == 1
    assert message in " ".join(result.stderr.split())


def test_comparative_report_of_the_real_packs(tmp_path: Path) -> None:
    out = tmp_path / "comparative.html"
    result = runner.invoke(
        app, ["audit", *COMPARISON, "--as-of", "2026-11-26", "--format", "html", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    page = outline(html)
    assert page.tags.count("svg") == 5
    for pack in ("cn-judgment-defaulters", "us-far-9-4-exclusions", "mdb-cross-debarment"):
        assert pack in html
    # a listing on the SPC's list sets off the consumption bans and the 2016 MOU's measures
    assert "one entry on &#39;dishonest-judgment-debtors&#39; sets off 30 measures" in html


def test_real_conflict_bank_loans_for_a_listed_debtor_graded_a(tmp_path: Path) -> None:
    folder = tmp_path / "witnesses"
    args = ["cn-judgment-defaulters", "cn-joint-sanctions", "cn-tax-credit"]
    args += ["--as-of", "2026-11-26"]
    result = runner.invoke(app, ["audit", *args, "--json", "--witnesses", str(folder)])
    assert result.exit_code == 0, result.output
    conflicts = json.loads(result.stdout)["conflicts"]
    loans = [c for c in conflicts if c["action"] == "obtain_bank_loan"]
    assert [m["effect"] for m in loans[0]["measures"]] == ["deny", "reward"]
    outcomes = pack_service.test_scenarios(sorted(folder.glob("*.yaml")))
    assert outcomes and all(o.passed for o in outcomes)


def test_a_conflict_between_two_audited_packs_counts_once() -> None:
    args = ["cn-judgment-defaulters", "cn-joint-sanctions", "cn-tax-credit", "--json"]
    result = runner.invoke(app, ["audit", *args, "--as-of", "2026-11-26"])
    data = json.loads(result.stdout)
    joint = [f for f in data["findings"] if f["metric"] == "conflicts"]
    assert len(joint) == len(data["conflicts"]) > 0
    # the bank-tax lending reward and (since the major-tax-violation joint measures) a
    # financing limit meet the 2016 MOU's loan ban: two conflicts, both across those packs
    assert [f["pack"] for f in joint if "obtain_bank_loan" in f["item"]] == [
        "cn-joint-sanctions + cn-tax-credit"
    ] * 2
    per_pack = [f for p in data["packs"] for f in p["findings"]]
    own = [f for f in per_pack if f["metric"] != "conflicts"]
    assert len(data["findings"]) == len(own) + len(joint)
    shared = [f for f in per_pack if f["metric"] == "conflicts"]
    assert len(shared) == 2 * len(joint)  # still shown in each involved pack's own list
    assert all("counted once in the totals" in f["text"] for f in shared)


def test_render_report_is_the_entry_point_for_other_interfaces(tmp_path: Path) -> None:
    day = dt.date(2025, 1, 1)
    data = json.loads(render_report(["tiny-base"], "json", day, root=TINY))
    assert data["packs"][0]["pack"] == "tiny-base"
    scales = tmp_path / "scales.yaml"
    scales.write_text("open_ended_years: 20\n")
    html = render_report([str(TINY / "tiny-base")], "html", day, scales)
    assert "scores 20: severity 3 x 20 years" in html and html.count("<svg") == 5
    with pytest.raises(ValueError, match="unknown format"):
        render_report(["tiny-base"], "pdf", day, root=TINY)


@pytest.mark.parametrize("fmt", ["html", "md"])
def test_an_output_path_under_a_file_is_one_line_and_exit_1(tmp_path: Path, fmt: str) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    out = blocker / f"report.{fmt}"
    result = runner.invoke(app, ["audit", *TINY_ARGS, "--format", fmt, "-o", str(out)])
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.stderr.startswith("error: cannot write the report:")
    assert len(result.stderr.strip().splitlines()) == 1
