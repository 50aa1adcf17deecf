"""Identifiers: generated resident ID numbers and USCCs are accepted, any typo is refused.

The strategies ``resident_ids`` and ``unified_codes`` are also used by the engine's
property tests (tests/test_engine_properties.py).
"""

from __future__ import annotations

import datetime as dt
import string

import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st
from stdnum.cn import ric, uscc
from stdnum.exceptions import ValidationError

from socialcredit.core.access import mask_id
from socialcredit.core.errors import InvalidIdentifier
from socialcredit.core.identifiers import USCC_ALPHABET, is_valid_id, parse_id

# -- strategies ---------------------------------------------------------------------------

# Real administrative division codes. python-stdnum knows when each code was in use and
# accepts a code only for people born while it was; REGION_YEARS keeps, for each code, the
# birth years (1900-2025) for which it is accepted.
REGION_CANDIDATES = (
    "110101", "110102", "110105", "110106", "110108", "120101", "120102", "130102",
    "130104", "140105", "150102", "210102", "220102", "230102", "310101", "310104",
    "310105", "310106", "310115", "320102", "330102", "340102", "350102", "360102",
    "360426", "370102", "410102", "420102", "430102", "440103", "440104", "440305",
    "450102", "460105", "500101", "510104", "520102", "530102", "540102", "610102",
    "620102", "630102", "640104", "650102",
)  # fmt: skip
FIRST_YEAR, LAST_YEAR = 1900, 2025


def with_check_digit(body: str) -> str:
    """A 17-digit body and its check digit (stdnum wants the number with a check slot)."""
    return body + ric.calc_check_digit(body + "X")


def _region_known(region: str, year: int) -> bool:
    try:
        ric.get_birth_place(with_check_digit(f"{region}{year}0101001"))
    except ValidationError:
        return False
    return True


REGION_YEARS: dict[str, tuple[int, ...]] = {
    region: years
    for region in REGION_CANDIDATES
    if (years := tuple(y for y in range(FIRST_YEAR, LAST_YEAR + 1) if _region_known(region, y)))
}
assert len(REGION_YEARS) >= 40, "the sample of real region codes has shrunk"
assert all(len(REGION_YEARS[r]) == LAST_YEAR - FIRST_YEAR + 1 for r in ("110105", "310101"))


@st.composite
def resident_ids(
    draw: st.DrawFn,
    born_from: dt.date = dt.date(FIRST_YEAR, 1, 1),
    born_until: dt.date = dt.date(LAST_YEAR, 12, 31),
) -> str:
    """A valid resident ID number of someone born between the two dates (inclusive)."""

    def possible(years: tuple[int, ...]) -> list[int]:
        return [y for y in years if born_from.year <= y <= born_until.year]

    region = draw(st.sampled_from(sorted(r for r, ys in REGION_YEARS.items() if possible(ys))))
    years = possible(REGION_YEARS[region])
    year = draw(st.sampled_from(years))
    birth = draw(
        st.dates(max(born_from, dt.date(year, 1, 1)), min(born_until, dt.date(year, 12, 31)))
    )
    sequence = draw(st.integers(0, 999))
    return with_check_digit(f"{region}{birth:%Y%m%d}{sequence:03d}")


@st.composite
def unified_codes(draw: st.DrawFn) -> str:
    """A valid Unified Social Credit Code: 8 digits, 9 code characters, a check character."""
    head = draw(st.text(string.digits, min_size=8, max_size=8))
    organisation = draw(st.text(USCC_ALPHABET, min_size=9, max_size=9))
    body = head + organisation
    return body + uscc.calc_check_digit(body)


@st.composite
def spelled(draw: st.DrawFn, code: str) -> str:
    """The code as a clerk might type it: lower case, with spaces and dashes in between."""
    pieces = []
    for char in code:
        pieces.append(draw(st.sampled_from(["", "", "", " ", "-", "  ", "\t"])))
        pieces.append(char.lower() if draw(st.booleans()) else char)
    pieces.append(draw(st.sampled_from(["", " ", "\n"])))
    return "".join(pieces)


def substitute(code: str, position: int, replacement: str) -> str:
    """The code with the character at ``position`` (0-based, wrapped) replaced."""
    position %= len(code)
    assume(replacement.upper() != code[position])  # also different once normalised
    return code[:position] + replacement + code[position + 1 :]


PRINTABLE_ASCII = st.characters(min_codepoint=32, max_codepoint=126)

# -- the generators are right ---------------------------------------------------------------


@given(resident_ids())
def test_generated_resident_ids_are_valid_for_stdnum(code: str) -> None:
    assert ric.is_valid(code)


