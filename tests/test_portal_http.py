"""The portal over plain HTTP (no JavaScript): every page reads, the public sees only public
data with persons' ids masked, signed-in areas need the right key, writing forms need their
token, and errors are pages (while /v1 keeps its JSON errors)."""

from __future__ import annotations

import itertools
import re
from html.parser import HTMLParser

import httpx
from sqlalchemy import text

from socialcredit.core.access import mask_id
from socialcredit.services.access.keys import create_key, revoke_key
from tests.portal_site import DEMO_AS_OF, RESTRICTED, Site, site

__all__ = ["site"]


def _ref(html: str) -> str:
    found = re.search(r'href="/subjects/([^"?]+)"', html)
    assert found is not None, "no subject link in the page"
    return found.group(1)


def _results(html: str) -> str:
    found = re.search(r'<table class="results">.*?</table>', html, re.S)
    assert found is not None, "no result table in the page"
    return found.group(0)


def test_search_finds_a_listed_person_with_the_id_masked(site: Site) -> None:
    with site.client() as client:
        by_name = _results(client.get("/", params={"q": site.listed_name}).text)
        by_id = _results(client.get("/", params={"q": site.listed}).text)
    for results in (by_name, by_id):  # the query is echoed back; the results never unmask
        assert mask_id(site.listed) in results and site.listed not in results


def test_subject_page_explains_each_entry_and_measure_without_leaking_the_id(site: Site) -> None:
    with site.client() as client:
        ref = _ref(_results(client.get("/", params={"q": site.listed}).text))
        page = client.get(f"/subjects/{ref}", params={"as_of": DEMO_AS_OF})
        report = client.get(f"/subjects/{ref}/report", params={"as_of": DEMO_AS_OF})
    html = page.text
    assert page.status_code == 200 and site.listed not in html and site.listed not in report.text
    assert "List of Dishonest Judgment Debtors" in html and "Measures in force (0)" not in html
    assert 'href="/packs/cn-judgment-defaulters/sources/' in html
    assert "How to object or apply for repair" in html and "Timeline" in html
    assert 'media="print"' in report.text and "Credit report" in report.text
    assert "<script" not in html.split("</head>")[1]  # reading needs no script


def test_the_public_never_sees_a_subject_with_restricted_records_only(site: Site) -> None:
    with site.client() as client:
        search = client.get("/", params={"q": site.hidden_name})
        page = client.get(f"/subjects/{site.hidden}")
    assert site.hidden not in search.text and mask_id(site.hidden) not in search.text
    assert page.status_code == 200 and "Nothing public is known" in page.text
    assert not any(category in page.text for category in RESTRICTED)
    assert site.hidden_name not in page.text


def test_lists_packs_sources_and_the_audit_place(site: Site) -> None:
    with site.client() as client:
        lists = client.get("/lists")
        one = client.get("/lists/dishonest-judgment-debtors")
        pack = client.get("/packs/cn-judgment-defaulters")
        source = client.get("/packs/cn-judgment-defaulters/sources/spc-2017")
        audit = client.get("/packs/cn-judgment-defaulters/audit")
    assert lists.status_code == one.status_code == pack.status_code == source.status_code == 200
    assert "/packs/cn-judgment-defaulters/audit" in lists.text and "Memoranda" in lists.text
    assert "Due process" in one.text and "Memoranda this list triggers" in one.text
    assert "Rules that rest on this source" in source.text and "/lists/" in source.text
    assert audit.status_code == 200 and "Rule-of-law audit" in audit.text
    assert 'href="/packs/cn-judgment-defaulters">Back to the pack' in audit.text


def test_dashboard_draws_charts_and_gives_their_numbers(site: Site) -> None:
    with site.client() as client:
        page = client.get("/dashboard")
    assert page.status_code == 200
    assert page.text.count('<svg role="img"') == 4
    assert "By implementing agency" in page.text and "dishonest-judgment-debtors" in page.text


def test_no_key_goes_to_sign_in_and_a_wrong_key_is_told_so(site: Site) -> None:
    with site.client() as client:
        me = client.get("/me")
        console = client.get("/agency/feed")
        wrong = site.sign_in(client, "sck_nothing_like_a_key")
    assert me.url.path == "/signin" and me.url.params["next"] == "/me"
    assert console.url.path == "/signin" and 'name="key"' in console.text
    assert wrong.status_code == 401 and "not valid or has been revoked" in wrong.text


