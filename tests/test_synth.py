"""The synthetic nation: deterministic, valid where it means to be, invalid where it says so."""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from faker.providers.person.zh_CN import Provider as PersonNames
from stdnum.cn import ric, uscc

from socialcredit.synth import NationSummary, generate_nation
from socialcredit.synth.cases import GROUNDS
from socialcredit.synth.people import make_ric
from socialcredit.synth.regions import regions

SMALL_PERSONS, SMALL_ORGS = 300, 60
ADULT = 18
REGISTRATION = "samr-registration.csv"
ENFORCEMENT = "court-enforcement.csv"
ENVELOPE = ["subject", "name", "category", "doc_no", "decided_on", "status", "status_date"]
RELATIONS = ("legal_representative", "principal", "actual_controller")


def small_nation(
    folder: Path, seed: int = 11, progress: Callable[[int], None] | None = None
) -> NationSummary:
    return generate_nation(folder, SMALL_PERSONS, SMALL_ORGS, seed=seed, progress=progress)


def feed_files(folder: Path) -> list[str]:
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    return [item["file"] for item in manifest["files"]]


def rows(folder: Path, name: str) -> list[dict[str, str]]:
    with (folder / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def valid_code(code: str) -> bool:
    return bool(ric.is_valid(code) or uscc.is_valid(code))


def iso_date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def defects(row: dict[str, str]) -> list[str]:
    """Every defect of a row, named as the generator counts them."""
    found = []
    subject = row["subject"]
    if len(subject) != 18:
        found.append("wrong_length")
    elif not valid_code(subject):
        found.append("bad_check_character")
    if "ground" in row and row["ground"] not in GROUNDS:
        found.append("unknown_ground")
    if iso_date(row["decided_on"]) is None:
        found.append("malformed_date")
    if row.get("amount_due", "0").startswith("-"):
        found.append("negative_amount")
    if not row["doc_no"]:
        found.append("missing_doc_no")
    return found


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, NationSummary]:
    folder = tmp_path_factory.mktemp("small")
    return folder, small_nation(folder)


@pytest.fixture(scope="module")
def medium(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, NationSummary]:
    folder = tmp_path_factory.mktemp("medium")
    return folder, generate_nation(folder, persons=20_000, orgs=2_000, seed=7)


def test_same_seed_and_sizes_give_the_same_bytes(
    tmp_path: Path, small: tuple[Path, NationSummary]
) -> None:
    folder, summary = small
    again = small_nation(tmp_path / "again")
    for first, second in zip(summary.files, again.files, strict=True):
        assert first.name == second.name
        assert first.read_bytes() == second.read_bytes()
    other = small_nation(tmp_path / "other", seed=12)
    assert (folder / ENFORCEMENT).read_bytes() != other.files[1].read_bytes()


def test_manifest_lists_the_feeds_in_ingestion_order(small: tuple[Path, NationSummary]) -> None:
    folder, summary = small
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["files"][:2] == [
        {"file": REGISTRATION, "agency": "samr", "category": "market.registration"},
        {"file": ENFORCEMENT, "agency": "court", "category": "court.enforcement_case"},
    ]
    assert len({item["file"] for item in manifest["files"]}) == len(manifest["files"])
    assert (manifest["seed"], manifest["persons"], manifest["orgs"]) == (11, 300, 60)
    assert [path.name for path in summary.files] == [*feed_files(folder), "manifest.json"]
    assert manifest["counts"]["invalid_rows"] == summary.invalid_rows
    assert json.loads(json.dumps(summary.as_dict()))["cases"] == summary.cases


def test_feeds_have_the_envelope_then_the_fields(small: tuple[Path, NationSummary]) -> None:
    folder, _ = small
    registration = rows(folder, REGISTRATION)
    enforcement = rows(folder, ENFORCEMENT)
    assert list(registration[0]) == [*ENVELOPE, *RELATIONS]
    assert list(enforcement[0])[: len(ENVELOPE)] == ENVELOPE
    assert {r["category"] for r in registration} == {"market.registration"}
    assert {r["category"] for r in enforcement} == {"court.enforcement_case"}
    assert all(r["court"].endswith("人民法院") for r in enforcement)


@pytest.mark.parametrize("nation", ["small", "medium"])
def test_codes_are_valid_except_in_the_counted_invalid_rows(
    nation: str, request: pytest.FixtureRequest
) -> None:
    folder, summary = request.getfixturevalue(nation)
    kinds: Counter[str] = Counter()
    for feed in feed_files(folder):
        for row in rows(folder, feed):
            found = defects(row)
            assert len(found) <= 1, row
            kinds.update(found)
            for role in RELATIONS:
                assert not row.get(role) or ric.is_valid(row[role]), row
    assert kinds or nation == "small", "a nation of this size should have some invalid rows"
    assert {kind: count for kind, count in summary.invalid_rows.items() if count} == dict(kinds)


def test_every_invalid_kind_occurs_and_is_rare(medium: tuple[Path, NationSummary]) -> None:
    folder, summary = medium
    total = sum(len(rows(folder, feed)) for feed in feed_files(folder))
    assert sum(1 for count in summary.invalid_rows.values() if count) >= 4, summary.invalid_rows
    assert 0.004 < sum(summary.invalid_rows.values()) / total < 0.012


