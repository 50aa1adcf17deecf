"""No public answer carries a resident identity number unmasked (issue 13 item 1): every /v1
GET a public key may call (credit files, reports, list entries, the CSV, JSON Lines, Parquet
and FtM exports, the whole feed), and the public portal's pages (search, subject pages and
reports, lists, packs, dashboard), over a small labelled nation, are scanned for any
18-character run that ``stdnum.cn.ric`` accepts as a valid resident ID number. An answer may
echo only the number its caller typed into the address (a page for a person with nothing
public links to itself); a person found is redirected to a public record's reference, so
his page does not echo even that."""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy import bindparam, text
from stdnum.cn import ric

from socialcredit.core.access import mask_id
from socialcredit.core.pack.model import Rulebook
from tests.exposure import AS_OF, Marked, body_text, marked_nation
from tests.test_access_matrix import GETS, answers, requests

CANDIDATE = re.compile(r"(?=([0-9]{17}[0-9Xx]))")  # every window, overlapping
PERSONS = 150  # at most so many persons' files, reports and pages are read


def unmasked(content: str) -> set[str]:
    """Every valid resident ID number in ``content``."""
    return {m.group(1) for m in CANDIDATE.finditer(content) if ric.is_valid(m.group(1))}


def test_the_one_rule_masks_at_any_depth() -> None:
    from socialcredit.core.access import mask_identities

    code = "11010519491231002X"
    value = {"trigger": {"subject": code, "records": [{"note": f"of {code}."}]}, code: (code,)}
    masked = mask_identities(value)
    assert masked == {
        "trigger": {"subject": mask_id(code), "records": [{"note": f"of {mask_id(code)}."}]},
        mask_id(code): (mask_id(code),),
    }
    assert mask_identities("91350100M000100Y43") == "91350100M000100Y43"  # a USCC stays


@pytest.fixture(scope="module")
def marked(tmp_path_factory: pytest.TempPathFactory, book: Rulebook) -> Iterator[Marked]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOCIALCREDIT_SEARCH_RATE", "100000/60")  # this test searches a lot
        for found in marked_nation(tmp_path_factory.mktemp("masking"), book):
            found.values = _values(found)
            yield found


def _values(marked: Marked) -> dict[str, list[object]]:
    """Path values: persons with a public record, every list with entries."""
    with marked.engine.connect() as db:
        persons = db.execute(
            text(
                "SELECT DISTINCT r.subject_id FROM records r JOIN subjects s ON s.id = "
                "r.subject_id WHERE s.kind = 'person' AND r.doc_no LIKE 'MKpublic%' "
                "ORDER BY r.subject_id LIMIT :n"
            ),
            {"n": PERSONS},
        )
        subjects = [row[0] for row in persons]
        lists = [r[0] for r in db.execute(text("SELECT DISTINCT list_id FROM list_entries"))]
    return {"subject_id": subjects, "list_id": sorted(lists), "objection_id": [1], "repair_id": [1]}


def test_no_public_api_answer_carries_an_identity_number(marked: Marked) -> None:
    leaks: dict[str, set[str]] = {}
    count = 0
    with marked.client("public") as client:
        for path, operation in GETS:
            for url, params in requests(marked, path, operation):
                for response in answers(client, url, params):
                    count += 1
                    if found := unmasked(body_text(response)) - unmasked(str(response.url)):
                        leaks.setdefault(f"{url} {params}", set()).update(found)
    print(f"\n{count} public API answers scanned, {sum(map(len, leaks.values()))} unmasked")
    assert count > 150 and not leaks, f"{len(leaks)} answers leak, e.g. {list(leaks.items())[:3]}"


def portal_pages(marked: Marked, client: httpx.Client) -> Iterator[str]:
    """Every public page: search by full names, an organisation's name and a masked id; the
    subject page and report of each person found; lists, packs, their audits, dashboard."""
    with marked.engine.connect() as db:
        query = text("SELECT name FROM subjects WHERE id IN :ids")
        names = db.execute(
            query.bindparams(bindparam("ids", expanding=True)), {"ids": marked.values["subject_id"]}
        )
        queries = [row[0] for row in names if row[0]]
    queries += ["公司", "有限", mask_id(str(marked.values["subject_id"][0]))]
    yield from ("/", "/dashboard", "/lists", "/signin")
    for query in queries:
        search = f"/?q={query}"
        yield search
        for ref in sorted(set(re.findall(r'href="/subjects/([^"?/]+)"', client.get(search).text))):
            yield f"/subjects/{ref}?as_of={AS_OF}"
            yield f"/subjects/{ref}/report?as_of={AS_OF}"
    for code in marked.values["subject_id"][:3]:  # a full number typed in the address
        yield f"/subjects/{code}?as_of={AS_OF}"
    for list_id in marked.book.lists:
        yield f"/lists/{list_id}"
    for pack in marked.book.packs:
        yield f"/packs/{pack}"
        yield f"/packs/{pack}/audit"


def test_no_public_portal_page_carries_an_identity_number(marked: Marked) -> None:
    leaks: dict[str, set[str]] = {}
    count = 0
    with httpx.Client(base_url=marked.url, timeout=120, follow_redirects=True) as client:
        for page in dict.fromkeys(portal_pages(marked, client)):
            response = client.get(page)
            assert response.status_code < 500, f"{page}: {response.status_code}"
            count += 1
            typed = unmasked(str(response.url))  # the caller's own address, echoed in links
            if found := unmasked(response.text) - typed:
                leaks[page] = found
    print(f"\n{count} public portal pages scanned, {sum(map(len, leaks.values()))} unmasked")
    assert count > 100 and not leaks, f"{len(leaks)} pages leak, e.g. {list(leaks.items())[:3]}"


def test_a_full_number_in_the_address_moves_to_a_record_reference(marked: Marked) -> None:
    with httpx.Client(base_url=marked.url, timeout=120) as client:
        for code in marked.values["subject_id"][:10]:
            page = client.get(f"/subjects/{code}/report", params={"as_of": str(AS_OF)})
            if page.status_code == 303:
                break
    assert page.status_code == 303, "no person of the nation has a public record found"
    location = page.headers["location"]
    assert re.fullmatch(r"/subjects/r-[0-9a-f]+/report\?as_of=2025-12-31", location), location
    with httpx.Client(base_url=marked.url, timeout=120) as client:
        moved = client.get(location)
    assert moved.status_code == 200 and not unmasked(moved.text)
