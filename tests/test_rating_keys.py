"""The rating keys added for issue 15 are validated where they are written: after_band
(exactly one effect, known bands and grades) and contagion (roles, or from_roles and
to_roles)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from socialcredit.core.errors import PackError
from socialcredit.core.pack.load import load_rulebook

EXAMPLE = Path(__file__).resolve().parent / "packs" / "example-rating"
CONTAGION = (
    "          - {id: same-representative, grade: D, from_grades: [D], "
    "roles: [legal_representative],\n"
    '             legal_basis: ex art. 7, confidence: "?"}\n'
)


def with_rating_keys(tmp_path: Path, replacement: str) -> Path:
    folder = tmp_path / "example-rating"
    shutil.copytree(EXAMPLE, folder)
    pack = folder / "pack.yaml"
    text = pack.read_text(encoding="utf-8")
    assert CONTAGION in text
    pack.write_text(text.replace(CONTAGION, replacement), encoding="utf-8")
    return folder


def refusal(tmp_path: Path, replacement: str) -> PackError:
    with pytest.raises(PackError) as caught:
        load_rulebook([with_rating_keys(tmp_path, replacement)])
    return caught.value


def test_after_band_needs_exactly_one_effect(tmp_path: Path) -> None:
    error = refusal(
        tmp_path,
        CONTAGION
        + """        after_band:
          - {id: held, band: D, years_before: 1, grade: D, at_best: B,
             legal_basis: ex art. 7, confidence: "?"}
""",
    )
    assert "exactly one of points, grade, at_best" in str(error)


def test_after_band_names_a_band(tmp_path: Path) -> None:
    error = refusal(
        tmp_path,
        CONTAGION
        + """        after_band:
          - {id: held, band: E, years_before: 1, grade: D, legal_basis: ex art. 7, confidence: "?"}
""",
    )
    assert error.key.endswith("after_band[0].band") and "'E' is not a band" in str(error)


def test_after_band_points_use_known_names(tmp_path: Path) -> None:
    error = refusal(
        tmp_path,
        CONTAGION
        + """        after_band:
          - {id: extra, band: D, years_before: 1, points: -parameters.nothing,
             legal_basis: ex art. 7, confidence: "?"}
""",
    )
    assert "parameters has no field 'nothing'" in str(error)


def test_contagion_needs_both_sides(tmp_path: Path) -> None:
    error = refusal(
        tmp_path,
        """          - {id: same-representative, grade: D, from_grades: [D],
             from_roles: [directly_responsible_person], legal_basis: ex art. 7, confidence: "?"}
""",
    )
    assert "give roles, or both from_roles and to_roles" in str(error)


def test_contagion_split_roles_load(tmp_path: Path) -> None:
    book = load_rulebook(
        [
            with_rating_keys(
                tmp_path,
                """          - {id: responsible-person, grade: D, from_grades: [D],
             from_roles: [directly_responsible_person], to_roles: [legal_representative],
             started_after_grade: true, legal_basis: ex art. 7, confidence: "?"}
""",
            )
        ]
    )
    rule = book.ratings["ex-grade"][0].version.contagion[0]
    assert rule.source_roles == ["directly_responsible_person"]
    assert rule.target_roles == ["legal_representative"]
    assert rule.started_after_grade