def test_status_rows_follow_their_case(small: tuple[Path, NationSummary]) -> None:
    folder, summary = small
    cases: dict[str, dict[str, str]] = {}
    updates = 0
    for row in rows(folder, ENFORCEMENT):
        if defects(row):
            continue
        if row["status"] == "active":
            assert row["doc_no"] not in cases, "a case number is given twice"
            cases[row["doc_no"]] = row
            continue
        case = cases[row["doc_no"]]
        assert row["status"] in ("performed", "revoked")
        assert {k: v for k, v in row.items() if k not in ("status", "status_date")} == {
            k: v for k, v in case.items() if k not in ("status", "status_date")
        }
        assert row["decided_on"] < row["status_date"] <= "2025-12-31"
        updates += 1
    assert (len(cases), updates) == (summary.cases, summary.status_updates)


def test_progress_counts_every_row(tmp_path: Path) -> None:
    steps: list[int] = []
    small_nation(tmp_path, seed=3, progress=steps.append)
    written = sum(len(rows(tmp_path, feed)) for feed in feed_files(tmp_path))
    assert sum(steps) == written


def test_every_organisation_has_an_adult_legal_representative(
    medium: tuple[Path, NationSummary],
) -> None:
    folder, summary = medium
    valid = [r for r in rows(folder, REGISTRATION) if not defects(r)]
    assert len(valid) == summary.orgs
    assert len({r["subject"] for r in valid}) == summary.orgs
    for row in valid:
        birth = ric.get_birth_date(row["legal_representative"])
        assert _age(birth, dt.date.fromisoformat(row["decided_on"])) >= ADULT
    representatives = Counter(r["legal_representative"] for r in valid)
    assert max(representatives.values()) > 1, "someone should represent several organisations"


def test_rates_roughly_hold(medium: tuple[Path, NationSummary]) -> None:
    folder, summary = medium
    valid = [r for r in rows(folder, ENFORCEMENT) if not defects(r)]
    cases = [r for r in valid if r["status"] == "active"]
    persons = {r["subject"] for r in cases if ric.is_valid(r["subject"])}
    orgs = {r["subject"] for r in cases if uscc.is_valid(r["subject"])}
    assert 0.01 < len(persons) / summary.persons < 0.03
    assert 0.03 < len(orgs) / summary.orgs < 0.07
    minors = [r for r in cases if r["subject"] in persons and _age_at_case(r) < ADULT]
    assert 0 < len(minors) < 0.05 * len(cases)
    statuses = Counter(r["status"] for r in valid)
    assert 0.25 < statuses["performed"] / len(cases) < 0.5
    assert statuses["revoked"] > 0
    grounds = Counter(r["ground"] for r in cases)
    assert grounds.most_common(1)[0][0] == "refuses_with_ability"
    assert set(grounds) == set(GROUNDS)
    assert not any(
        r["aggravated"] == "true" for r in cases if r["ground"] == "refuses_with_ability"
    )


def test_names_match_the_sex_digit(medium: tuple[Path, NationSummary]) -> None:
    folder, _ = medium
    for row in rows(folder, ENFORCEMENT):
        if defects(row) or not ric.is_valid(row["subject"]):
            continue
        male = int(row["subject"][16]) % 2 == 1
        given = PersonNames.first_names_male if male else PersonNames.first_names_female
        assert row["name"][1:] in given or row["name"][2:] in given, row


def test_every_region_is_valid_from_the_year_it_was_assigned() -> None:
    for region in regions():
        for year in (max(region.since, 1931), 2007):
            if year >= region.since:
                assert ric.is_valid(make_ric(region.code, dt.date(year, 6, 1), 1)), region


def test_bad_arguments_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="persons"):
        generate_nation(tmp_path, persons=0)
    with pytest.raises(ValueError, match="period"):
        generate_nation(tmp_path, start=dt.date(2020, 1, 1), end=dt.date(2019, 1, 1))


def _age(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def _age_at_case(row: dict[str, str]) -> int:
    return _age(ric.get_birth_date(row["subject"]), dt.date.fromisoformat(row["decided_on"]))


CN_LIST_PACKS = (
    "cn-judgment-defaulters",
    "cn-consumption-restrictions",
    "cn-joint-sanctions",
    "cn-enterprise-credit",
    "cn-credit-repair",
    "cn-tax-credit",
)
CN_RATING_PACKS = ("cn-tax-credit", "cn-rongcheng-points")


def test_a_small_nation_reaches_every_chinese_list_and_rating(tmp_path: Path) -> None:
    from socialcredit.services.labelling.run import label_facts
    from socialcredit.services.packs.rulebook import load_book
    from socialcredit.services.records.facts import load_all
    from socialcredit.services.records.ingest import ingest_file
    from socialcredit.store.database import connect, migrate

    feeds = tmp_path / "feeds"
    summary = generate_nation(feeds, persons=3_000, orgs=800, seed=5)
    book = load_book()
    url = f"sqlite:///{tmp_path / 'nation.db'}"
    migrate(url)
    engine = connect(url)
    manifest = json.loads((feeds / "manifest.json").read_text(encoding="utf-8"))
    rejected = 0
    for item in manifest["files"]:
        report = ingest_file(engine, book, feeds / item["file"], item["agency"], item["category"])
        rejected += len(report.rejected)
    assert rejected == sum(summary.invalid_rows.values())
    with engine.connect() as db:
        facts = load_all(db, book)
    days = [dt.date(year, 7, 1) for year in range(2018, 2026)] + [dt.date(2025, 12, 31)]
    listed: set[str] = set()
    rated: set[str] = set()
    for day in days:
        entries, ratings = label_facts(book, facts, day)
        listed |= {entry.list_id for entry in entries}
        rated |= {rating.rating_id for rating in ratings}
    wanted_lists = {list_id for p in CN_LIST_PACKS for list_id in book.packs[p].spec.lists}
    wanted_ratings = {r for p in CN_RATING_PACKS for r in book.packs[p].spec.ratings}
    assert wanted_lists - listed == set()
    assert wanted_ratings - rated == set()
