"""Record linkage: trained and evaluated with splink on known truth (synthetic persons, records
with masked or missing numbers), and the review queue: nothing a record says counts for a
person until a clerk accepts the match, and every review is logged."""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from socialcredit.core.access import Principal
from socialcredit.core.pack.model import Rulebook
from socialcredit.linkage.model import Candidate, link, masked_parts, person_row
from socialcredit.linkage.population import synthetic_persons
from socialcredit.linkage.truth import evaluate, unidentified
from socialcredit.services.labelling.run import label
from socialcredit.services.linkage.review import (
    LinkageRefused,
    UnknownCandidate,
    accepted_rows,
    pending,
    queue,
    review,
)
from socialcredit.services.records.ingest import ingest_file
from socialcredit.store import tables as t
from socialcredit.store.audit_log import entries as audit_entries
from tests.conftest import RIC
from tests.test_ingest import case, write

CLERK = Principal(key_id="c", role="agency", name="court clerk", agency="court")
TAX_CLERK = Principal(key_id="t", role="agency", name="tax clerk", agency="tax")
ADMIN = Principal(key_id="a", role="admin", name="administrator")


def test_masked_numbers_show_their_head_and_tail() -> None:
    assert masked_parts("110105********002X") == ("110105", "002X")
    assert masked_parts("１１０１０５＊＊＊＊＊＊＊＊００２ｘ") == ("110105", "002X")
    assert masked_parts(None) == (None, None)
    assert masked_parts("12345") == (None, None)


def test_linkage_on_known_truth_is_precise_and_finds_most() -> None:
    """1,500 persons; 150 records without identifier, 30 of persons not in the store."""
    persons = synthetic_persons(1500, seed=3)
    rng = random.Random(5)
    sample = rng.sample(persons, 150)
    outside = {code for code, _, _ in sample[:30]}
    store = [p for p in persons if p[0] not in outside]
    made = unidentified(sample, rng)
    candidates = link([row for row, _ in made], [person_row(*p) for p in store])
    found = evaluate(candidates, {row.unique_id: code for row, code in made}, {p[0] for p in store})
    print(f"linkage: {found}, precision {found.precision:.3f}, recall {found.recall:.3f}")
    assert found.linkable == 120
    assert found.precision >= 0.95
    assert found.recall >= 0.8
    assert all(c.probability >= 0.9 for c in candidates)
    assert set(candidates[0].levels) == {"name", "id_tail", "birth_year", "region"}


def unidentified_case(key: str) -> dict[str, object]:
    """An old court record: a name, a masked number, a birth year, a region; no subject."""
    return {
        "key": key, "name": "张三", "id": "110105********002X", "birth_year": 1949,
        "region": "110105", "category": "court.enforcement_case", "doc_no": f"(2018)京01执{key}号",
        "decided_on": "2018-01-10", "amount_due": "50000", "ground": "evades",
        "aggravated": "false", "security_sufficient": "false",
        "seized_assets_sufficient": "false", "later_in_order": "false",
    }  # fmt: skip


def entries_of(store: Engine, subject: str) -> int:
    with store.connect() as db:
        query = select(func.count()).where(t.list_entries.c.subject_id == subject)
        return int(db.execute(query).scalar_one())


def test_no_entry_rests_on_an_unreviewed_match(
    tmp_path: Path, store: Engine, book: Rulebook
) -> None:
    other = "110105198001010016"
    known = write(tmp_path, "known.csv", case(subject=other, doc="k", status="performed",
                                              status_date="2018-02-01"))  # fmt: skip
    assert ingest_file(store, book, known, "court").count("accepted") == 1
    record = unidentified_case("77")
    both = [Candidate("77", RIC, 0.97, {"name": "same"}), Candidate("77", other, 0.91, {})]
    assert queue(store, CLERK, [record], both) == 2
    assert queue(store, CLERK, [record], both) == 0  # queued once
    label(store, book, dt.date(2018, 6, 1))
    assert entries_of(store, RIC) == 0 and accepted_rows(store) == []
    waiting = pending(store, CLERK)
    assert [(w["subject_id"], w["status"]) for w in waiting] == [
        (RIC, "pending"),
        (other, "pending"),
    ]
    review(store, CLERK, waiting[0]["id"], True, "same name, birth year and masked number")
    assert pending(store, CLERK) == []  # the other candidate is rejected with it
    with pytest.raises(LinkageRefused, match="already accepted"):
        review(store, CLERK, waiting[0]["id"], False, "changed my mind")
    [row] = accepted_rows(store)
    assert row["subject"] == RIC and "key" not in row and "id" not in row
    path = tmp_path / "accepted.jsonl"
    path.write_text(json.dumps(row, ensure_ascii=False) + "\n", encoding="utf-8")
    assert ingest_file(store, book, path, "court").count("accepted") == 1
    label(store, book, dt.date(2018, 6, 1))
    assert entries_of(store, RIC) > 0
    with store.connect() as db:
        actions = [(e["action"], e["subject"]) for e in audit_entries(db)
                   if e["action"].startswith("linkage.")]  # fmt: skip
    assert ("linkage.accept", RIC) in actions and ("linkage.reject", other) in actions
    assert actions.count(("linkage.queue", RIC)) == 1


