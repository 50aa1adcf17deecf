"""The console's screening and linkage pages over HTTP: the session first, the form's CSRF
token, the subject's key refused, a bad file or action explained (issue 14, item 3)."""

from __future__ import annotations

import re

from tests.portal_site import Site, site

__all__ = ["site"]

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
    assert missing.status_code == 422 and "no such candidate" in missing.text
