"""The portal in Simplified Chinese in a real browser (headless Chromium set to zh-CN): the
browser's language chooses Chinese, a reader searches, opens a listed person, reads why he
is still listed after performing, follows the language switch to English and back; the
subject files an objection and the agency checks a decision with the date left blank;
Swagger UI renders offline. A screenshot of each page is saved (zh-NN-...)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import text

from socialcredit.services.access.keys import create_key
from tests.browser import browser, page, screenshot, zh_page
from tests.portal_site import DEMO_AS_OF, Site, site
from tests.test_portal_browser import fits

__all__ = ["browser", "page", "site", "zh_page"]


PERFORMED = text(
    "SELECT e.subject_id FROM list_entries e JOIN subjects s ON s.id = e.subject_id "
    "JOIN record_status rs ON rs.record_id = e.record_id "
    "WHERE e.list_id = 'dishonest-judgment-debtors' AND s.kind = 'person' "
    "AND rs.status = 'performed' AND rs.date <= :day "
    "AND e.starts <= :day AND e.planned_end > :day ORDER BY s.id LIMIT 1"
)
UNLISTED_DEBTOR = text(
    "SELECT s.id, s.name FROM records r JOIN subjects s ON s.id = r.subject_id "
    "WHERE r.category = 'court.enforcement_case' AND s.kind = 'person' "
    "AND s.id NOT IN (SELECT e.subject_id FROM list_entries e "
    "WHERE e.list_id = 'dishonest-judgment-debtors' AND e.starts <= :day "
    "AND (e.ends IS NULL OR e.ends > :day)) ORDER BY s.id LIMIT 1"
)


def _day() -> dt.date:
    return dt.date.fromisoformat(DEMO_AS_OF)


def performed_yet_listed(site: Site) -> str:
    """A person on the dishonest debtor list for a fixed period who has performed."""
    with site.engine.connect() as db:
        return str(db.execute(PERFORMED, {"day": _day()}).scalar_one())


def unlisted_debtor_key(site: Site) -> str:
    """The key of a judgment debtor no other portal test signs in as (not listed today)."""
    with site.engine.connect() as db:
        row = db.execute(UNLISTED_DEBTOR, {"day": _day()}).one()
    return create_key(site.engine, "subject", str(row.name), subject=str(row.id))


def lang(page: Any) -> str:
    return str(page.evaluate("document.documentElement.lang"))


def sign_in(page: Any, site: Site, key: str) -> None:
    page.goto(f"{site.url}/signin")
    page.get_by_label("API密钥").fill(key)
    page.get_by_role("button", name="登录").click()


def test_search_a_listed_person_in_chinese_and_switch_language(zh_page: Any, site: Site) -> None:
    page = zh_page
    page.goto(site.url)
    assert lang(page) == "zh-CN"
    assert page.get_by_role("heading", level=1).inner_text() == "查询企业或个人"
    page.get_by_label("名称、统一社会信用代码或居民身份证号码").fill(site.listed)
    page.get_by_role("button", name="查询").click()
    assert "在列名单数" in page.locator("table.results thead").inner_text()
    screenshot(page, "zh-01-search")
    page.locator("table.results a").first.click()
    assert page.get_by_role("heading", level=1).inner_text().startswith(site.listed_name)
    page.get_by_label("查看档案在此日期的状态").fill(DEMO_AS_OF)
    page.get_by_role("button", name="查看", exact=True).click()
    main = page.locator("main").inner_text()
    assert "截至2025年12月31日的信用档案" in main
    entry = page.locator("article.card.active").first
    assert entry.locator("h3").inner_text().startswith("失信被执行人名单")
    assert "列入日期" in entry.inner_text() and fits(page)
    screenshot(page, "zh-02-subject")
    page.get_by_role("navigation", name="语言").get_by_role("link", name="English").click()
    assert lang(page) == "en" and "as of 2025-12-31" in page.locator("main").inner_text()
    page.goto(site.url)  # the choice is remembered over the browser's Chinese
    assert page.get_by_role("heading", level=1).inner_text() == "Look up a company or a person"
    page.get_by_role("link", name="中文").click()
    assert lang(page) == "zh-CN"


def test_performed_yet_still_listed_is_explained(zh_page: Any, site: Site) -> None:
    page = zh_page
    performed = performed_yet_listed(site)
    page.goto(f"{site.url}/subjects/{performed}?as_of={DEMO_AS_OF}")
    note = page.locator(".still-listed").first
    assert "已履行，但仍在名单中" in note.inner_text()
    assert "第十条第二款" in note.inner_text() and "提前删除" in note.inner_text()
    note.scroll_into_view_if_needed()
    screenshot(page, "zh-03-performed-still-listed")
    page.goto(f"{site.url}/subjects/{performed}?as_of={DEMO_AS_OF}&lang=en")
    assert "Performed, yet still listed." in page.locator(".still-listed").first.inner_text()


def test_lists_report_and_dashboard_in_chinese(zh_page: Any, site: Site) -> None:
    page = zh_page
    page.goto(f"{site.url}/lists")
    screenshot(page, "zh-04-lists")
    page.get_by_role("link", name="失信被执行人名单", exact=True).first.click()
    assert page.get_by_role("heading", level=1).inner_text() == "失信被执行人名单"
    assert page.get_by_role("heading", name="本名单触发的合作备忘录", exact=False).count()
    screenshot(page, "zh-05-list")
    page.goto(f"{site.url}/subjects/{site.listed}/report?as_of={DEMO_AS_OF}")
    assert page.get_by_role("button", name="打印本报告").is_visible()
    page.emulate_media(media="print")
    screenshot(page, "zh-06-report-print")
    page.emulate_media(media="screen")
    page.goto(f"{site.url}/dashboard")
    assert page.locator("figure.chart svg").count() == 4 and fits(page)
    assert "按实施单位" in page.locator("main").inner_text()
    screenshot(page, "zh-07-dashboard")


def test_a_subject_objects_in_chinese(zh_page: Any, site: Site) -> None:
    page = zh_page
    sign_in(page, site, unlisted_debtor_key(site))
    assert page.get_by_role("heading", level=1).inner_text().startswith("我的信用档案")
    page.get_by_label("该记录有何错误？").fill("该案款项已于2019年全部履行。")
    page.get_by_role("button", name="提交异议").click()
    assert "您的异议已提交" in page.get_by_role("status").inner_text()
    assert "异议中" in page.locator("#records-heading ~ table").inner_text()
    screenshot(page, "zh-08-objection-filed")


def test_an_agency_decides_in_chinese_with_the_date_left_blank(zh_page: Any, site: Site) -> None:
    page = zh_page
    sign_in(page, site, site.agency_key)
    assert page.get_by_role("heading", level=1).inner_text().startswith("机构工作台")
    screenshot(page, "zh-09-agency-console")
    page.get_by_label("主体（统一社会信用代码或居民身份证号码）").first.fill(site.listed)
    page.get_by_label("行为").first.select_option("buy_flight_ticket")
    page.get_by_role("button", name="查询", exact=True).first.click()  # date left blank
    assert "/agency/decide" in page.url and page.get_by_role("heading", level=1).count()
    assert "可否于" in page.locator("#answer-h").inner_text()
    page.get_by_label("日期（默认为今天）").fill(DEMO_AS_OF)
    page.get_by_role("button", name="查询", exact=True).first.click()
    answer = page.locator("main").inner_text()
    assert "乘坐飞机" in answer and "决定性" in answer and "禁止" in answer
    screenshot(page, "zh-10-decision")
    page.get_by_role("link", name="名单条目").first.click()
    page.get_by_role("button", name="显示条目").click()  # the date left blank again
    assert "共" in page.get_by_role("heading", level=2).first.inner_text()


def test_swagger_ui_renders_offline(page: Any, site: Site) -> None:
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(f"{site.url}/docs")
    page.locator(".swagger-ui .info .title").wait_for(timeout=60_000)  # a 1.5 MB script
    assert "socialcredit" in page.locator(".swagger-ui .info .title").inner_text()
    assert page.locator(".opblock").count() > 10
    assert requested and all(url.startswith(site.url) for url in requested), requested
    screenshot(page, "en-13-api-docs")
