"""The rule language: printing and parsing agree, and evaluation follows SQL's meaning."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from socialcredit.core.errors import RuleSyntaxError
from socialcredit.core.rules import compile_expr, parse, to_source
from socialcredit.core.rules.ast import (
    ARITHMETIC,
    COMPARISONS,
    LOGICAL,
    Binary,
    Call,
    Cond,
    In,
    IsNull,
    Literal,
    Node,
    Ref,
    Unary,
)
from socialcredit.core.rules.parser import KEYWORDS

# -- strategies ---------------------------------------------------------------------------

STRING_CHARACTERS = st.one_of(
    st.sampled_from("'\\\"ab _\n\t"),
    st.characters(exclude_categories=["Cs"]),
)
literal_values = st.one_of(
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(STRING_CHARACTERS, max_size=6),
    st.booleans(),
    st.none(),
    st.dates(),
)
literals = literal_values.map(Literal)
names = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,7}", fullmatch=True).filter(
    lambda name: name not in KEYWORDS
)
refs = st.one_of(
    st.tuples(names, names).map(Ref),
    st.just(Ref(("as_of",))),
)
ARITIES = {"years": 1, "months": 1, "days": 1, "age": 2, "days_between": 2}


def _is_number(node: Node) -> bool:
    return isinstance(node, Literal) and type(node.value) in (int, float)


def _prints_unsigned(node: Node) -> bool:
    """A number literal printed without a sign: ``-`` before it would read as a negative literal."""
    return _is_number(node) and not repr(node.value).startswith("-")  # type: ignore[union-attr]


def _extend(children: st.SearchStrategy[Node]) -> st.SearchStrategy[Node]:
    calls = st.one_of(
        *(
            st.tuples(*[children] * arity).map(lambda args, name=name: Call(name, args))
            for name, arity in ARITIES.items()
        ),
        st.lists(children, min_size=1, max_size=3).map(lambda args: Call("coalesce", tuple(args))),
    )
    booleans = st.booleans()
    return st.one_of(
        st.builds(Unary, st.just("not"), children),
        st.builds(Unary, st.just("-"), children.filter(lambda c: not _prints_unsigned(c))),
        st.builds(Binary, st.sampled_from(COMPARISONS + ARITHMETIC + LOGICAL), children, children),
        st.builds(IsNull, children, st.booleans()),
        st.builds(In, children, st.lists(literals, min_size=1, max_size=4).map(tuple), booleans),
        calls,
        st.builds(Cond, children, children, children),
    )


expressions = st.recursive(st.one_of(literals, refs), _extend, max_leaves=16)


def shape(node: Any) -> Any:
    """A node as nested tuples, with each literal's type: True == 1 must not pass for equal."""
    if isinstance(node, Literal):
        value = node.value
        return ("Literal", type(value).__name__, repr(value))
    if dataclasses.is_dataclass(node):
        fields = dataclasses.fields(node)
        return (type(node).__name__, *(shape(getattr(node, f.name)) for f in fields))
    if isinstance(node, tuple):
        return tuple(shape(n) for n in node)
    return node


# -- printing and parsing ------------------------------------------------------------------


@given(expressions)
def test_printed_expression_parses_to_the_same_tree(node: Node) -> None:
    source = to_source(node)
    parsed = parse(source)
    assert shape(parsed) == shape(node), source
    assert to_source(parsed) == source


@given(st.one_of(st.integers(min_value=0), st.floats(min_value=0, allow_infinity=False)))
def test_negated_unsigned_number_round_trips(value: float) -> None:
    node = Unary("-", Literal(value))
    assert parse(to_source(node)) == node


@pytest.mark.parametrize(
    "source",
    [
        "a.x or b.y and c.z",
        "not a.x == 1 and b.y in [1, -2.5, 'it\\'s', null, date('2020-02-29')]",
        "(a.x or b.y) and c.z",
        "a.x - (b.y - c.z) * -d.w",
        "-(-3)",
        "a.x + 1 is not null",
        "a.x not in ['p', 'q']",
        "1 when a.x else 2 when b.y else 3",
        "(1 when a.x else 2) when b.y else 3",
        "coalesce(a.x, a.y, 0) >= years(1) + as_of",
        "age(subject.birth_date, as_of) < parameters.adult_age",
    ],
)
def test_hand_written_expression_prints_back_as_written(source: str) -> None:
    assert to_source(parse(source)) == source