def test_each_key_opens_only_its_own_area(site: Site) -> None:
    with site.client() as client:
        signed = site.sign_in(client, site.subject_key)
        cookie = signed.history[0].headers["set-cookie"].lower()
        other = client.get("/agency")
    assert signed.url.path == "/me" and site.listed in signed.text
    assert "httponly" in cookie and "samesite=strict" in cookie
    assert other.status_code == 403
    with site.client() as client:
        console = site.sign_in(client, site.agency_key)
        mine = client.get("/me")
    assert console.url.path == "/agency" and mine.status_code == 403


def test_a_revoked_key_stops_working_at_once(site: Site) -> None:
    key = create_key(site.engine, "subject", "to revoke", subject=site.listed)
    with site.client() as client:
        assert site.sign_in(client, key).url.path == "/me"
        revoke_key(site.engine, key.split("_")[1])
        after = client.get("/me")
    assert after.status_code == 401 and "sign in again" in after.text


def test_the_cookie_holds_a_session_not_the_key_and_sign_out_ends_it(site: Site) -> None:
    with site.client() as client:
        signed = site.sign_in(client, site.subject_key)
        session = client.cookies["sc_session"]
        csrf = re.search(r'name="csrf" value="([^"]+)"', signed.text)
        assert csrf is not None
        assert client.post("/signout", data={"csrf": csrf.group(1)}).status_code == 200
    assert site.subject_key not in signed.history[0].headers["set-cookie"]
    with site.client() as stolen:  # the old cookie, replayed after sign-out
        stolen.cookies.set("sc_session", session)
        assert stolen.get("/me").status_code == 401
    with httpx.Client(base_url=site.url) as api:  # a session token is no key to the API
        answer = api.get("/v1/feed", headers={"Authorization": f"Bearer {session}"})
    assert answer.status_code == 401


def test_writing_forms_need_the_token(site: Site) -> None:
    with site.client() as client:
        page = site.sign_in(client, site.subject_key)
        record = re.search(r'<option value="([0-9a-f]+)"', page.text)
        assert record is not None
        forged = client.post(
            "/me/objections", data={"record_id": record.group(1), "reason": "x", "csrf": "no"}
        )
        no_form_token = client.post("/signin", data={"key": site.subject_key})
    assert forged.status_code == 403 and "did not come from this portal" in forged.text
    assert no_form_token.status_code == 400


def test_errors_are_pages_and_the_api_keeps_json(site: Site) -> None:
    with site.client() as client:
        missing = client.get("/no/such/page")
        bad_id = client.get("/subjects/12345")
        bad_date = client.get("/subjects/12345", params={"as_of": "not-a-date"})
        api = client.get("/v1/no/such/path")
        api_invalid = client.get(f"/v1/subjects/{site.listed}", params={"as_of": "x"})
    for page, status in ((missing, 404), (bad_id, 404), (bad_date, 422)):
        assert page.status_code == status and page.headers["content-type"].startswith("text/html")
        assert '<html lang="en">' in page.text and "Traceback" not in page.text
    assert "script-src 'self'" in missing.headers["content-security-policy"]
    assert (
        api.json()["error"]["code"] == "not_found" and "content-security-policy" not in api.headers
    )
    assert api_invalid.status_code in (401, 422) and "error" in api_invalid.json()


def test_agency_console_shows_entries_decisions_and_the_feed(site: Site) -> None:
    with site.client() as client:
        site.sign_in(client, site.agency_key)
        entries = client.get(
            "/agency/entries", params={"list": "dishonest-judgment-debtors", "as_of": DEMO_AS_OF}
        )
        decision = client.get(
            "/agency/decide",
            params={"subject": site.listed, "action": "buy_flight_ticket", "as_of": DEMO_AS_OF},
        )
        feed = client.get("/agency/feed")
    assert entries.status_code == 200 and site.listed in entries.text
    assert decision.status_code == 200 and "determining" in decision.text
    assert feed.status_code == 200 and "record.accepted" in feed.text


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found is not None, "no form token in the page"
    return found.group(1)


