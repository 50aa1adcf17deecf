"""A malformed pack is refused with an error that names the file, the line and the key.

Each folder under tests/bad_packs/ is a small valid pack with one defect, on the line marked
``<- defect``. The real packs and the example pack of docs/packs.md must load.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from socialcredit.core.errors import PackError
from socialcredit.core.pack.load import find_packs, load_rulebook
from socialcredit.core.scenarios import read_scenario, run_scenario
from socialcredit.services.packs.rulebook import with_requirements

ROOT = Path(__file__).resolve().parents[1]
BAD_PACKS = Path(__file__).resolve().parent / "bad_packs"
MARKER = "<- defect"

# case (folder) -> (the key PackError.key names, a fragment of the message)
CASES: dict[str, tuple[str, str]] = {
    "invalid-yaml": ("", "not valid YAML"),
    "duplicate-key": ("lists.debtors.title", "duplicate key"),
    "unknown-key": ("lists.debtors.versions[0].valid_from", "unknown key"),
    "missing-required-key": ("memoranda.travel-ban.measures[0].effect", "Field required"),
    "wrong-type": ("catalog.court.case.agencies", "valid list"),
    "expression-syntax-error": (
        "lists.debtors.versions[0].include",
        "case.ground == 'fraud' and",
    ),
    "unknown-name": ("lists.debtors.versions[0].include", "case has no field 'amount_due'"),
    "unknown-enum-choice": (
        "lists.debtors.versions[0].include",
        "'theft' is not a choice of case.ground",
    ),
    "unknown-category": ("lists.debtors.versions[0].entry_per", "unknown category 'court.trial'"),
    "unknown-source": (
        "memoranda.travel-ban.measures[0].legal_basis",
        "cites unknown source 'statute'",
    ),
    "unknown-action": ("memoranda.travel-ban.measures[0].actions", "unknown action 'buy_yacht'"),
    "unknown-trigger-list": ("memoranda.travel-ban.trigger.list", "unknown list 'creditors'"),
    "overlapping-versions": ("lists.debtors.versions", "must end (until) on or before 2020-01-01"),
    "bad-duration": ("catalog.court.case.publication_max", "'five years' is not a duration"),
    "id-differs-from-folder": ("id", "'another-pack' differs from its folder"),
    "unknown-field-type": ("catalog.court.case.fields.ground", "unknown field type"),
    "parameter-out-of-range": ("parameters.listing_years", "value 7 from 2020-01-01 is outside"),
    "unknown-function": ("lists.debtors.versions[0].ends", "unknown function decades()"),
    "public-wording-unknown-field": (
        "lists.debtors.versions[0].public",
        "{case.amount} is not a field of the record 'case'",
    ),
    "public-wording-languages-differ": (
        "lists.debtors.versions[0].public",
        "zh and en must fill the same placeholders",
    ),
    "role-held-at-start-for-a-rating": (
        "memoranda.travel-ban",
        "role_held at_start needs a list trigger",
    ),
}


def marked_line(file: Path) -> int:
    """The line number of the one line marked as the defect."""
    lines = file.read_text(encoding="utf-8").splitlines()
    marked = [number for number, line in enumerate(lines, start=1) if MARKER in line]
    assert len(marked) == 1, f"{file}: mark exactly one line with {MARKER!r}"
    return marked[0]


def test_every_fixture_has_a_case() -> None:
    assert sorted(p.name for p in BAD_PACKS.iterdir() if p.is_dir()) == sorted(CASES)


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_pack_is_refused_where_and_why(case: str) -> None:
    folder = BAD_PACKS / case
    key, fragment = CASES[case]

    with pytest.raises(PackError) as caught:
        load_rulebook([folder])

    error = caught.value
    assert error.file.endswith("pack.yaml")
    assert Path(error.file).parent.name == case
    assert error.line == marked_line(folder / "pack.yaml"), str(error)
    assert error.key == key, str(error)
    assert key in str(error)
    assert fragment in str(error)
    assert str(error).startswith(f"{error.file}:{error.line}: ")


@pytest.mark.parametrize("case", sorted(set(CASES) - {"id-differs-from-folder"}))
def test_fixture_folder_is_named_after_its_pack(case: str) -> None:
    text = (BAD_PACKS / case / "pack.yaml").read_text(encoding="utf-8")
    assert re.search(rf"^id: {re.escape(case)}$", text, re.MULTILINE)


def test_real_packs_load() -> None:
    folders = find_packs(ROOT / "packs")
    assert {f.name for f in folders} >= {"cn-judgment-defaulters", "cn-registration"}
    book = load_rulebook(folders)
    assert set(book.packs) == {f.name for f in folders}
    assert "dishonest-judgment-debtors" in book.lists
    for folder in folders:  # each pack with the packs it requires
        load_rulebook(with_requirements([folder.name], ROOT / "packs"))


def _between_markers(text: str, name: str) -> str:
    """The fenced code block between ``<!-- name -->`` and ``<!-- /name -->``."""
    found = re.search(rf"<!-- {name} -->(.*?)<!-- /{name} -->", text, re.DOTALL)
    assert found, f"docs/packs.md has no <!-- {name} --> block"
    block = re.search(r"```ya?ml\n(.*?)```", found.group(1), re.DOTALL)
    assert block, f"the <!-- {name} --> block of docs/packs.md has no ```yaml fence"
    return block.group(1)


def test_example_pack_of_the_docs_loads_and_its_scenario_passes(tmp_path: Path) -> None:
    docs = (ROOT / "docs" / "packs.md").read_text(encoding="utf-8")
    pack_text = _between_markers(docs, "example-pack")
    pack_id = re.search(r"^id: (\S+)$", pack_text, re.MULTILINE)
    assert pack_id, "the example pack has no id"
    folder = tmp_path / pack_id.group(1)
    (folder / "scenarios").mkdir(parents=True)
    (folder / "pack.yaml").write_text(pack_text, encoding="utf-8")
    scenario_file = folder / "scenarios" / "01-example.yaml"
    scenario_file.write_text(_between_markers(docs, "example-scenario"), encoding="utf-8")

    book = load_rulebook([folder])
    scenario = read_scenario(scenario_file)

    assert scenario.packs == (pack_id.group(1),)
    assert run_scenario(book, scenario) == []
