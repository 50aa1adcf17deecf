"""Reasons computed in SQL: only where SQL writes each value as Python does; the rest are
filled in Python (the differential tests compare the text itself)."""

from __future__ import annotations

from pathlib import Path

import duckdb
from sqlglot import exp

from socialcredit.batch.reasons import reason_sql
from socialcredit.core.engine.lists import reason_pieces
from socialcredit.services.packs.rulebook import load_book

PACKS = Path(__file__).resolve().parents[1] / "packs"


def test_reasons_naming_dates_or_numbers_are_left_to_python() -> None:
    book = load_book(None, PACKS)
    in_sql, in_python = 0, 0
    for rules in book.lists.values():
        for rule in rules:
            types = {name: t.base for name, t in book.categories[rule.category][2].items()}
            named = [p for _, p in reason_pieces(rule.version.reason) if p is not None]
            unsure = any(
                scope != rule.alias or types.get(f, "date") in ("date", "money", "decimal", "bool")
                for scope, f in named
                if f not in ("subject", "category", "agency", "doc_no")
            )
            query = reason_sql(rule, book)
            is_null = isinstance(query, exp.Cast) and isinstance(query.this, exp.Null)
            assert is_null == unsure, rule.version.reason
            in_sql, in_python = in_sql + (not unsure), in_python + unsure
    assert in_sql and in_python  # both paths are exercised by the packs


def test_a_reason_in_sql_writes_nulls_as_question_marks() -> None:
    book = load_book(("cn-judgment-defaulters",), PACKS)
    rule = book.lists["dishonest-judgment-debtors"][0]
    con = duckdb.connect()
    con.execute("CREATE TABLE r (doc_no VARCHAR, court VARCHAR, ground VARCHAR)")
    con.execute("INSERT INTO r VALUES ('(2019) 京01执123号', NULL, 'evades')")
    found = con.execute(f"SELECT {reason_sql(rule, book).sql('duckdb')} FROM r").fetchone()
    assert found is not None
    assert "(2019) 京01执123号 (?)" in found[0] and found[0].endswith(": evades.")
