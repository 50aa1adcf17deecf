"""Public pages fall back well where a pack gives no ``public`` wording (issue 14, item 6):
the measures of the joint-sanctions and consumption-restriction packs and the social
insurance list show their own wording without research notes (bracketed notes, confidence
tags, "assumed", the facts file) and without raw codes such as ``insurance_fraud``."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from sqlalchemy import text

from socialcredit.core.pack.model import Rulebook
from socialcredit.core.pack.wording import without_notes
from tests.portal_site import DEMO_AS_OF, Site, site

__all__ = ["site"]

PACKS = ("cn-joint-sanctions", "cn-consumption-restrictions")
LISTED = (  # a list and the kind of subject on it: their measures come from the two packs
    ("social-insurance-seriously-untrustworthy", "person"),
    ("consumption-restricted-debtors", "person"),
    ("dishonest-judgment-debtors", "organisation"),  # the 2016 MOU's joint sanctions
)
RESEARCH = re.compile(r"\[[VSM?]\]|facts|assumed|pack's reading|\b[a-z]+(?:_[a-z]+)+\b")


def listed_on(site: Site, list_id: str, kind: str) -> str:
    query = text(
        "SELECT e.subject_id FROM list_entries e JOIN subjects s ON s.id = e.subject_id "
        "WHERE e.list_id = :list AND s.kind = :kind AND e.starts <= :day "
        "AND (e.ends IS NULL OR e.ends > :day) ORDER BY e.subject_id LIMIT 1"
    )
    day = dt.date.fromisoformat(DEMO_AS_OF)
    with site.engine.connect() as db:
        found = db.execute(query, {"list": list_id, "kind": kind, "day": day})
        return str(found.scalar_one())


def shown_text(page: str) -> str:
    """What a reader sees: no scripts or styles, no tooltips, no tags."""
    page = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", page, flags=re.S)
    page = re.sub(r'\s(title|href|class|id)="[^"]*"', " ", page)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def measure_codes(book: Rulebook) -> re.Pattern[str]:
    """The two packs' measure ids, as codes a reader must not see (``no-real-estate``)."""
    ids = {
        measure.id
        for memo in book.memoranda
        if memo.pack.id in PACKS
        for measure in memo.spec.measures
        if "-" in measure.id
    }
    return re.compile(r"(?<![\w/-])(?:" + "|".join(map(re.escape, sorted(ids))) + r")(?![\w-])")


def wordings(book: Rulebook) -> set[str]:
    """What the two packs' measures read as on a public page: their public wording in either
    language, or, without one, the fallback of their description."""
    found = set()
    for memo in book.memoranda:
        for measure in memo.spec.measures if memo.pack.id in PACKS else ():
            if measure.public is not None:
                found |= {measure.public.en, measure.public.zh}
            elif measure.description:
                found.add(without_notes(measure.description))
    return found


def test_the_without_notes_heuristic_keeps_the_measure_and_drops_the_notes() -> None:
    assert without_notes(
        "The listed person may not fly (one of the 32 measures, scs-facts.md 4.4)."
    ) == ("The listed person may not fly.")
    assert (
        without_notes(
            "Credit discipline in tendering. The facts name the domain (SPC 2013 Art. 5 [V]) but "
            "not its strength: 'restrict' and NDRC are the pack's reading [M]."
        )
        == "Credit discipline in tendering."
    )
    assert without_notes("Export checks: a measure of the 2014 rules, assumed kept; Art. 34.") == (
        "Export checks."
    )
    assert without_notes("A ban for the related persons [M].") == "A ban for the related persons."
    assert without_notes("Ban, star-rated hotels; reach as for no-flights.") == (
        "Ban, star-rated hotels."
    )
    plain = "Court order X (court Y) restricts the debtor; the order ended on 2020-01-01."
    assert without_notes(plain) == plain
    assert without_notes("No honours. The decision cannot tell who awards them.") == "No honours."


@pytest.mark.parametrize(("list_id", "kind"), LISTED)
def test_public_pages_show_no_research_notes_nor_codes(
    site: Site, book: Rulebook, list_id: str, kind: str
) -> None:
    subject = listed_on(site, list_id, kind)
    expected = wordings(book)
    with site.client() as public:
        pages = {
            (path, lang): public.get(f"/subjects/{subject}{path}?lang={lang}").text
            for path in ("", "/report")
            for lang in ("en", "zh")
        }
    for (path, lang), page in pages.items():
        shown = shown_text(page)
        assert "Measure" in shown or "措施" in shown, (path, lang)
        found = sorted({m.group(0) for m in RESEARCH.finditer(shown)})
        found += sorted({m.group(0) for m in measure_codes(book).finditer(shown)})
        assert found == [], (subject, path, lang, found)
        assert any(wording in shown for wording in expected), (subject, path, lang)
