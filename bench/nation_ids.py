"""Identifiers of the generated nation as DuckDB SQL macros: resident ID numbers (GB 11643,
weights mod 11) and unified social credit codes (GB 32100, weights mod 31, over a GB 11714
organisation code, weights mod 11). Check characters are computed from the numbers' digits
with integer arithmetic, not from strings (about three times faster for a million persons
than summing characters); ``bench_scale`` checks a sample with python-stdnum.

The macros expect ``u``, ``pick``, ``region_of``, ``region_num`` and ``birth_of`` (defined
in ``nation_sql.macros``).
"""

from __future__ import annotations

import nation_shape as shape

from socialcredit.synth.regions import regions

RIC_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = tuple(3**i % 31 for i in range(17))
GB11714_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def _digits(number: str, weights: tuple[int, ...]) -> str:
    """SQL summing the decimal digits of ``number`` (as many as weights, leading zeros
    included) times their weights: check characters from numbers, without strings."""
    size = len(weights)
    return " + ".join(
        f"{w} * ({number} // {10 ** (size - 1 - k)} % 10)" for k, w in enumerate(weights)
    )


def region_codes() -> list[str]:
    """County-level divisions that existed before the oldest birth (stdnum's table)."""
    return [r.code for r in regions() if r.since <= shape.BIRTHS[0].year]


def identifier_macros(n: int) -> list[str]:
    """``person_id(i)`` and ``org_id(j)``: resident ID numbers (GB 11643) and unified social
    credit codes (GB 32100, over a GB 11714 organisation code) with their check characters."""
    w, u = RIC_WEIGHTS, USCC_WEIGHTS
    ric_sum = " + ".join(
        (_digits("region_num(i)", w[:6]), _digits("ymd(i)", w[6:14]), _digits("seq(i)", w[14:]))
    )
    x_value = USCC_ALPHABET.index("X")  # GB 11714's check 10 is "X"; 11 is "0"
    gb_char_value = f"CASE gb_value(j) WHEN 10 THEN {x_value} WHEN 11 THEN 0 ELSE gb_value(j) END"
    uscc_sum = " + ".join(
        (
            f"9 * {u[0]} + org_type(j) * {u[1]}",
            _digits(f"region_num(pick(j, 'org:region', {n}))", u[2:8]),
            _digits("org_number(j)", u[8:16]),
            f"{u[16]} * {gb_char_value}",
        )
    )
    gb_sum = _digits("org_number(j)", GB11714_WEIGHTS)
    return [
        f"CREATE OR REPLACE MACRO seq(i) AS (i // {n}) % 1000",
        "CREATE OR REPLACE MACRO ymd(i) AS CAST(strftime(birth_of(i), '%Y%m%d') AS BIGINT)",
        "CREATE OR REPLACE MACRO person_id(i) AS region_of(i) || ymd(i)::VARCHAR"
        f" || lpad(seq(i)::VARCHAR, 3, '0') || substr('10X98765432', ({ric_sum}) % 11 + 1, 1)",
        # distinct organisations: 48271 is prime to 10**8, so j -> code is one to one
        "CREATE OR REPLACE MACRO org_number(j) AS (j * 48271 + 12345) % 100000000",
        f"CREATE OR REPLACE MACRO gb_value(j) AS 11 - ({gb_sum}) % 11",
        "CREATE OR REPLACE MACRO org_type(j) AS CASE WHEN u(j, 'org:type') < "
        f"{shape.INDIVIDUAL_BUSINESS_SHARE} THEN 2 ELSE 1 END",
        "CREATE OR REPLACE MACRO org_id(j) AS '9' || org_type(j)::VARCHAR"
        f" || region_of(pick(j, 'org:region', {n})) || lpad(org_number(j)::VARCHAR, 8, '0')"
        " || substr('123456789X0', gb_value(j)::BIGINT, 1)"
        f" || substr('{USCC_ALPHABET}', (31 - ({uscc_sum}) % 31) % 31 + 1, 1)",
    ]
