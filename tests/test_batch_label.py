"""``socialcredit label --engine``: the DuckDB engine reads the store (streamed) and stores the
same entries, ratings and feed events as the reference engine."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select
from typer.testing import CliRunner

from socialcredit.cli.main import app
from socialcredit.store import tables as t
from tests.test_ingest import HEADER, case

runner = CliRunner()
ROWS = [
    case(),
    case(doc="2", ground="refuses_with_ability", decided="2017-06-01"),
    case(
        doc="3",
        ground="obstructs",
        decided="2016-03-01",
        status="performed",
        status_date="2018-03-01",
    ),
    case(doc="4", decided="2013-11-01"),
]


def stored(url: str, run: int) -> dict[str, list[tuple[object, ...]]]:
    engine = create_engine(url)
    e, r, ev = t.list_entries, t.ratings, t.events
    with engine.connect() as db:
        entries = db.execute(
            select(e.c.list_id, e.c.rule_version, e.c.subject_id, e.c.record_id, e.c.starts,
                   e.c.planned_end, e.c.ends, e.c.removed_by, e.c.reason)
            .where(e.c.run_id == run)
        )  # fmt: skip
        ratings = db.execute(select(r.c.rating_id, r.c.subject_id, r.c.grade, r.c.score))
        events = db.execute(select(ev.c.kind, ev.c.subject_id, ev.c.disclosure, ev.c.payload))
        found = {
            "entries": sorted(tuple(x) for x in entries),
            "ratings": sorted(tuple(x) for x in ratings),
            "events": sorted((tuple(x) for x in events), key=repr),
        }
    engine.dispose()
    return found


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_label_engines_store_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, engine: str
) -> None:
    results = {}
    for name in (engine, "python"):
        url = f"sqlite:///{tmp_path / f'{name}-{engine}.db'}"
        monkeypatch.setenv("SOCIALCREDIT_DB", url)
        assert runner.invoke(app, ["init"]).exit_code == 0
        feed = tmp_path / "court.csv"
        feed.write_text("\n".join([HEADER, *ROWS]) + "\n", encoding="utf-8")
        ingested = runner.invoke(app, ["ingest", str(feed), "--agency", "court", "--json"])
        assert ingested.exit_code == 0, ingested.output
        args = ["label", "--as-of", "2018-06-01", "--json", "--engine", name]
        labelled = runner.invoke(app, args)
        assert labelled.exit_code == 0, labelled.output
        summary = json.loads(labelled.stdout)
        assert summary["engine"] == name
        results[name] = (summary["active_entries"], stored(url, summary["run"]))
    assert results[engine] == results["python"]
    assert results["python"][1]["entries"], "the store must have entries to compare"


def test_an_unknown_engine_is_a_usage_error() -> None:
    result = runner.invoke(app, ["label", "--engine", "oracle"])
    assert result.exit_code == 2
