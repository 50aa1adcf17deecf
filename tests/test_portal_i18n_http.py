"""The portal's two languages over plain HTTP against a live server: Accept-Language picks
the default, ?lang= switches and a cookie remembers it, <html lang> and Content-Language
follow, Chinese pages show Chinese titles, dates and amounts, errors come in the page's
language, blank dates in the console mean today, and /docs loads nothing from elsewhere."""

from __future__ import annotations

import re

import httpx

from tests.portal_site import DEMO_AS_OF, Site, site
from tests.test_ingest import HEADER, case

__all__ = ["site"]
ZH = {"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.8"}
EN = {"Accept-Language": "en-GB,en;q=0.9"}


def _lang(page: httpx.Response) -> str:
    found = re.search(r'<html lang="([^"]+)"', page.text)
    assert found is not None
    return found.group(1)


def test_the_browser_language_chooses_the_default(site: Site) -> None:
    with site.client() as client:
        chinese = client.get("/", headers=ZH)
        english = client.get("/", headers=EN)
        nothing = client.get("/")
    assert _lang(chinese) == "zh-CN" and chinese.headers["content-language"] == "zh-CN"
    assert "<h1>查询企业或个人</h1>" in chinese.text and "跳到正文" in chinese.text
    assert _lang(english) == "en" and "<h1>Look up a company or a person</h1>" in english.text
    assert _lang(nothing) == "en"
    assert "Accept-Language" in chinese.headers["vary"]


def test_the_switch_is_remembered_over_the_browser_language(site: Site) -> None:
    with site.client() as client:
        switched = client.get("/lists", params={"lang": "en"}, headers=ZH)
        assert _lang(switched) == "en"
        cookie = switched.headers["set-cookie"]
        assert "sc_lang=en" in cookie and "samesite=lax" in cookie.lower()
        assert _lang(client.get("/dashboard", headers=ZH)) == "en"  # the cookie wins
        back = client.get("/dashboard", params={"lang": "zh-CN"}, headers=ZH)
        assert _lang(back) == "zh-CN" and _lang(client.get("/", headers=EN)) == "zh-CN"


def test_every_page_links_to_itself_in_the_other_language(site: Site) -> None:
    with site.client() as client:
        page = client.get("/lists/dishonest-judgment-debtors", params={"lang": "zh"})
    nav = re.search(r'<nav aria-label="语言" class="languages">.*?</nav>', page.text, re.S)
    assert nav is not None
    assert 'href="/lists/dishonest-judgment-debtors?lang=en"' in nav.group(0)
    assert '<strong aria-current="true">中文</strong>' in nav.group(0)


def test_chinese_pages_show_chinese_titles_dates_and_codes_in_words(site: Site) -> None:
    with site.client() as client:
        listed = client.get(f"/subjects/{site.listed}", params={"as_of": DEMO_AS_OF}, headers=ZH)
        lists = client.get("/lists", headers=ZH)
        one = client.get("/lists/dishonest-judgment-debtors", headers=ZH)
    text = listed.text
    assert "截至<strong>2025年12月31日</strong>的信用档案" in text
    assert '失信被执行人名单 <span class="tag">有效</span>' in text
    assert "List of Dishonest Judgment Debtors" not in text.split("<main")[1].split('lang="en"')[0]
    assert re.search(r"应履行金额: ¥[\d,]+\.\d\d", text), "amounts in yuan, Chinese format"
    assert not re.search(r"\b(breaches_restriction|refuses_with_ability|buy_flight_ticket)\b", text)
    assert ">失信被执行人名单</a>" in lists.text
    assert "<h1>失信被执行人名单</h1>" in one.text and "本名单触发的合作备忘录" in one.text


def test_english_pages_keep_the_full_title_and_put_codes_in_words(site: Site) -> None:
    with site.client() as client:
        listed = client.get(f"/subjects/{site.listed}", params={"as_of": DEMO_AS_OF}, headers=EN)
    assert "List of Dishonest Judgment Debtors (失信被执行人名单)" in listed.text
    assert f"as of <strong>{DEMO_AS_OF}</strong>" in listed.text
    assert not re.search(r"\b(breaches_restriction|refuses_with_ability|obstructs)\b", listed.text)


