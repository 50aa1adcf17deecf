"""The portal's languages: Simplified Chinese and English.

The language of a request is chosen by ``?lang=`` (remembered in a cookie), else the cookie,
else the browser's ``Accept-Language``, else English. Each language has its own Jinja2
environment with the i18n extension and its Babel message catalogue installed once (one
environment per language, so concurrent requests in different languages never share an
installed ``gettext``). Dates, amounts and numbers are formatted by Babel for the language;
titles of rules show their Chinese wording on Chinese pages (``chinese_wording``).
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache
from gettext import NullTranslations
from pathlib import Path
from typing import Any

from babel.dates import format_date, format_datetime
from babel.numbers import format_currency, format_decimal
from babel.support import Translations
from fastapi import Request
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from socialcredit.core.pack.wording import split_note
from socialcredit.web import vocabulary

LOCALES = ("zh_CN", "en")
DEFAULT = "en"
HTML_LANG = {"zh_CN": "zh-CN", "en": "en"}
COOKIE = "sc_lang"
CATALOGUES = Path(__file__).parent / "locales"
TEMPLATES = Path(__file__).parent / "templates"
ONE_YEAR = 365 * 24 * 3600

_CJK = re.compile(r"[\u3400-\u9fff]")
_LAST_BRACKETS = re.compile(r"^(?P<english>.*\S)\s*\((?P<chinese>[^()]+)\)\s*$", re.S)
_DOCUMENT_NO = re.compile(r"^\S*〔\d{4}〕\d+号$")


def locale_of(tag: str) -> str | None:
    """The portal's locale for a language tag (``zh``, ``zh-CN``, ``zh_CN``, ``en-GB``...)."""
    primary = tag.strip().replace("_", "-").split("-")[0].lower()
    return {"zh": "zh_CN", "en": "en"}.get(primary)


def from_accept_language(header: str) -> str | None:
    """The first language of ``Accept-Language`` (by quality, then order) the portal has."""
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate(header.split(",")):
        tag, _, params = part.partition(";")
        quality = 1.0
        match = re.search(r"q\s*=\s*([^;\s]*)", params)
        if match:
            try:
                quality = float(match.group(1))
            except ValueError:
                quality = 0.0
        if tag.strip() and quality > 0:
            ranked.append((-quality, position, tag.strip()))
    for _, _, tag in sorted(ranked):
        found = locale_of(tag)
        if found:
            return found
    return None


def chosen(request: Request) -> tuple[str, bool]:
    """The request's locale, and whether ``?lang=`` chose it (so it is to be remembered)."""
    asked = locale_of(request.query_params.get("lang", "")[:20])
    if asked:
        return asked, True
    remembered = locale_of(request.cookies.get(COOKIE, "")[:20])
    if remembered:
        return remembered, False
    return from_accept_language(request.headers.get("accept-language", "")[:500]) or DEFAULT, False


def chinese_wording(title: str) -> str:
    """The Chinese wording a title carries in its closing brackets, if it carries one:
    ``List of Dishonest Judgment Debtors (失信被执行人名单)`` -> ``失信被执行人名单``. A
    bracketed document number (``法释〔2015〕17号``) is not a title: the whole is returned, as
    is any title without Chinese in its closing brackets."""
    match = _LAST_BRACKETS.match(title or "")
    if not match:
        return title
    chinese = match.group("chinese").strip()
    if not _CJK.search(chinese) or _DOCUMENT_NO.match(chinese):
        return title
    return chinese


def _as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


class Formats:
    """Babel's formatting for one locale (ISO dates on English pages, as before)."""

    def __init__(self, locale: str) -> None:
        self.locale = locale

    def date(self, value: Any) -> str:
        day = _as_date(value)
        if day is None:
            return "" if value is None else str(value)
        return format_date(day, "long", locale=self.locale) if self.chinese else day.isoformat()

    def timestamp(self, value: Any) -> str:
        text = "" if value is None else str(value)
        if not self.chinese:
            return text
        try:
            moment = dt.datetime.fromisoformat(text)
        except ValueError:
            return text
        return format_datetime(moment, "yyyy年M月d日 HH:mm", locale=self.locale)

    def money(self, value: Any) -> str:
        if isinstance(value, bool) or not isinstance(value, int | float):
            return "" if value is None else str(value)
        return format_currency(value, "CNY", locale=self.locale)

    def number(self, value: Any) -> str:
        if isinstance(value, bool) or not isinstance(value, int | float):
            return "" if value is None else str(value)
        return format_decimal(value, locale=self.locale)

    def title(self, value: Any) -> str:
        text = "" if value is None else str(value)
        return chinese_wording(text) if self.chinese else text

    @property
    def chinese(self) -> bool:
        return self.locale.startswith("zh")


@cache
def translations(locale: str) -> NullTranslations:
    """The compiled catalogue of ``locale`` (English is the source language: no catalogue)."""
    if locale == DEFAULT:
        return NullTranslations()
    found = Translations.load(str(CATALOGUES), [locale], domain="messages")
    if not isinstance(found, Translations):
        raise FileNotFoundError(f"no compiled catalogue for {locale} under {CATALOGUES}")
    return found


@cache
def environment(locale: str) -> Environment:
    """The Jinja2 environment of ``locale``: its catalogue installed, its formats as filters."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    env.policies["ext.i18n.trimmed"] = True
    catalogue = translations(locale)
    env.install_gettext_translations(catalogue, newstyle=True)  # type: ignore[attr-defined]
    formats = Formats(locale)
    env.filters.update(
        date=formats.date,
        timestamp=formats.timestamp,
        money=formats.money,
        number=formats.number,
        title=formats.title,
        words=lambda code: vocabulary.words(code, catalogue.gettext),
        plain=lambda text: vocabulary.plain_codes(text, catalogue.gettext),
        public_fallback=lambda text: vocabulary.public_fallback(text, catalogue.gettext),
        worded=lambda text: vocabulary.every_code_in_words(text, catalogue.gettext),
        translated=lambda text: catalogue.gettext(str(text)),  # a plain str: escaped
        provision=split_note,
    )
    env.globals.update(locale=locale, html_lang=HTML_LANG[locale], chinese=formats.chinese)
    return env
