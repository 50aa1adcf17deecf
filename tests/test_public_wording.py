"""Plain public wording (issue 14, item 5): a pack carries, apart from its research notes, a
public wording of each listing reason in Chinese and English (``public: {zh, en, terms}``);
decisions and public pages show it instead of notes and raw codes, and a decision lists each
measure once with all its sources."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

import httpx
import pytest
from pydantic import ValidationError
from sqlalchemy import Engine

from socialcredit.core.pack.model import Rulebook
from socialcredit.core.pack.wording import PublicWording
from socialcredit.services.labelling.run import label
from socialcredit.web.i18n import HTML_LANG
from tests.api_server import LiveApi, serve
from tests.conftest import RIC
from tests.test_api import submit
from tests.test_ingest import case

EVADES_ZH = "以虚假诉讼、虚假仲裁或者以隐匿、转移财产等方法规避执行"
EVADES_EN = "evaded enforcement by a sham lawsuit or arbitration"
ZH = {"Accept-Language": "zh-CN,zh;q=0.9"}


@pytest.fixture
def api(store: Engine, book: Rulebook) -> Iterator[LiveApi]:
    yield from serve(store, book)


def test_wording_fills_placeholders_with_words_for_codes() -> None:
    wording = PublicWording.model_validate(
        {
            "zh": "案件{case.doc_no}：被执行人{case.ground}。",
            "en": "Case {case.doc_no}: the debtor {case.ground}.",
            "terms": {"ground": {"evades": {"zh": "规避执行", "en": "evaded enforcement"}}},
        }
    )
    filled = wording.filled({"case": {"doc_no": "(2018)1", "ground": "evades"}})
    assert filled == {
        "zh": "案件(2018)1：被执行人规避执行。",
        "en": "Case (2018)1: the debtor evaded enforcement.",
    }
    unknown = wording.filled({"case": {"ground": "obstructs"}})
    assert unknown["en"] == "Case ?: the debtor obstructs."  # no words given: the code
    with pytest.raises(ValidationError, match="same placeholders"):
        PublicWording.model_validate({"zh": "{case.ground}", "en": "no placeholder"})
    with pytest.raises(ValidationError):
        PublicWording.model_validate({"en": "English only"})  # both languages are required


def test_the_spc_list_carries_public_wording_for_every_version(book: Rulebook) -> None:
    for rule in book.lists["dishonest-judgment-debtors"]:
        wording = rule.version.public
        assert wording is not None, rule.version.in_force
        assert set(wording.terms["ground"]) >= {"evades", "obstructs", "breaches_restriction"}
        assert "scs-facts" not in wording.en and "[M]" not in wording.en


def test_a_decision_gives_public_wording_and_each_measure_once(
    api: LiveApi, book: Rulebook
) -> None:
    submit(api, case(ground="evades"))
    label(api.engine, book, dt.date(2018, 6, 1))
    request = {"subject": RIC, "action": "buy_flight_ticket", "as_of": "2018-06-01"}
    with api.client("agency") as client:
        decision = client.post("/v1/decisions", json=request).json()
    measures = [r["measure"] for r in decision["reasons"]]
    assert decision["effect"] == "deny" and len(measures) == len(set(measures))
    [flights] = [r for r in decision["reasons"] if r["measure"] == "no-flights"]
    memoranda = {s["memorandum"]["id"] for s in flights["sources"]}
    assert len(memoranda) >= 2, memoranda  # one reason line naming every memorandum
    public = flights["trigger"]["public"]
    assert EVADES_ZH in public["zh"] and "(2018)京01执1号" in public["zh"]
    assert EVADES_EN in public["en"] and "evades" not in public["en"]
    for source in flights["sources"]:
        assert source["trigger"]["records"][0]["doc_no"] == "(2018)京01执1号"


def test_public_pages_show_the_public_wording_not_the_codes(api: LiveApi, book: Rulebook) -> None:
    submit(api, case(ground="evades"))
    label(api.engine, book, dt.date(2018, 6, 1))
    with httpx.Client(base_url=api.url, timeout=30, follow_redirects=True) as client:
        chinese = client.get(f"/subjects/{RIC}", params={"as_of": "2018-06-01"}, headers=ZH)
        english = client.get(f"/subjects/{RIC}", params={"as_of": "2018-06-01"})
    assert f'lang="{HTML_LANG["zh_CN"]}"' in chinese.text
    assert EVADES_ZH in chinese.text and "court found: evades" not in chinese.text
    assert EVADES_EN in english.text and "court found: evades" not in english.text
    shown = re.sub(r'title="[^"]*"', "", english.text)  # a research note stays a tooltip
    assert "scs-facts.md" not in shown and "no article number in the facts file" not in shown


def test_performed_yet_listed_and_how_to_get_off_come_from_the_pack(
    api: LiveApi, book: Rulebook
) -> None:
    """A fixed-period listing (conduct (3), evading enforcement) is not ended by
    performance: the page says so in the pack's words, and says where to apply (the court
    that enforces the case, named) and what to give (issue 14, item 8)."""
    submit(api, case(ground="evades"))
    submit(api, case(ground="evades", status="performed", status_date="2018-05-02"))
    label(api.engine, book, dt.date(2018, 6, 1))
    with httpx.Client(base_url=api.url, timeout=30, follow_redirects=True) as client:
        english = client.get(f"/subjects/{RIC}", params={"as_of": "2018-06-01"}).text
        chinese = client.get(f"/subjects/{RIC}", params={"as_of": "2018-06-01"}, headers=ZH).text
    assert "Performed, yet still listed." in english
    assert "does not end a listing with a period before it expires" in english
    assert "How to get off the list" in english
    assert "apply in writing to the enforcing court, 北京市第一中级人民法院" in english
    assert "naming enforcement case (2018)京01执1号" in english
    assert "履行义务并不使有期限的纳入提前结束" in chinese and "第十条第二款" in chinese
    assert "向执行法院（北京市第一中级人民法院）提出书面申请" in chinese