def test_an_objection_goes_to_the_source_agency_and_its_outcome_back(site: Site) -> None:
    with site.client() as subject:
        page = site.sign_in(subject, site.objector_key)
        record = re.search(
            r'id="obj-record" name="record_id" required>\s*<option value="(\w+)"', page.text
        )
        assert record is not None
        form = {
            "record_id": record.group(1),
            "reason": "the amount is wrong",
            "csrf": _csrf(page.text),
        }
        filed = subject.post("/me/objections", data=form)
    number = filed.url.params["done"].removeprefix("objection-")
    assert filed.status_code == 200 and f'id="objection-{number}"' in filed.text
    with site.client() as court:
        console = site.sign_in(court, site.agency_key)
        waiting = court.get("/agency/objections")
        decision = {
            "outcome": "upheld",
            "reason": "the amount is right",
            "csrf": _csrf(console.text),
        }
        decided = court.post(f"/agency/objections/{number}", data=decision)
    assert f'id="objection-{number}"' in waiting.text and "the amount is wrong" in waiting.text
    assert decided.status_code == 200 and decided.url.params["done"] == number
    with site.client() as subject:
        page = site.sign_in(subject, site.objector_key)
    assert "upheld — the amount is right" in page.text


def test_search_by_an_id_masked_as_the_portals_show_it(site: Site) -> None:
    with site.client() as client:
        page = client.get("/", params={"q": mask_id(site.listed)})
    assert mask_id(site.listed) in _results(page.text) and site.listed_name in page.text


def test_a_performed_case_leaves_the_public_page_and_stays_on_the_subjects_timeline(
    site: Site,
) -> None:
    query = text(
        "SELECT r.subject_id, r.doc_no, s.status FROM record_status s "
        "JOIN records r ON r.id = s.record_id WHERE r.category = 'court.enforcement_case' "
        "AND s.status = 'performed' AND r.subject_id LIKE '91%' ORDER BY s.id LIMIT 1"
    )
    with site.engine.connect() as db:
        subject, doc_no, status = db.execute(query).one()
    key = create_key(site.engine, "subject", "the company itself", subject=subject)
    with site.client() as client:
        public = client.get(f"/subjects/{subject}", params={"as_of": DEMO_AS_OF})
        site.sign_in(client, key)
        own = client.get("/me", params={"as_of": DEMO_AS_OF})
    assert doc_no not in public.text  # the listing was deleted: no longer published
    timeline = own.text.split('id="timeline-heading"')[1]
    assert f"{doc_no}: {status}" in timeline


class _Outline(HTMLParser):
    """The headings, the labelled ids and the form fields of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.levels: list[int] = []
        self.labelled: set[str] = set()
        self.fields: list[str] = []
        self.in_label = 0
        self.lang = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "html":
            self.lang = found.get("lang") or ""
        if re.fullmatch(r"h[1-6]", tag):
            self.levels.append(int(tag[1]))
        if tag == "label":
            self.in_label += 1
            self.labelled.add(found.get("for") or "")
        if tag in ("input", "select", "textarea") and found.get("type") != "hidden":
            self.fields.append("(inside a label)" if self.in_label else found.get("id") or "?")

    def handle_endtag(self, tag: str) -> None:
        if tag == "label":
            self.in_label -= 1


def test_pages_have_a_language_ordered_headings_and_labelled_fields(site: Site) -> None:
    with site.client() as client:
        ref = _ref(_results(client.get("/", params={"q": site.listed}).text))
        pages = [client.get(path) for path in ("/", f"/subjects/{ref}", "/lists", "/dashboard")]
        pages.append(client.get("/lists/dishonest-judgment-debtors"))
        pages.append(site.sign_in(client, site.subject_key))
        pages.append(client.get("/signin"))
    for page in pages:
        outline = _Outline()
        outline.feed(page.text)
        assert outline.lang == "en" and outline.levels[0] == 1, page.url
        jumps = [b - a for a, b in itertools.pairwise(outline.levels)]
        assert max(jumps, default=0) <= 1, (page.url, outline.levels)
        unlabelled = [f for f in outline.fields if f != "(inside a label)"]
        assert set(unlabelled) <= outline.labelled, (page.url, unlabelled)


def test_sign_in_goes_back_only_to_a_page_of_the_portal(site: Site) -> None:
    with site.client() as client:
        form = client.get("/signin", params={"next": "/agency/feed"})
        token = re.search(r'name="token" value="([^"]+)"', form.text)
        assert token is not None and 'name="next" value="/agency/feed"' in form.text
        elsewhere = {"key": site.agency_key, "token": token.group(1), "next": "//evil.example/"}
        answer = client.post("/signin", data=elsewhere, follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/agency"
