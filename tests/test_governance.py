"""Governing packs: what core.governance finds in hand-made packs on given dates, the
auditor's governance metric, the errors of a malformed governs: section, and a labelling
run refused (or run anyway) under a governing pack.

tests/governance_packs/tiny-governor governs tests/auditor_packs/tiny-base (see each
file): the 2021 edition catalogues tiny.debt only and lists tiny-memo/no-loans only; the
2022 edition adds tiny.honour and every scrutinise measure; the severe-list rules (from
2020-06-01) want a law or administrative regulation, notice, objection and repair, and
forbid compelling caac.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from socialcredit.core.auditor import audit, load_scales
from socialcredit.core.errors import PackError
from socialcredit.core.governance import governance_findings, governing_packs
from socialcredit.core.pack.load import find_packs, load_rulebook
from socialcredit.core.pack.model import Rulebook
from socialcredit.services.labelling.governance import OutsideCatalogue, check_catalogue
from tests.auditor_helpers import TINY, copy_packs, edit
from tests.conftest import REPO

GOVERNOR = REPO / "tests" / "governance_packs" / "tiny-governor"


def book_of(base: Path = TINY / "tiny-base", governor: Path = GOVERNOR) -> Rulebook:
    return load_rulebook([base, governor])


def kinds_and_items(book: Rulebook, day: dt.date) -> set[tuple[str, str]]:
    return {(f.kind, f.item) for f in governance_findings(book, day)}


def test_nothing_is_found_before_the_first_edition_and_rules() -> None:
    assert kinds_and_items(book_of(), dt.date(2020, 5, 31)) == set()


def test_the_2021_edition_refuses_what_it_does_not_list_from_its_first_day() -> None:
    found = kinds_and_items(book_of(), dt.date(2021, 1, 1))
    assert ("category_outside_catalogue", "tiny.honour") in found
    assert ("category_outside_catalogue", "tiny.debt") not in found
    assert ("measure_outside_penalty_list", "tiny-memo/watch") in found
    assert ("measure_outside_penalty_list", "tiny-memo/no-loans") not in found
    assert ("category_outside_catalogue", "tiny.honour") not in kinds_and_items(
        book_of(), dt.date(2020, 12, 31)
    )


def test_the_2022_edition_accepts_what_it_adds_from_its_first_day() -> None:
    found = kinds_and_items(book_of(), dt.date(2022, 1, 1))
    assert ("category_outside_catalogue", "tiny.honour") not in found
    assert ("measure_outside_penalty_list", "tiny-memo/watch") not in found  # scrutinise
    assert ("measure_outside_penalty_list", "tiny-memo/no-flights") in found
    rewards = {item for kind, item in found if item.startswith("tiny-rewards/")}
    assert rewards == set()  # a reward is not a penalty


def test_a_measure_applied_by_an_agency_that_may_not_be_compelled() -> None:
    found = governance_findings(book_of(), dt.date(2020, 6, 1))
    [compelled] = [f for f in found if f.kind == "compelled_measure"]
    assert compelled.item == "tiny-memo/no-flights"
    assert compelled.legal_basis == "Rules for severe lists (test), art. 4"
    assert compelled.confidence == "S" and compelled.edition == "2020-06-01"


def test_a_severe_list_is_judged_on_basis_fields_and_steps(tmp_path: Path) -> None:
    root = copy_packs(tmp_path)
    edit(
        root,
        "tiny-base",
        "    kind: blacklist\n",
        "    kind: blacklist\n    governance: {severity: severe, fields: [gossip],"
        " basis_level: departmental_rule}\n",
    )
    found = kinds_and_items(book_of(root / "tiny-base"), dt.date(2020, 6, 1))
    severe = {kind for kind, item in found if item == "tiny-blacklist"}
    # the list offers notice and objection, not repair
    assert severe == {"severe_list_basis", "severe_list_field", "severe_list_due_process"}
    found_on = governance_findings(book_of(root / "tiny-base"), dt.date(2020, 6, 1))
    [repair] = [f for f in found_on if f.text.endswith("offers no repair step")]
    assert (repair.legal_basis, repair.confidence) == ("Rules for severe lists (test), art. 3", "S")
    [basis] = [f for f in found_on if f.kind == "severe_list_basis"]
    assert (basis.legal_basis, basis.confidence) == ("Rules for severe lists (test), art. 1", "M")
    assert not kinds_and_items(book_of(root / "tiny-base"), dt.date(2020, 5, 31))


def test_the_auditor_counts_violations_by_kind_and_edition() -> None:
    book = book_of()
    result = audit(book, ["tiny-base"], dt.date(2021, 6, 1), load_scales())
    metric = result.packs[0].as_dict()["governance"]
    assert metric["by_kind"] == {
        "category_outside_catalogue": 1,
        "compelled_measure": 1,
        "measure_outside_penalty_list": 2,
    }
    assert metric["by_edition"] == {"tiny-governor 2021": 3, "tiny-governor 2020-06-01": 1}
    assert metric["violations"] == 4
    governance = [f for f in result.packs[0].findings if f.metric == "governance"]
    assert len(governance) == 4 and max(f.severity for f in governance) == 3


def test_without_a_governing_pack_the_metric_is_zero() -> None:
    result = audit(load_rulebook([TINY / "tiny-base"]), ["tiny-base"], dt.date(2021, 6, 1),
                   load_scales())  # fmt: skip
    assert result.packs[0].as_dict()["governance"]["violations"] == 0


@pytest.mark.parametrize(
    ("old", "new", "key", "message"),
    [
        (
            "      until: 2022-01-01\n",
            "      until: 2022-06-01\n",
            "governs",
            "must end (until) on or before 2022-01-01",
        ),
        ("type: b,", "type: d,", "governs.editions[1].penalty_list[1].type", "'a', 'b' or 'c'"),
        ("basis_levels: [law,", "basis_levels: [statute,", "governs.severe_lists[0]", "law"),
        ("{kind: notice,", "{kind: warning,", "severe_lists[0].required_steps[0].kind", "notice"),
        ("{agencies: [caac],", "{agencies: [],", "not_compelled.agencies", "at least 1"),
        (
            "  jurisdictions: [CN]\n",
            "  jurisdiction: [CN]\n",
            "governs.jurisdictions",
            "Field required",
        ),
    ],
)
def test_a_malformed_governs_section_names_the_file_and_key(
    tmp_path: Path, old: str, new: str, key: str, message: str
) -> None:
    folder = tmp_path / "tiny-governor"
    shutil.copytree(GOVERNOR, folder)
    path = folder / "pack.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")
    with pytest.raises(PackError) as error:
        load_rulebook([folder])
    assert str(path) in str(error.value) and key in str(error.value)
    assert message in str(error.value)


def test_labelling_is_refused_outside_the_catalogue_unless_run_anyway(
    caplog: pytest.LogCaptureFixture,
) -> None:
    book = book_of()
    with pytest.raises(OutsideCatalogue) as refused:
        check_catalogue(book, dt.date(2021, 6, 1))
    assert "tiny.honour" in str(refused.value) and "tiny-memo/watch" in str(refused.value)
    assert len(check_catalogue(book, dt.date(2021, 6, 1), run_anyway=True)) == 3
    assert "ran anyway" in caplog.text
    assert check_catalogue(book, dt.date(2020, 12, 31)) == []  # no edition yet
    assert check_catalogue(load_rulebook([TINY / "tiny-base"]), dt.date(2021, 6, 1)) == []


def test_every_mapping_of_the_real_governing_packs_names_a_real_category_or_measure() -> None:
    """A misspelt category or measure in a catalogue or penalty list would make the thing it
    meant to permit a finding: with every pack loaded, each must exist."""
    book = load_rulebook(find_packs(REPO / "packs"))
    measures = {f"{m.memorandum_id}/{x.id}" for m in book.memoranda for x in m.spec.measures}
    editions = [e for _, rules in governing_packs(book) for e in rules.editions]
    assert editions  # the real governing packs are under packs/
    for edition in editions:
        for item in edition.catalogue or []:
            assert set(item.categories) <= set(book.categories), (edition.edition, item.id)
        for penalty in edition.penalty_list or []:
            assert set(penalty.measures) <= measures, (edition.edition, penalty.id)
