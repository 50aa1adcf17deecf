"""The portal's languages without a server: choosing the language, the Chinese wording of
titles, Babel's Chinese formats, codes in words, and the catalogues themselves (complete,
placeholders kept, the committed .mo compiled from the committed .po, every template
message extracted)."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po

from socialcredit.web import i18n, vocabulary
from tests.conftest import REPO

CATALOGUE = i18n.CATALOGUES / "zh_CN" / "LC_MESSAGES"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


@pytest.mark.parametrize(
    ("title", "chinese"),
    [
        ("List of Dishonest Judgment Debtors (失信被执行人名单)", "失信被执行人名单"),
        (
            "Administrative Measures for Credit Information Restoration after Correction of "
            "Untrustworthy Conduct (Trial) (失信行为纠正后的信用信息修复管理办法（试行）)",
            "失信行为纠正后的信用信息修复管理办法（试行）",
        ),
        (
            "Court order restricting consumption (限制高消费令 / 限制消费令)",
            "限制高消费令 / 限制消费令",
        ),
        # a bracketed document number is not a title: the whole stays
        ("SPC Provisions (法释〔2015〕17号)", "SPC Provisions (法释〔2015〕17号)"),
        ("Guiding Opinions (国办发〔2020〕49号)", "Guiding Opinions (国办发〔2020〕49号)"),
        # brackets that are not at the end, or hold no Chinese, or no brackets at all
        (
            "Tax credit rating (纳税信用 A/B/M/C/D) and the list",
            "Tax credit rating (纳税信用 A/B/M/C/D) and the list",
        ),
        (
            "Persons and entities flagged for early detection (EDES)",
            "Persons and entities flagged for early detection (EDES)",
        ),
        ("Firms debarred by the World Bank Group", "Firms debarred by the World Bank Group"),
        ("", ""),
    ],
)
def test_the_chinese_wording_is_taken_from_the_closing_brackets(title: str, chinese: str) -> None:
    assert i18n.chinese_wording(title) == chinese


@pytest.mark.parametrize(
    ("header", "locale"),
    [
        ("zh-CN,zh;q=0.9,en;q=0.8", "zh_CN"),
        ("en-GB,en;q=0.9,zh-CN;q=0.8", "en"),
        ("fr-FR,zh-TW;q=0.7,en;q=0.5", "zh_CN"),  # the first language the portal has
        ("en;q=0.3, zh-Hans-CN;q=0.9", "zh_CN"),  # by quality, not by order
        ("zh;q=0, en", "en"),  # q=0 means "not this one"
        ("de, fr", None),
        ("", None),
        ("zh;q=bad", None),
    ],
)
def test_accept_language_by_quality(header: str, locale: str | None) -> None:
    assert i18n.from_accept_language(header) == locale


def test_language_tags_of_the_switch_and_the_cookie() -> None:
    assert [i18n.locale_of(t) for t in ("zh", "zh-CN", "zh_CN", "ZH-hans", "en", "en-US")] == [
        "zh_CN",
        "zh_CN",
        "zh_CN",
        "zh_CN",
        "en",
        "en",
    ]
    assert i18n.locale_of("ja") is None and i18n.locale_of("") is None


def test_chinese_formats_of_dates_amounts_and_numbers() -> None:
    zh, en = i18n.Formats("zh_CN"), i18n.Formats("en")
    assert zh.date("2025-12-31") == "2025年12月31日" and en.date("2025-12-31") == "2025-12-31"
    assert zh.date(dt.date(2024, 5, 1)) == "2024年5月1日"
    assert zh.date("not a date") == "not a date" and zh.date(None) == ""
    assert zh.money(111470.62) == "¥111,470.62" and en.money(111470.62) == "CN¥111,470.62"
    assert zh.money(True) == "True"  # a flag is not an amount
    assert zh.number(1234567) == "1,234,567"
    assert zh.timestamp("2026-12-03T13:27:46+00:00") == "2026年12月3日 13:27"
    assert zh.title("List of Dishonest Judgment Debtors (失信被执行人名单)") == "失信被执行人名单"
    assert en.title("List of Dishonest Judgment Debtors (失信被执行人名单)").startswith("List of")


def test_codes_are_put_in_words_in_both_languages() -> None:
    zh = i18n.translations("zh_CN").gettext
    assert (
        vocabulary.words("breaches_restriction", str) == "breached a consumption-restriction order"
    )
    assert vocabulary.words("breaches_restriction", zh) == "违反限制消费令"
    assert vocabulary.words("buy_flight_ticket", zh) == "乘坐飞机"
    assert vocabulary.words("court.enforcement_case", zh) == "执行案件"
    assert vocabulary.words("some_new_code", zh) == "some new code"  # unknown: spaced out
    assert vocabulary.plain_codes("found: obstructs; performed", str) == (
        "found: obstructed enforcement with false evidence, violence or threats; performed"
    )
    reason = "the court found: breaches_restriction. Category court.enforcement_case; a_b_c."
    assert vocabulary.plain_codes(reason, str) == (
        "the court found: breached a consumption-restriction order. "
        "Category enforcement case; a_b_c."
    )
    assert vocabulary.plain_codes(reason, zh).startswith("the court found: 违反限制消费令.")


def _po() -> list[tuple[object, object, set[str]]]:
    with open(CATALOGUE / "messages.po", "rb") as f:
        catalog = read_po(f)
    assert not catalog.fuzzy
    return [(m.id, m.string, set(m.flags)) for m in catalog if m.id]


def test_every_message_is_translated_and_keeps_its_placeholders() -> None:
    messages = _po()
    assert len(messages) > 400
    for msgid, msgstr, flags in messages:
        assert "fuzzy" not in flags, msgid
        ids = msgid if isinstance(msgid, tuple) else (msgid,)
        strings = msgstr if isinstance(msgstr, tuple) else (msgstr,)
        assert all(strings), f"untranslated: {msgid!r}"
        wanted = set(PLACEHOLDER.findall(ids[-1]))
        for text in strings:
            assert set(PLACEHOLDER.findall(str(text))) == wanted, msgid


def test_the_committed_mo_is_the_compiled_po() -> None:
    with open(CATALOGUE / "messages.po", "rb") as f:
        catalog = read_po(f)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    with open(CATALOGUE / "messages.mo", "rb") as f:
        committed = read_mo(f)
    fresh = read_mo(compiled)

    def pairs(catalog: object) -> dict[object, object]:
        return {_key(m.id): _key(m.string) for m in catalog if m.id}  # type: ignore[attr-defined]

    assert pairs(committed) == pairs(fresh)


def _key(value: object) -> object:
    return tuple(value) if isinstance(value, list | tuple) else value


def test_the_catalogue_holds_every_message_of_the_templates_and_the_vocabulary() -> None:
    method_map = [
        ("src/socialcredit/web/**.py", "python"),
        ("src/socialcredit/web/templates/**.html", "jinja2"),
    ]
    options = {
        "src/socialcredit/web/templates/**.html": {
            "extensions": "jinja2.ext.i18n",
            "trimmed": "true",
        }
    }
    extracted = {
        message[2] if isinstance(message[2], str) else message[2][0]
        for message in extract_from_dir(str(REPO), method_map, options)
    }
    translated = {m if isinstance(m, str) else m[0] for m, _, _ in _po()}
    assert extracted - translated == set(), "run `make locales` and translate the new messages"
    assert len(extracted) > 400


def test_babel_cfg_is_what_make_locales_uses() -> None:
    config = (REPO / "babel.cfg").read_text(encoding="utf-8")
    assert "[jinja2: src/socialcredit/web/templates/**.html]" in config
    assert "pybabel extract -F babel.cfg" in (REPO / "Makefile").read_text(encoding="utf-8")


@pytest.mark.parametrize("locale", i18n.LOCALES)
def test_every_template_compiles_in_both_languages(locale: str) -> None:
    environment = i18n.environment(locale)
    names = sorted(p.name for p in Path(i18n.TEMPLATES).glob("*.html"))
    assert len(names) > 20
    for name in names:
        environment.get_template(name)
    assert environment.globals["html_lang"] == i18n.HTML_LANG[locale]


def test_a_message_from_outside_is_escaped_when_translated() -> None:
    page = i18n.environment("zh_CN").from_string("{{ message | translated }}")
    assert page.render(message="<script>x</script>") == "&lt;script&gt;x&lt;/script&gt;"
    known = page.render(message="Page not found")
    assert known == "页面不存在"