def test_an_agency_sees_and_reviews_only_its_own_candidates(store: Engine) -> None:
    """The same record key from two agencies: two candidates, each seen by its agency alone;
    another agency's candidate is refused exactly as one that does not exist."""
    found = [Candidate("77", RIC, 0.97, {"name": "same"})]
    assert queue(store, CLERK, [unidentified_case("77")], found) == 1
    assert queue(store, TAX_CLERK, [unidentified_case("77")], found) == 1
    [court] = pending(store, CLERK)
    [tax] = pending(store, TAX_CLERK)
    assert (court["source_agency"], tax["source_agency"]) == ("court", "tax")
    assert {w["id"] for w in pending(store, ADMIN)} == {court["id"], tax["id"]}
    with pytest.raises(UnknownCandidate) as foreign:
        review(store, TAX_CLERK, court["id"], True, "not mine to judge")
    with pytest.raises(UnknownCandidate) as missing:
        review(store, TAX_CLERK, 999_999, True, "not mine to judge")
    assert str(foreign.value).replace(str(court["id"]), "N") == str(missing.value).replace(
        "999999", "N"
    )
    review(store, CLERK, court["id"], True, "same name and masked number")
    assert [w["id"] for w in pending(store, TAX_CLERK)] == [tax["id"]]  # its own stays
    with pytest.raises(LinkageRefused, match="agency"):
        queue(store, ADMIN, [unidentified_case("78")], found)  # an admin names the agency


def test_only_agencies_and_admins_review(store: Engine) -> None:
    public = Principal(key_id="p", role="public", name="portal")
    with pytest.raises(LinkageRefused):
        pending(store, public)
    with pytest.raises(LinkageRefused, match="no such candidate"):
        review(store, CLERK, 12345, True, "why not")
    with pytest.raises(LinkageRefused, match="reason"):
        review(store, CLERK, 1, True, " ")


def test_the_cli_links_a_file_and_reviews(tmp_path: Path, store: Engine) -> None:
    from typer.testing import CliRunner

    from socialcredit.cli.main import app

    persons = synthetic_persons(400, seed=9)
    with store.begin() as db:
        db.execute(
            t.subjects.insert(),
            [{"id": code, "kind": "person", "name": name, "region": region}
             for code, name, region in persons],
        )  # fmt: skip
    source = tmp_path / "old-cases.csv"
    lines = ["key,name,id,birth_year,region,category,doc_no"]
    for index, (code, name, region) in enumerate(persons[:20]):
        masked = f"{code[:6]}********{code[14:]}" if index % 2 else ""
        lines.append(
            f"k{index},{name},{masked},{code[6:10]},{region},court.enforcement_case,d{index}"
        )
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    url = store.url.render_as_string(hide_password=False)
    runner = CliRunner()
    result = runner.invoke(app, ["linkage", "run", str(source), "--agency", "court", "--db", url])
    assert result.exit_code == 0, result.output
    waiting = json.loads(runner.invoke(app, ["linkage", "pending", "--db", url, "--json"]).stdout)
    assert {w["source_agency"] for w in waiting} == {"court"}
    truth = {f"k{i}": code for i, (code, _, _) in enumerate(persons[:20])}
    right = [w for w in waiting if truth[w["record_key"]] == w["subject_id"]]
    assert len(right) >= 16 and len(right) == len(waiting)
    accept = ["linkage", "accept", str(right[0]["id"]), "--reason", "checked", "--db", url]
    assert runner.invoke(app, accept).exit_code == 0
    out = tmp_path / "accepted.jsonl"
    assert (
        runner.invoke(app, ["linkage", "accepted", "--out", str(out), "--db", url]).exit_code == 0
    )
    [row] = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert row["subject"] == right[0]["subject_id"] and row["doc_no"].startswith("d")
