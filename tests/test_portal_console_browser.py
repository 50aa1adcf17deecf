"""The agency console's newer pages in a real browser (headless Chromium): an upload read
through a shipped mapping (a GBK file with Chinese headers and full-width digits), bulk
screening of counterparties with the reasons of every match and its downloads, and the
linkage review queue, in English and in Simplified Chinese (issue 14, items 2 and 3)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from sqlalchemy import text

from socialcredit.core.access import Principal
from socialcredit.linkage.model import Candidate
from socialcredit.services.linkage.review import queue
from socialcredit.store.audit_log import entries as audit_entries
from tests.browser import browser, page, screenshot, zh_page
from tests.portal_site import Site, site
from tests.test_mappings import HEADER, court_row
from tests.test_portal_browser import fits, sign_in

__all__ = ["browser", "page", "site", "zh_page"]

CLERK = Principal("c", "agency", "court clerk", agency="court")
TAX_CLERK = Principal("t", "agency", "tax clerk", agency="tax")


def zh_sign_in(page: Any, site: Site, key: str) -> None:
    page.goto(f"{site.url}/signin")
    page.locator("#key").fill(key)
    page.locator("form button[type=submit]").first.click()


def test_an_agency_uploads_its_own_gbk_layout_through_a_mapping(
    page: Any, site: Site, tmp_path: Path
) -> None:
    rows = [
        court_row(
            1,
            name=site.listed_name,
            subject=site.listed,
            doc="（２０２５）京01执９１１号",
            decided="2025年3月1日",
        ),
        court_row(2, subject="12345", doc="（2025）京01执912号"),
    ]
    path = tmp_path / "法院导出.csv"
    path.write_bytes(("\r\n".join(",".join(r) for r in [HEADER, *rows]) + "\r\n").encode("gbk"))
    sign_in(page, site, site.agency_key)
    page.get_by_label("File (.csv or .jsonl)").set_input_files(str(path))
    page.get_by_label("Layout of the file").select_option("court-enforcement-zh")
    page.get_by_role("button", name="Upload and check").click()
    summary = page.locator("table.upload-summary tbody").inner_text().split()
    assert summary[:2] == ["2", "1"] and summary[-1] == "1"
    reading = page.locator("section.reading").inner_text()
    assert "Encoding: gb18030 (detected" in reading and "court-enforcement-zh" in reading
    assert "案号: 2" in reading  # full-width brackets and digits in the case numbers
    assert "/work" not in reading and "mappings/court-enforcement-zh.yaml" in reading
    screenshot(page, "en-20-agency-upload-mapped")


def counterparties(tmp_path: Path, site: Site) -> Path:
    path = tmp_path / "suppliers.csv"
    path.write_text(
        "name,identifier,region,role\n"
        f"{site.listed_name},{site.listed},,supplier\n"
        "清白贸易有限公司,,北京,buyer\n",
        encoding="utf-8",
    )
    return path


def test_a_compliance_officer_screens_counterparties_and_downloads_the_results(
    page: Any, site: Site, tmp_path: Path
) -> None:
    sign_in(page, site, site.agency_key)
    page.get_by_role("link", name="Screening").first.click()
    page.get_by_label("Counterparties (.csv, .xlsx or .jsonl)").set_input_files(
        str(counterparties(tmp_path, site))
    )
    page.get_by_label("Action to decide for every match").select_option("buy_flight_ticket")
    page.get_by_label("Purpose").fill("supplier due diligence")
    page.get_by_role("button", name="Screen", exact=True).click()
    listed = page.locator("#row-1").inner_text()
    assert "listed" in listed and "matched by identity number" in listed
    why = page.locator("#row-1 ul.why").inner_text()  # the reasons, never a bare score
    assert f"identifier {site.listed} equals the listed subject's" in why
    assert "buy a flight ticket: denied — no-flights" in listed
    assert "no-flights, no-flights" not in listed  # one measure, listed once
    assert "no match" in page.locator("#row-2").inner_text()
    assert fits(page)
    screenshot(page, "en-21-agency-screening")
    with page.expect_download() as csv_download:
        page.get_by_role("link", name="CSV").click()
    data = Path(csv_download.value.path()).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # opens right in Excel on Chinese Windows
    table = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert table[0]["status"] == "listed" and table[0]["effect"] == "deny"
    with page.expect_download() as json_download:
        page.get_by_role("link", name="JSON").click()
    found = json.loads(Path(json_download.value.path()).read_text(encoding="utf-8"))
    assert found["counts"] == {"listed": 1, "no_match": 1}
    with site.engine.connect() as db:
        logged = [e for e in audit_entries(db, pending=True) if e["action"] == "screening.match"]
    assert site.listed in [e["subject"] for e in logged]


def test_screening_in_chinese(zh_page: Any, site: Site, tmp_path: Path) -> None:
    page = zh_page
    zh_sign_in(page, site, site.agency_key)
    page.goto(f"{site.url}/agency/screening")
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    page.locator("#s-file").set_input_files(str(counterparties(tmp_path, site)))
    page.get_by_role("button", name="筛查", exact=True).click()
    row = page.locator("#row-1").inner_text()
    assert "在列" in row and "匹配方式：证件号码" in row
    assert "未匹配" in page.locator("#row-2").inner_text()
    screenshot(page, "zh-21-agency-screening")


def test_a_clerk_reviews_the_linkage_queue_in_chinese(zh_page: Any, site: Site) -> None:
    with site.engine.connect() as db:
        other = db.execute(
            text("SELECT id FROM subjects WHERE kind = 'person' AND id <> :me ORDER BY id"),
            {"me": site.listed},
        ).first()
    assert other is not None
    record = {"key": "old-court-77", "name": site.listed_name, "id": None, "region": "北京"}
    both = [
        Candidate("old-court-77", site.listed, 0.97, {"name": "same", "birth_year": "same"}),
        Candidate("old-court-77", other.id, 0.91, {"name": "one character apart"}),
    ]
    assert queue(site.engine, CLERK, [record], both) == 2
    taxes = {**record, "key": "tax-bureau-9"}
    theirs = [Candidate("tax-bureau-9", site.listed, 0.99, {"name": "same"})]
    assert queue(site.engine, TAX_CLERK, [taxes], theirs) == 1  # another agency's: not shown
    page = zh_page
    zh_sign_in(page, site, site.agency_key)
    page.goto(f"{site.url}/agency/linkage")
    first = page.locator("article.candidate").first
    assert site.listed in first.inner_text() and "0.970" in first.inner_text()
    assert "tax-bureau-9" not in page.locator("main").inner_text()
    screenshot(page, "zh-22-agency-linkage")
    first.locator("textarea").fill("姓名、出生年份与地区一致")
    first.get_by_role("button", name="接受").click()
    assert "已接受" in page.locator("p[role=status]").inner_text()
    assert page.locator("article.candidate").count() == 0  # the other one rejected with it
    with site.engine.connect() as db:
        actions = [(e["action"], e["subject"]) for e in audit_entries(db, pending=True)]
    assert ("linkage.accept", site.listed) in actions
    assert ("linkage.reject", other.id) in actions
