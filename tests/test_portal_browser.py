"""The portal in a real browser (headless Chromium): search, open a subject, follow an
explanation to its legal source, file an objection with a subject key, upload a batch with a
bad row with an agency key; a screenshot of each main page is saved."""

from __future__ import annotations

from typing import Any

from tests.browser import browser, page, screenshot
from tests.portal_site import DEMO_AS_OF, Site, site
from tests.test_ingest import HEADER, case

__all__ = ["browser", "page", "site"]


def fits(page: Any) -> bool:
    """Nothing sticks out sideways (no horizontal scrolling of the page)."""
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def sign_in(page: Any, site: Site, key: str) -> None:
    page.goto(f"{site.url}/signin")
    page.get_by_label("API key").fill(key)
    page.get_by_role("button", name="Sign in").click()


def test_search_open_a_subject_and_follow_an_explanation_to_its_source(
    page: Any, site: Site
) -> None:
    page.goto(site.url)
    screenshot(page, "en-01-home")
    page.get_by_label("Name, USCC or resident ID number").fill(site.listed)
    page.get_by_role("button", name="Search").click()
    page.locator("table.results a").first.click()
    assert page.get_by_role("heading", level=1).inner_text().startswith(site.listed_name)
    page.get_by_label("Show the file as it stood on").fill(DEMO_AS_OF)
    page.get_by_role("button", name="Show", exact=True).click()
    assert f"as of {DEMO_AS_OF}" in page.locator("main").inner_text()
    entry = page.locator("article.card.active").first
    assert "List of Dishonest Judgment Debtors" in entry.inner_text()
    screenshot(page, "en-02-subject")
    entry.locator("a[href*='/sources/']").first.click()
    assert page.get_by_role("heading", name="Rules that rest on this source").is_visible()
    assert "Level" in page.locator("main").inner_text()
    assert fits(page)  # long source addresses and notes wrap
    screenshot(page, "en-03-legal-source")


def test_printable_report_lists_and_dashboard(page: Any, site: Site) -> None:
    page.goto(f"{site.url}/subjects/{site.listed}/report?as_of={DEMO_AS_OF}")
    assert page.get_by_role("button", name="Print this report").is_visible()  # the script ran
    page.emulate_media(media="print")
    hidden = "ns => ns.every(n => getComputedStyle(n).display === 'none')"
    assert page.locator("header.site nav").evaluate_all(hidden)  # menus and language switch
    screenshot(page, "en-04-report-print")
    page.emulate_media(media="screen")
    page.goto(f"{site.url}/lists")
    screenshot(page, "en-05-lists")
    page.get_by_role(
        "link", name="List of Dishonest Judgment Debtors (失信被执行人名单)", exact=True
    ).click()
    assert page.get_by_role("heading", name="Memoranda this list triggers", exact=False).count()
    screenshot(page, "en-06-list")
    page.goto(f"{site.url}/dashboard")
    assert page.locator("figure.chart svg").count() == 4 and fits(page)
    screenshot(page, "en-07-dashboard")


def test_keyboard_reaches_the_skip_link_first(page: Any, site: Site) -> None:
    page.goto(site.url)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_a_subject_files_an_objection(page: Any, site: Site) -> None:
    page.goto(f"{site.url}/me")
    assert "/signin" in page.url  # no key yet: the sign-in page
    sign_in(page, site, site.subject_key)
    assert page.url.split("?")[0].endswith("/me")
    screenshot(page, "en-08-my-file")
    page.get_by_label("Why is this record wrong?").fill("I paid the whole amount in 2019.")
    page.get_by_role("button", name="File the objection").click()
    assert "Your objection was filed" in page.get_by_role("status").inner_text()
    row = page.locator("#objections ~ table tbody tr, section[aria-labelledby=objections] tbody tr")
    assert "I paid the whole amount in 2019." in row.first.inner_text()
    assert "disputed" in page.locator("#records-heading ~ table").inner_text()
    screenshot(page, "en-09-objection-filed")


def test_an_agency_uploads_a_batch_with_a_bad_row(page: Any, site: Site, tmp_path: Any) -> None:
    batch = tmp_path / "court-batch.csv"
    good = case(subject=site.listed, doc="(2025)京01执900号", decided="2025-03-01")
    bad = case(subject="12345", doc="(2025)京01执901号", decided="2025-03-02")
    batch.write_text("\n".join([HEADER, good, bad]) + "\n", encoding="utf-8")
    sign_in(page, site, site.agency_key)
    screenshot(page, "en-10-agency-console")
    page.get_by_label("File (.csv or .jsonl)").set_input_files(str(batch))
    page.get_by_role("button", name="Upload and check").click()
    summary = page.locator("table.upload-summary tbody").inner_text().split()
    assert summary[:2] == ["2", "1"] and summary[-1] == "1"  # 2 rows, 1 accepted, 1 rejected
    rejected = page.locator("table.rejections tbody tr").first.inner_text()
    assert rejected.startswith("2") and "'12345' is not a valid identity number" in rejected
    screenshot(page, "en-11-upload-report")
    page.get_by_role("link", name="Check a decision").first.click()
    page.get_by_label("Subject (USCC or resident ID number)").fill(site.listed)
    page.get_by_label("Action").select_option("buy_flight_ticket")
    page.get_by_label("On (default today)").fill(DEMO_AS_OF)
    page.get_by_role("button", name="Decide").click()
    assert "determining" in page.locator("main").inner_text()
    screenshot(page, "en-12-decision")


def test_pages_read_without_javascript(browser: Any, site: Site) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        plain = context.new_page()
        plain.goto(f"{site.url}/subjects/{site.listed}/report?as_of={DEMO_AS_OF}")
        assert not plain.get_by_role("button", name="Print this report").is_visible()
        assert plain.locator("article.card.active").count() >= 1
        plain.get_by_role("link", name="Back to the subject page").click()
        plain.locator("details.measure summary").first.click()  # folded measures open anyway
        assert plain.locator("details.measure[open] dl").first.is_visible()
    finally:
        context.close()
