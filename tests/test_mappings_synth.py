"""The synthetic nation's feeds in the agencies' own layouts (a GBK CSV, a workbook): read
through the shipped mappings they are the same records as the feeds in our layout."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine

from socialcredit.core.pack.model import Rulebook
from socialcredit.io.mappings import load_mapping
from socialcredit.services.records.ingest import ingest_file
from socialcredit.synth.nation import generate_nation
from socialcredit.synth.own_layouts import write_own_layouts


def test_own_layouts_ingest_to_the_same_records_as_our_layout(
    tmp_path: Path, store: Engine, book: Rulebook
) -> None:
    feeds = tmp_path / "feeds"
    generate_nation(feeds, persons=400, orgs=80, seed=3)
    registration = ingest_file(store, book, feeds / "samr-registration.csv", "samr")
    assert registration.count("accepted") > 0
    items = write_own_layouts(feeds)
    assert [i["file"] for i in items] == ["court-enforcement-gbk.csv", "samr-penalties.xlsx"]
    with pytest.raises(UnicodeDecodeError):
        (feeds / "court-enforcement-gbk.csv").read_text(encoding="utf-8")
    for item in items:
        mapping = load_mapping(Path(item["mapping"]))
        own = ingest_file(store, book, feeds / item["file"], item["agency"], mapping=mapping)
        assert own.count("accepted") > 0, own.as_dict()
        ours = ingest_file(store, book, feeds / item["replaces"], item["agency"]).as_dict()
        # every valid row of our layout was already stored, unchanged, from the agency's own
        assert ours["accepted"] == ours["corrected"] == ours["updated"] == 0, ours
        assert ours["duplicate"] == own.count("accepted") + own.count("updated")
        assert ours["rejected"] == own.count("rejected")
    court = items[0]
    report = ingest_file(
        store, book, feeds / court["file"], "court", mapping=load_mapping(Path(court["mapping"]))
    )
    assert report.already_loaded
