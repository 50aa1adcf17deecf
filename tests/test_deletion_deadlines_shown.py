"""Deletion deadlines reach the credit file, the API, the report, the portal and the feed, and
late deletions are counted from the store (issue 15 item 7). A debtor able to pay who refused
is listed under SPC 2017 Art. 1; performance removes him (Art. 10(1)), and the court must delete
the entry within 3 working days: performed on Tuesday 29 September 2026, due Friday 9 October
(1 to 7 October is the National Day break). Deadlines past the official calendar's last year,
marked approximate, are tested in test_workdays.py: a record may not name a day after today,
so no such removal can be ingested yet."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from socialcredit.cli.main import app as cli
from socialcredit.core.access import Principal, mask_id
from socialcredit.core.pack.model import Rulebook
from socialcredit.services.context import Context
from socialcredit.services.labelling.run import label
from socialcredit.services.lists.deletions import late_deletions
from tests.api_server import LiveApi, serve
from tests.conftest import RIC
from tests.test_api import submit
from tests.test_ingest import case

OTHER = "110105198001010104"
LATER = "2027-02-01"
AUDITOR = Principal("test", "auditor", "test auditor")


@pytest.fixture
def api(store: Engine, book: Rulebook) -> Iterator[LiveApi]:
    yield from serve(store, book)


def refused(subject: str, doc: str, performed: str = "") -> str:
    return case(
        subject=subject,
        doc=doc,
        ground="refuses_with_ability",
        decided="2026-03-10",
        status="performed" if performed else "",
        status_date=performed,
    )


def get(api: LiveApi, role: str, path: str, **params: Any) -> dict[str, Any]:
    with api.client(role) as client:
        response = client.get(path, params=params)
    assert response.status_code == 200, response.text
    return dict(response.json())


def test_the_file_and_the_report_carry_the_deadline(api: LiveApi) -> None:
    assert submit(api, refused(RIC, "(2026)京01执1号", "2026-09-29"))["status"] == 200
    own = get(api, "subject", f"/v1/subjects/{RIC}", as_of=LATER)
    (entry,) = own["entries"]
    deletion = entry["deletion"]
    assert {k: deletion[k] for k in ("removed_on", "removed_by", "delete_by", "exact")} == {
        "removed_on": "2026-09-29",
        "removed_by": "performed",
        "delete_by": "2026-10-09",
        "exact": True,
    }
    assert deletion["working_days"] == 3
    assert deletion["legal_basis"]["source"] == "spc-2017"
    assert "10(1)" in deletion["legal_basis"]["provision"]
    report = get(api, "subject", f"/v1/subjects/{RIC}/report", as_of=LATER)
    words = report["list_entries"][0]["in_plain_words"]
    assert "Must be deleted by 2026-10-09: 3 working days after the removal (performed" in words


def test_an_entry_still_in_force_or_ended_by_its_period_has_no_deadline(api: LiveApi) -> None:
    submit(api, refused(RIC, "(2026)京01执1号"))
    submit(api, case(subject=OTHER, doc="(2020)京01执3号", decided="2020-01-10"))  # 2 years
    (listed,) = get(api, "subject", f"/v1/subjects/{RIC}", as_of=LATER)["entries"]
    (expired,) = get(api, "agency", f"/v1/subjects/{OTHER}", as_of=LATER)["entries"]
    assert listed["active"] and listed["deletion"] is None
    assert not expired["active"] and expired["deletion"] is None


def _own_page(api: LiveApi, lang: str) -> str:
    with api.client() as client:
        client.follow_redirects = True
        form = client.get("/signin")
        token = re.search(r'name="token" value="([^"]+)"', form.text)
        assert token is not None
        client.post("/signin", data={"key": api.keys["subject"], "token": token.group(1)})
        page = client.get("/me", params={"as_of": LATER, "lang": lang})
    assert page.status_code == 200, page.text
    return page.text


def test_the_subjects_own_page_shows_the_deadline_in_english_and_chinese(api: LiveApi) -> None:
    submit(api, refused(RIC, "(2026)京01执1号", "2026-09-29"))
    english = _own_page(api, "en")
    assert (
        "must be deleted by" in english
        and "3 working days after the removal on 2026-09-29: performed" in english
    )
    assert "Must be deleted by 2026-10-09" in english  # the report's plain words
    chinese = _own_page(api, "zh")
    assert "应于2026年10月9日前删除" in chinese and "3个工作日" in chinese


def _feed_deletions(api: LiveApi) -> dict[str, dict[str, Any]]:
    events = get(api, "auditor", "/v1/feed", limit=1000)["events"]
    return {
        e["subject"]: e["payload"]["deletion"]
        for e in events
        if e["kind"] == "entry.removed" and "deletion" in e["payload"]
    }


def label_three_runs(api: LiveApi, book: Rulebook, engine: str = "python") -> None:
    """Both listed; RIC's performance taken down on its due day, OTHER's three days late."""
    submit(api, refused(RIC, "(2026)京01执1号"), refused(OTHER, "(2026)京01执2号"))
    label(api.engine, book, dt.date(2026, 6, 1), engine=engine)
    submit(api, refused(RIC, "(2026)京01执1号", "2026-09-29"))
    label(api.engine, book, dt.date(2026, 10, 9), engine=engine)
    submit(api, refused(OTHER, "(2026)京01执2号", "2026-09-29"))
    label(api.engine, book, dt.date(2026, 10, 12), engine=engine)


def test_the_feed_carries_the_deadline_and_the_day_of_the_take_down(
    api: LiveApi, book: Rulebook
) -> None:
    label_three_runs(api, book)
    found = _feed_deletions(api)
    assert {s: (d["delete_by"], d["taken_down_on"]) for s, d in found.items()} == {
        RIC: ("2026-10-09", "2026-10-09"),
        OTHER: ("2026-10-09", "2026-10-12"),
    }
    assert found[RIC]["exact"] and found[RIC]["working_days"] == 3
    assert found[RIC]["legal_basis"]["source"] == "spc-2017"


def test_a_take_down_after_the_deadline_is_late_and_one_on_the_due_day_is_not(
    api: LiveApi, book: Rulebook
) -> None:
    label_three_runs(api, book)
    ctx = Context(api.engine, book)
    count = late_deletions(ctx, AUDITOR, dt.date(2026, 12, 1))
    assert count["total"] == 2 and count["late_or_overdue"] == 1
    assert count["by_state"] == {"late": 1, "on_time": 1}
    (worst,) = count["worst"]
    assert (worst["subject"], worst["delete_by"], worst["days_late"]) == (OTHER, "2026-10-09", 3)
    # the day after the deadline, the second entry was still up: overdue, not yet late
    on_the_next_day = late_deletions(ctx, AUDITOR, dt.date(2026, 10, 10))
    assert on_the_next_day["by_state"] == {"on_time": 1, "overdue": 1}
    # the public reads the count too (court records are public), identity numbers masked
    public = late_deletions(ctx, Principal("p", "public", "public"), dt.date(2026, 12, 1))
    assert public["by_state"] == count["by_state"]
    assert public["worst"][0]["subject"] == mask_id(OTHER) != OTHER


def test_the_command_line_counts_late_deletions(api: LiveApi, book: Rulebook) -> None:
    label_three_runs(api, book)
    url = api.engine.url.render_as_string(hide_password=False)
    result = CliRunner().invoke(cli, ["deletions", "--db", url, "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["by_state"] == {"late": 1, "on_time": 1}
    text = CliRunner().invoke(cli, ["deletions", "--db", url]).output
    assert "2 deletion(s)" in text and "1 on time, 1 late" in text and "3 day(s) late" in text


def test_the_compiled_engine_writes_the_same_deadline_into_the_feed(
    api: LiveApi, book: Rulebook
) -> None:
    label_three_runs(api, book, engine="duckdb")
    found = _feed_deletions(api)
    assert {s: (d["delete_by"], d["taken_down_on"], d["exact"]) for s, d in found.items()} == {
        RIC: ("2026-10-09", "2026-10-09", True),
        OTHER: ("2026-10-09", "2026-10-12", True),
    }


def test_the_dashboard_counts_late_deletions(api: LiveApi, book: Rulebook) -> None:
    label_three_runs(api, book)
    with api.client() as client:
        page = client.get("/dashboard").text
        chinese = client.get("/dashboard", params={"lang": "zh"}).text
    section = page.split('id="deletions-h"')[1]
    assert "taken down by a label run up to 2026-10-12: 2, of which 1 after the deadline" in (
        section
    )
    assert "截至2026年10月12日已由标注运行撤下的条目：2条，其中逾期删除1条" in chinese


def test_the_report_command_prints_the_deadline(api: LiveApi) -> None:
    submit(api, refused(RIC, "(2026)京01执1号", "2026-09-29"))
    url = api.engine.url.render_as_string(hide_password=False)
    result = CliRunner().invoke(cli, ["report", RIC, "--as-of", LATER, "--db", url])
    assert result.exit_code == 0, result.output
    assert "must be deleted by 2026-10-09, 3 working days after the removal on " in (
        " ".join(result.output.split())
    )


def test_an_entry_still_up_past_its_deadline_is_overdue(api: LiveApi, book: Rulebook) -> None:
    submit(api, refused(RIC, "(2026)京01执1号"), refused(OTHER, "(2026)京01执2号"))
    label(api.engine, book, dt.date(2026, 6, 1))
    submit(api, refused(OTHER, "(2026)京01执2号", "2026-09-29"))  # no run since
    ctx = Context(api.engine, book)
    assert late_deletions(ctx, AUDITOR, dt.date(2026, 10, 9))["by_state"] == {"pending": 1}
    overdue = late_deletions(ctx, AUDITOR, dt.date(2026, 10, 12))
    assert overdue["by_state"] == {"overdue": 1} and overdue["late_or_overdue"] == 1
    assert [(r["subject"], r["days_late"]) for r in overdue["worst"]] == [(OTHER, 3)]
    # the run's own date: the run is the answer, and it had nothing to take down
    assert late_deletions(ctx, AUDITOR, dt.date(2026, 6, 1))["total"] == 0