def test_errors_come_in_the_page_language_and_stay_escaped(site: Site) -> None:
    with site.client() as client:
        missing = client.get("/no-such-page", headers=ZH)
        evil = client.get("/lists/<script>alert(1)</script>", headers=ZH)
    assert missing.status_code == 404 and "<h1>页面不存在</h1>" in missing.text
    assert "此地址没有页面" in missing.text
    assert evil.status_code == 404 and "<script>alert" not in evil.text


def test_the_search_count_links_to_the_page_of_its_own_date(site: Site) -> None:
    with site.client() as client:
        found = client.get("/", params={"q": site.listed}, headers=ZH)
        table = re.search(r'<table class="results">.*?</table>', found.text, re.S)
        assert table is not None
        day = re.search(r"<th scope=\"col\">(\d{4}年\d+月\d+日)在列名单数</th>", table.group(0))
        assert day is not None, "the count says on which day it counts"
        link = re.search(
            r'<a href="(/subjects/[^"]+\?as_of=([\d-]+))" class="count">(\d+)', table.group(0)
        )
        assert link is not None
        page = client.get(link.group(1), headers=ZH)
    assert f"{link.group(2)[:4]}年" in day.group(1)
    shown = re.search(r"在列名单（(\d+)）", page.text)
    assert shown is not None and shown.group(1) == link.group(3)


def test_console_dates_left_blank_mean_today(site: Site) -> None:
    with site.client() as client:
        site.sign_in(client, site.agency_key)
        decide = client.get(
            "/agency/decide",
            params={
                "subject": site.listed,
                "action": "buy_flight_ticket",
                "as_of": "",
                "purpose": "",
            },
            headers=ZH,
        )
        entries = client.get(
            "/agency/entries",
            params={"list": "dishonest-judgment-debtors", "as_of": "", "active": "true"},
        )
        public = client.get(f"/subjects/{site.listed}", params={"as_of": " "})
        wrong = client.get(
            "/agency/entries", params={"list": "dishonest-judgment-debtors", "as_of": "31/12/2025"}
        )
    assert decide.status_code == 200 and "可否于" in decide.text
    assert (
        entries.status_code == 200
        and "entries of List of Dishonest Judgment Debtors (失信被执行人名单) on" in entries.text
    )
    assert public.status_code == 200
    assert wrong.status_code == 422  # a date that is there must still be a date


def test_swagger_ui_is_served_from_the_package(site: Site) -> None:
    with site.client() as client:
        docs = client.get("/docs")
        redoc = client.get("/redoc")
        script = client.get("/docs/assets/swagger-ui-bundle.js")
        styles = client.get("/docs/assets/swagger-ui.css")
    assert docs.status_code == 200 and "/docs/assets/swagger-ui-bundle.js" in docs.text
    assert redoc.status_code == 200 and "/docs/assets/redoc.standalone.js" in redoc.text
    for page in (docs, redoc):
        assert not re.search(r'(src|href)="https?://', page.text), "nothing from a CDN"
        assert "fonts.googleapis" not in page.text
    assert script.status_code == 200 and "SwaggerUIBundle" in script.text[:2000]
    assert styles.status_code == 200 and styles.headers["content-type"].startswith("text/css")


def test_the_switch_on_a_form_answer_goes_back_to_the_form(site: Site) -> None:
    with site.client() as client:
        console = site.sign_in(client, site.agency_key)
        csrf = re.search(r'name="csrf" value="([^"]+)"', console.text)
        assert csrf is not None
        batch = (
            f"{HEADER}\n{case(subject='12345', doc='(2025)京01执950号', decided='2025-03-02')}\n"
        )
        answer = client.post(
            "/agency/upload",
            data={"csrf": csrf.group(1)},
            files={"batch": ("batch.csv", batch.encode(), "text/csv")},
            headers={**ZH, "Referer": f"{site.url}/agency"},
        )
    assert answer.status_code == 200 and "上传报告" in answer.text
    assert 'href="/agency?lang=en"' in answer.text  # not the upload address, which is POST only