# -- precedence and associativity ---------------------------------------------------------


def ref(dotted: str) -> Ref:
    return Ref(tuple(dotted.split(".")))


def test_and_binds_tighter_than_or() -> None:
    assert parse("a.x or b.y and c.z") == Binary(
        "or", ref("a.x"), Binary("and", ref("b.y"), ref("c.z"))
    )


def test_arithmetic_precedence_and_left_associativity() -> None:
    assert parse("1 - 2 - 3 * 4") == Binary(
        "-", Binary("-", Literal(1), Literal(2)), Binary("*", Literal(3), Literal(4))
    )


def test_not_binds_looser_than_a_comparison() -> None:
    assert parse("not a.x == 1") == Unary("not", Binary("==", ref("a.x"), Literal(1)))


def test_minus_before_a_number_is_a_negative_literal() -> None:
    assert parse("-3") == Literal(-3)
    assert parse("-a.x") == Unary("-", ref("a.x"))
    assert parse("- -3") == Unary("-", Literal(-3))


def test_when_else_chains_to_the_right() -> None:
    assert parse("1 when a.x else 2 when b.y else 3") == Cond(
        Literal(1), ref("a.x"), Cond(Literal(2), ref("b.y"), Literal(3))
    )
    assert parse("never when a.x else a.d + years(1) when b.y else a.d") == Cond(
        Literal(None),
        ref("a.x"),
        Cond(Binary("+", ref("a.d"), Call("years", (Literal(1),))), ref("b.y"), ref("a.d")),
    )


def test_null_and_never_are_the_same_literal() -> None:
    assert parse("never") == parse("null") == Literal(None)


def test_date_literal() -> None:
    assert parse("date('2020-02-29')") == Literal(dt.date(2020, 2, 29))


# -- syntax errors carry the column ------------------------------------------------------


def syntax_error(source: str) -> RuleSyntaxError:
    with pytest.raises(RuleSyntaxError) as caught:
        parse(source)
    assert caught.value.source == source
    assert f"column {caught.value.position + 1}" in str(caught.value)
    return caught.value


@pytest.mark.parametrize(
    ("source", "position", "words"),
    [
        ("a.x == ", 7, "the expression ended"),
        ("a.x ==== 1", 6, "expected a value"),
        ("a.x in [b.y]", 8, "the options of 'in' must be literals"),
        ("a.x in 1", 7, "expected '['"),
        ("a.x == 1)", 8, "expected an operator or the end"),
        ("(a.x == 1", 9, "expected ')'"),
        ("a.x is 1", 7, "expected 'null' after 'is'"),
        ("a.and", 2, "expected a name after '.'"),
        ("a.x # 1", 4, "unexpected character '#'"),
        ("1 when a.x", 10, "expected 'else'"),
        ("'open", 0, "unexpected character"),
        ("and", 0, "expected a value"),
    ],
)
def test_syntax_error_points_at_the_column(source: str, position: int, words: str) -> None:
    error = syntax_error(source)
    assert error.position == position
    assert words in error.message


@pytest.mark.parametrize(
    ("source", "position", "words"),
    [
        ("a.x + foo(1)", 6, "unknown function foo(); the functions are age, coalesce,"),
        ("years(1, 2)", 0, "years() takes 1 argument(s), not 2"),
        ("a.x == age(a.y)", 7, "age() takes 2 argument(s), not 1"),
        ("coalesce()", 0, "coalesce() needs at least one argument"),
        ("date('2021-02-29')", 0, "no such date '2021-02-29'"),
        ("date(a.x)", 0, "date() takes one 'YYYY-MM-DD' string"),
    ],
)
def test_function_errors_point_at_the_name(source: str, position: int, words: str) -> None:
    error = syntax_error(source)
    assert error.position == position
    assert words in error.message


# -- evaluation: SQL three-valued logic ----------------------------------------------------

T, F, N = True, False, None
TRUTH = [T, F, N]


def evaluate(source: str, **fields: Any) -> Any:
    return compile_expr(parse(source))({"a": fields, "as_of": dt.date(2018, 6, 1)})


def kleene_and(x: bool | None, y: bool | None) -> bool | None:
    if x is False or y is False:
        return False
    return None if x is None or y is None else True


