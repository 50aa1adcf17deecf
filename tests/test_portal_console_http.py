"""The console's screening and linkage pages over HTTP: the session first, the form's CSRF
token, the subject's key refused, a bad file or action explained (issue 14, item 3)."""

from __future__ import annotations

import re

import httpx

from socialcredit.core.access import Principal
from socialcredit.linkage.model import Candidate
from socialcredit.services.access.keys import create_key
from socialcredit.services.linkage.review import pending, queue
from tests.portal_site import COURT_SCOPES, Site, site

__all__ = ["site"]

COURT_CLERK = Principal(key_id="c", role="agency", name="court clerk", agency="court")
CSV = ("parties.csv", b"name,identifier\nA,\n", "text/csv")


def token(page: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found is not None
    return found.group(1)


def test_screening_and_linkage_need_an_agency_session_and_the_form_token(site: Site) -> None:
    with site.client() as anonymous:
        asked = anonymous.get("/agency/screening", follow_redirects=False)
        posted = anonymous.post(
            "/agency/screening", files={"counterparties": CSV}, follow_redirects=False
        )
    assert asked.status_code in (302, 303) and "/signin" in asked.headers["location"]
    assert posted.status_code in (302, 303, 401, 403)
    with site.client() as subject:
        site.sign_in(subject, site.subject_key)
        refused = subject.get("/agency/linkage")
    assert refused.status_code == 403
    with site.client() as clerk:
        site.sign_in(clerk, site.agency_key)
        form = clerk.get("/agency/screening")
        forged = clerk.post("/agency/screening", files={"counterparties": CSV}, data={"csrf": "x"})
        review = clerk.post("/agency/linkage/1", data={"decision": "accept", "reason": "r"})
        csrf = token(form.text)
        wrong_file = clerk.post(
            "/agency/screening",
            files={"counterparties": ("parties.pdf", b"%PDF", "application/pdf")},
            data={"csrf": csrf},
        )
        unknown_action = clerk.post(
            "/agency/screening",
            files={"counterparties": CSV},
            data={"csrf": csrf, "action": "buy_a_yacht"},
        )
        bad_date = clerk.post(
            "/agency/screening", files={"counterparties": CSV}, data={"csrf": csrf, "as_of": "x"}
        )
        screened = clerk.post(
            "/agency/screening", files={"counterparties": CSV}, data={"csrf": csrf}
        )
        missing = clerk.post(
            "/agency/linkage/999999", data={"decision": "accept", "reason": "r", "csrf": csrf}
        )
    assert form.status_code == 200 and forged.status_code == 403 and review.status_code == 403
    assert wrong_file.status_code == 415
    assert unknown_action.status_code == 422 and "buy_a_yacht" in unknown_action.text
    assert bad_date.status_code == 422
    assert screened.status_code == 200 and "no match" in screened.text
    assert missing.status_code == 404 and "no such candidate" in missing.text


def test_an_agency_sees_and_reviews_only_its_own_linkage_candidates(site: Site) -> None:
    """A tax clerk neither sees the court's candidate nor may review it: 404, as for a
    candidate that does not exist; the court's clerk sees and rejects it."""
    record = {"key": "http-court-5", "name": site.listed_name, "id": None, "region": "北京"}
    found = [Candidate("http-court-5", site.listed, 0.95, {"name": "same"})]
    assert queue(site.engine, COURT_CLERK, [record], found) == 1
    [mine] = [c for c in pending(site.engine, COURT_CLERK) if c["record_key"] == "http-court-5"]
    tax_key = create_key(site.engine, "agency", "portal test tax bureau", agency="tax",
                         scopes=COURT_SCOPES)  # fmt: skip
    with site.client() as tax:
        site.sign_in(tax, tax_key)
        queue_page = tax.get("/agency/linkage")
        csrf = token(tax.get("/agency/screening").text)
        form = {"decision": "accept", "reason": "r", "csrf": csrf}
        foreign = tax.post(f"/agency/linkage/{mine['id']}", data=form)
        missing = tax.post("/agency/linkage/999998", data=form)
    assert queue_page.status_code == 200 and "http-court-5" not in queue_page.text
    assert foreign.status_code == missing.status_code == 404
    assert "no such candidate" in foreign.text
    with site.client() as court:
        site.sign_in(court, site.agency_key)
        assert "http-court-5" in court.get("/agency/linkage").text
        form = {"decision": "reject", "reason": "not the same person", "csrf": "?"}
        form["csrf"] = token(court.get("/agency/screening").text)
        rejected = court.post(f"/agency/linkage/{mine['id']}", data=form)
    assert rejected.status_code == 200 and "http-court-5" not in rejected.text


def screened_page(client: httpx.Client, rows: int) -> httpx.Response:
    """The page of a screening of ``rows`` counterparties that match nobody."""
    body = "name,identifier\n" + "".join(f"Qzx Wvy {n:05d},\n" for n in range(rows))
    csrf = token(client.get("/agency/screening").text)
    upload = ("parties.csv", body.encode(), "text/csv")
    return client.post("/agency/screening", files={"counterparties": upload}, data={"csrf": csrf})


def test_a_screenings_downloads_are_kept_for_its_own_session_only(site: Site) -> None:
    with site.client() as court:
        site.sign_in(court, site.agency_key)
        page = screened_page(court, 3)
        links = dict(re.findall(r'<a href="(/agency/screening/results/[^"]+)" download="([^"]+)"',
                                page.text))  # fmt: skip
        got = {name.rsplit(".", 1)[1]: court.get(href) for href, name in links.items()}
    assert page.status_code == 200 and "data:" not in page.text
    assert sorted(got) == ["csv", "json", "xlsx"]
    assert all(r.status_code == 200 for r in got.values())
    assert got["csv"].content.startswith(b"\xef\xbb\xbf") and b"Qzx Wvy 00002" in got["csv"].content
    assert got["xlsx"].content.startswith(b"PK")
    assert [r["row"] for r in got["json"].json()["results"]] == [1, 2, 3]
    assert "attachment" in got["csv"].headers["content-disposition"]
    tax_key = create_key(site.engine, "agency", "portal test tax office", agency="tax",
                         scopes=COURT_SCOPES)  # fmt: skip
    with site.client() as tax, site.client() as court_again, site.client() as anonymous:
        site.sign_in(tax, tax_key)
        site.sign_in(court_again, site.agency_key)  # the same key, another session
        others = [c.get(href) for c in (tax, court_again) for href in links]
        unsigned = anonymous.get(next(iter(links)), follow_redirects=False)
    assert [r.status_code for r in others] == [404] * 6
    assert all(b"Qzx" not in r.content for r in others)
    assert unsigned.status_code in (302, 303) and "/signin" in unsigned.headers["location"]


def test_the_screening_page_does_not_grow_with_the_rows(site: Site) -> None:
    with site.client() as court:
        site.sign_in(court, site.agency_key)
        small, large = screened_page(court, 250), screened_page(court, 2500)
    assert small.status_code == large.status_code == 200
    assert "Qzx Wvy 00199" in large.text and "Qzx Wvy 00200" not in large.text
    assert abs(len(large.content) - len(small.content)) < 200