@given(unified_codes())
def test_generated_unified_codes_are_valid_for_stdnum(code: str) -> None:
    assert uscc.is_valid(code)


# -- valid codes are accepted and normalised ------------------------------------------------


@given(st.data(), resident_ids())
def test_resident_id_is_accepted_as_a_person_and_normalised(data: st.DataObject, code: str) -> None:
    typed = data.draw(spelled(code))
    for kind in (None, "person"):
        identifier = parse_id(typed, kind)  # type: ignore[arg-type]
        assert identifier.code == code
        assert identifier.kind == "person"
    assert identifier.birth_date == dt.date(int(code[6:10]), int(code[10:12]), int(code[12:14]))
    assert identifier.region == code[:6]
    assert is_valid_id(typed)


@given(st.data(), unified_codes())
def test_unified_code_is_accepted_as_an_organisation_and_normalised(
    data: st.DataObject, code: str
) -> None:
    typed = data.draw(spelled(code))
    identifier = parse_id(typed, "organisation")
    assert identifier.code == code
    assert identifier.kind == "organisation"
    assert identifier.birth_date is None
    assert identifier.region == code[2:8]
    # Without a kind, a USCC is an organisation unless it also happens to be a valid RIC.
    assert parse_id(typed).kind == ("person" if ric.is_valid(code) else "organisation")


# -- any single typo is refused --------------------------------------------------------------


POSITIONS = st.integers(0, 17)
ANY_CHARACTER = st.characters(exclude_categories=["Cs"])


@given(resident_ids(), POSITIONS, PRINTABLE_ASCII)
def test_any_single_substitution_in_a_resident_id_is_refused(
    code: str, position: int, replacement: str
) -> None:
    with pytest.raises(InvalidIdentifier):
        parse_id(substitute(code, position, replacement), "person")


@given(unified_codes(), POSITIONS, PRINTABLE_ASCII)
def test_any_single_substitution_in_a_unified_code_is_refused(
    code: str, position: int, replacement: str
) -> None:
    with pytest.raises(InvalidIdentifier):
        parse_id(substitute(code, position, replacement), "organisation")


@given(unified_codes(), POSITIONS, ANY_CHARACTER)
def test_unicode_substitution_in_a_unified_code_is_refused(
    code: str, position: int, replacement: str
) -> None:
    with pytest.raises(InvalidIdentifier):
        parse_id(substitute(code, position, replacement), "organisation")


@given(resident_ids(), POSITIONS, ANY_CHARACTER)
@example("11010519491231002X", 0, "\uff11")  # full-width 1 for the leading 1: accepted
def test_unicode_substitution_in_a_resident_id_is_refused(
    code: str, position: int, replacement: str
) -> None:
    with pytest.raises(InvalidIdentifier):
        parse_id(substitute(code, position, replacement), "person")


# -- the bugs the unicode property finds, one example each ------------------------------------


def test_full_width_digit_is_refused_or_normalised() -> None:
    try:
        identifier = parse_id("\uff111010519491231002X")
    except InvalidIdentifier:
        return
    assert identifier.code == "11010519491231002X"


def test_superscript_digit_is_refused() -> None:
    with pytest.raises(InvalidIdentifier):
        parse_id("1101051949123100\u00b2X", "person")


def test_arabic_indic_digit_is_refused() -> None:
    with pytest.raises(InvalidIdentifier):
        parse_id("11\u066010519491231002X")


# -- auto-detection of the kind --------------------------------------------------------------


def test_a_typo_in_a_resident_id_can_make_a_valid_unified_code() -> None:
    """Without a kind, parse_id reads 17 digits and a USCC check character as an organisation."""
    code, typo = next(
        (code, body + check)
        for sequence in range(1000)
        if (check := uscc.calc_check_digit(body := f"11010519491231{sequence:03d}")).isdigit()
        and check != (code := with_check_digit(body))[-1]
    )  # a resident ID and the same with another last digit, which makes it a valid USCC
    assert uscc.is_valid(typo) and ric.is_valid(code)
    assert parse_id(typo).kind == "organisation"
    with pytest.raises(InvalidIdentifier, match="check character should be"):
        parse_id(typo, "person")


def test_a_code_valid_both_ways_is_read_as_a_person() -> None:
    both = next(
        code
        for sequence in range(1000)
        if uscc.is_valid(code := with_check_digit(f"11010519491231{sequence:03d}"))
    )
    assert parse_id(both).kind == "person"
    assert parse_id(both, "organisation").kind == "organisation"


# -- the standard test vectors -----------------------------------------------------------------


def test_standard_unified_code() -> None:
    identifier = parse_id("91350100M000100Y43")
    assert (identifier.code, identifier.kind, identifier.region) == (
        "91350100M000100Y43",
        "organisation",
        "350100",
    )