def kleene_or(x: bool | None, y: bool | None) -> bool | None:
    if x is True or y is True:
        return True
    return None if x is None or y is None else False


@pytest.mark.parametrize("x", TRUTH)
@pytest.mark.parametrize("y", TRUTH)
def test_and_or_are_kleene(x: bool | None, y: bool | None) -> None:
    assert evaluate("a.x and a.y", x=x, y=y) is kleene_and(x, y)
    assert evaluate("a.x or a.y", x=x, y=y) is kleene_or(x, y)


@pytest.mark.parametrize(("x", "expected"), [(T, F), (F, T), (N, N)])
def test_not(x: bool | None, expected: bool | None) -> None:
    assert evaluate("not a.x", x=x) is expected


@pytest.mark.parametrize(("c", "expected"), [(T, "then"), (F, "else"), (N, "else")])
def test_when_else_takes_the_otherwise_branch_unless_the_condition_is_true(
    c: bool | None, expected: str
) -> None:
    assert evaluate("'then' when a.c else 'else'", c=c) == expected


@pytest.mark.parametrize(
    "source",
    [
        "a.n + 1",
        "1 - a.n",
        "a.n * 2",
        "a.n / 2",
        "-a.n",
        "a.n == a.n",
        "a.n != 1",
        "a.n < 1",
        "1 >= a.n",
        "a.n + years(1)",
        "a.d + years(a.n)",
        "days_between(a.n, as_of)",
        "age(a.n, as_of)",
        "a.n in [1, 2]",
        "a.n not in [1, null]",
    ],
)
def test_null_propagates(source: str) -> None:
    assert evaluate(source, n=None, d=dt.date(2020, 1, 1)) is None


def test_is_null_is_never_null() -> None:
    assert evaluate("a.n is null", n=None) is True
    assert evaluate("a.n is not null", n=None) is False
    assert evaluate("a.n is null", n=0) is False


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("1 in [2, null]", None),
        ("1 in [1, null]", True),
        ("1 not in [2, null]", None),
        ("1 not in [1, null]", False),
        ("1 in [2, 3]", False),
        ("1 not in [2, 3]", True),
        ("null in [null]", None),
        ("'evades' in ['obstructs', 'evades']", True),
    ],
)
def test_in_follows_sql(source: str, expected: bool | None) -> None:
    assert evaluate(source) is expected


def test_coalesce_takes_the_first_value_that_is_not_null() -> None:
    assert evaluate("coalesce(a.n, a.m, 3)", n=None, m=2) == 2
    assert evaluate("coalesce(a.n, a.m)", n=None, m=None) is None
    assert evaluate("coalesce(a.n, 0)", n=False) is False


def test_division_by_zero_is_null() -> None:
    assert evaluate("1 / 0") is None
    assert evaluate("a.n / 0.0", n=5) is None
    assert evaluate("7 / 2") == 3.5


# -- evaluation: dates ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("date('2020-02-29') + years(1)", dt.date(2021, 2, 28)),
        ("date('2020-02-29') + years(4)", dt.date(2024, 2, 29)),
        ("years(2) + date('2020-02-29')", dt.date(2022, 2, 28)),
        ("date('2021-02-28') - years(1)", dt.date(2020, 2, 28)),
        ("date('2020-01-31') + months(1)", dt.date(2020, 2, 29)),
        ("date('2020-12-31') + days(1)", dt.date(2021, 1, 1)),
        ("date('2021-03-01') - date('2020-03-01')", 365),
        ("days_between(date('2020-03-01'), date('2020-02-28'))", -2),
    ],
)
def test_date_arithmetic(source: str, expected: Any) -> None:
    assert evaluate(source) == expected


@pytest.mark.parametrize(
    ("on", "expected"),
    [("2018-05-31", 17), ("2018-06-01", 18), ("2018-06-02", 18), ("2019-05-31", 18)],
)
def test_age_turns_on_the_birthday(on: str, expected: int) -> None:
    assert evaluate(f"age(date('2000-06-01'), date('{on}'))") == expected


def test_age_of_someone_born_on_a_leap_day() -> None:
    assert evaluate("age(date('2000-02-29'), date('2018-02-28'))") == 17
    assert evaluate("age(date('2000-02-29'), date('2018-03-01'))") == 18
