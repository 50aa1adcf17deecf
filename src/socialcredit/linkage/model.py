"""Probabilistic record linkage with splink on DuckDB: records that carry no usable identity
number (older court data: a name, a masked or missing number, a birth year, a region) linked
to the persons of the store.

Both sides are reduced to the same columns: the name (NFKC, spaces removed), the visible head
of the identity number (its six-digit division code), its visible tail (the last four
characters, which masked numbers keep), the birth year and the region (a division code).
The Fellegi-Sunter model compares the name (exact, one edit apart), the tail, the birth year
and the region (same county, prefecture, province); u is estimated by random sampling, m by
expectation maximisation blocked on the birth year and on the name. Candidates above a
threshold go to the review queue (``services.linkage``): a match is never used unreviewed.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import duckdb
import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import Linker, SettingsCreator, block_on
from splink.backends.duckdb import DuckDBAPI

COLUMNS = ("unique_id", "name", "id_head", "id_tail", "birth_year", "region")
MASKED = re.compile(r"^(?P<head>\d{6})?[*xX#?\d]*?(?P<tail>\d{3}[\dXx])?$")
THRESHOLD = 0.9


@dataclass(frozen=True)
class LinkRow:
    """One side of a comparison: a record without identifier, or a person of the store."""

    unique_id: str
    name: str | None
    id_head: str | None
    id_tail: str | None
    birth_year: int | None
    region: str | None

    def values(self) -> tuple[Any, ...]:
        return (self.unique_id, self.name, self.id_head, self.id_tail, self.birth_year,
                self.region)  # fmt: skip


@dataclass(frozen=True)
class Candidate:
    """A record, the person it may be, the model's probability and the levels compared."""

    record: str
    subject: str
    probability: float
    levels: dict[str, str]


def clean_name(name: str | None) -> str | None:
    if not name:
        return None
    text = "".join(unicodedata.normalize("NFKC", name).split())
    return text or None


def masked_parts(code: str | None) -> tuple[str | None, str | None]:
    """(head, tail) an identity number shows: ``110105********002X`` -> (110105, 002X)."""
    text = "".join(unicodedata.normalize("NFKC", code or "").split()).upper()
    if len(text) != 18:
        return None, None
    head, tail = text[:6], text[14:]
    return (head if head.isdigit() else None), (tail if re.fullmatch(r"\d{3}[\dX]", tail) else None)


def person_row(code: str, name: str | None, region: str | None) -> LinkRow:
    """A person of the store: every column known from the resident ID number."""
    return LinkRow(code, clean_name(name), code[:6], code[14:], int(code[6:10]), region or code[:6])


def record_row(
    key: str, name: str | None, code: str | None, birth_year: int | None, region: str | None
) -> LinkRow:
    """A record without a usable identifier, as its file gives it."""
    head, tail = masked_parts(code)
    return LinkRow(key, clean_name(name), head, tail, birth_year, region or head)


def _settings() -> SettingsCreator:
    region = cl.CustomComparison(
        output_column_name="region",
        comparison_levels=[
            cll.NullLevel("region"),
            cll.ExactMatchLevel("region"),
            cll.CustomLevel('substr("region_l", 1, 4) = substr("region_r", 1, 4)', "prefecture"),
            cll.CustomLevel('substr("region_l", 1, 2) = substr("region_r", 1, 2)', "province"),
            cll.ElseLevel(),
        ],
    )
    return SettingsCreator(
        link_type="link_only",
        comparisons=[
            cl.LevenshteinAtThresholds("name", [1]),
            cl.ExactMatch("id_tail"),
            cl.ExactMatch("birth_year"),
            region,
        ],
        blocking_rules_to_generate_predictions=[
            block_on("name"),
            block_on("birth_year", "id_tail"),
            block_on("birth_year", "region"),
        ],
        retain_intermediate_calculation_columns=True,
    )


def link(
    records: Sequence[LinkRow], persons: Sequence[LinkRow], threshold: float = THRESHOLD,
    seed: int = 1,
) -> list[Candidate]:  # fmt: skip
    """Train on the two tables and return every candidate pair at or above ``threshold``,
    the most probable first."""
    logging.getLogger("splink").setLevel(logging.WARNING)
    con = duckdb.connect()
    try:
        _table(con, "records", records)
        _table(con, "persons", persons)
        api = DuckDBAPI(connection=con)
        tables = [api.register("records"), api.register("persons")]
        linker = Linker(tables, _settings(), log_level=logging.WARNING)
        training = linker.training
        training.estimate_probability_two_random_records_match(
            [block_on("name", "birth_year")], recall=0.7
        )
        training.estimate_u_using_random_sampling(max_pairs=2e5, seed=seed)
        training.estimate_parameters_using_expectation_maximisation(block_on("birth_year"))
        training.estimate_parameters_using_expectation_maximisation(block_on("name"))
        found = linker.inference.predict(threshold_match_probability=threshold)
        return _candidates(con, found.physical_name)
    finally:
        con.close()


def _table(con: duckdb.DuckDBPyConnection, name: str, rows: Iterable[LinkRow]) -> None:
    con.execute(
        f"CREATE TABLE {name} (unique_id VARCHAR, name VARCHAR, id_head VARCHAR, "
        "id_tail VARCHAR, birth_year INTEGER, region VARCHAR)"
    )
    values = [row.values() for row in rows]
    if values:
        con.executemany(f"INSERT INTO {name} VALUES (?, ?, ?, ?, ?, ?)", values)


LEVELS = ("name", "id_tail", "birth_year", "region")


def _candidates(con: duckdb.DuckDBPyConnection, table: str) -> list[Candidate]:
    gammas = ", ".join(f"gamma_{c}" for c in LEVELS)
    query = (
        f"SELECT unique_id_l, unique_id_r, match_probability, {gammas} FROM {table} "
        "ORDER BY match_probability DESC, unique_id_l, unique_id_r"
    )
    found = []
    for row in con.execute(query).fetchall():
        levels = {c: _level(c, g) for c, g in zip(LEVELS, row[3:], strict=True)}
        found.append(Candidate(row[0], row[1], float(row[2]), levels))
    return found


def _level(column: str, gamma: int) -> str:
    """The comparison level in words (splink's gamma: -1 null, highest the closest)."""
    if gamma == -1:
        return "missing"
    words = {
        "name": {2: "same", 1: "one character apart", 0: "different"},
        "region": {3: "same county", 2: "same prefecture", 1: "same province", 0: "different"},
    }.get(column, {1: "same", 0: "different"})
    return words.get(gamma, str(gamma))