def test_standard_resident_id() -> None:
    identifier = parse_id("11010519491231002x")
    assert (identifier.code, identifier.kind) == ("11010519491231002X", "person")
    assert identifier.birth_date == dt.date(1949, 12, 31)
    assert identifier.region == "110105"
    assert parse_id(" 110105-19491231-002X ").code == "11010519491231002X"


# -- every reason, in words --------------------------------------------------------------------


def reason(code: str, kind: str | None = None) -> str:
    with pytest.raises(InvalidIdentifier) as caught:
        parse_id(code, kind)  # type: ignore[arg-type]
    assert caught.value.code == code
    return caught.value.reason


@pytest.mark.parametrize("kind", [None, "person", "organisation"])
def test_wrong_length(kind: str | None) -> None:
    assert reason("1101051949123100", kind) == (
        "wrong length: 16 characters, an identity number has 18"
    )
    assert reason("", kind).startswith("wrong length: 0 characters")


def test_character_not_allowed_in_a_resident_id() -> None:
    assert reason("110105194912A1002X", "person") == (
        "character 'A' at position 13 is not allowed in a resident ID number"
    )
    assert "position 1 " in reason("X10105194912310020", "person")


def test_character_not_allowed_in_a_unified_code() -> None:
    assert reason("91350100M000100I43", "organisation") == (
        "character 'I' at position 16 is not allowed in a unified social credit code "
        "(I, O, S, V and Z are never used)"
    )
    assert reason("9135010AM000100Y43") == (
        "character 'A' at position 8 is not allowed: positions 3 to 8 of a unified social "
        "credit code (the administrative division) are digits"
    )


def with_uscc_check(body: str) -> str:
    return body + uscc.calc_check_digit(body)


@pytest.mark.parametrize("head", ["Y1", "N2", "A1", "31", "51"])
def test_letters_allowed_for_the_registration_authority_and_class(head: str) -> None:
    """GB 32100-2015: positions 1 and 2 are characters of the code set ("Y" is "other")."""
    code = with_uscc_check(f"{head}110000MA0000001")
    identifier = parse_id(code)
    assert (identifier.code, identifier.kind, identifier.region) == (code, "organisation", "110000")


def test_a_bad_code_of_digits_that_could_be_either_kind_names_both() -> None:
    """17 digits with neither kind's check character and no real birth date: the reason is
    not reported as a resident-ID error alone (it looks at least as much like a USCC)."""
    body = "91350100123456789"
    r_check, u_check = ric.calc_check_digit(body + "0"), uscc.calc_check_digit(body)
    wrong = next(c for c in "0123456789" if c not in (r_check, u_check))
    assert reason(body + wrong) == (
        f"neither a resident ID number (check character should be {r_check}, not {wrong}) "
        f"nor a unified social credit code (check character should be {u_check}, not {wrong})"
    )


def test_a_resident_id_with_a_wrong_check_digit_is_reported_as_a_resident_id() -> None:
    assert reason("110105194912310021") == "check character should be X, not 1"
    with pytest.raises(InvalidIdentifier, match="check character should be X"):
        parse_id("110105194912310021", "person")


def test_check_character() -> None:
    assert reason("110105194912310021") == "check character should be X, not 1"
    assert reason("91350100M000100Y44") == "check character should be 3, not 4"


def test_no_such_birth_date() -> None:
    code = with_check_digit("11010519491331002")
    assert reason(code) == "no such birth date: 1949-13-31"
    assert reason(with_check_digit("11010520230229002")) == "no such birth date: 2023-02-29"
    assert parse_id(with_check_digit("11010520240229002")).birth_date == dt.date(2024, 2, 29)


def test_unknown_region() -> None:
    code = with_check_digit("99999919491231002")
    assert reason(code) == "unknown region: 999999 is not an administrative division code"


def test_region_code_of_a_person_born_before_the_code_table() -> None:
    parse_id(with_check_digit("13010219600101001"), "person")


# -- masking for the public -------------------------------------------------------------------


@given(resident_ids())
def test_a_persons_birth_date_is_masked(code: str) -> None:
    masked = mask_id(code)
    assert masked[:6] == code[:6] and masked[6:14] == "*" * 8 and masked[14:] == code[14:]


@given(unified_codes())
def test_an_organisations_code_is_never_masked(code: str) -> None:
    assume(parse_id(code).kind == "organisation")  # a digits-only USCC may also be a valid RIC
    assert mask_id(code) == code


def test_a_digits_only_uscc_is_shown_whole() -> None:
    assert mask_id("92511402046550091H") == "92511402046550091H"
