"""Parser of the rule language: text to AST, by recursive descent.

Precedence, loosest first: ``x when c else y``; ``or``; ``and``; ``not``; comparisons,
``is [not] null`` and ``[not] in [...]``; ``+ -``; ``* /``; unary ``-``.

>>> parse("case.performed_on is null and not case.security_sufficient")  # doctest: +ELLIPSIS
Binary(op='and', left=IsNull(...), right=Unary(op='not', ...))
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from socialcredit.core.errors import RuleSyntaxError
from socialcredit.core.rules.ast import (
    COMPARISONS,
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
from socialcredit.core.rules.functions import arity_problem

KEYWORDS = {"and", "or", "not", "is", "in", "when", "else", "true", "false", "null", "never"}
_TOKEN = re.compile(
    r"\s*(?:(?P<number>\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|(?P<string>'(?:[^'\\]|\\.)*')"
    r"|(?P<name>[A-Za-z_][A-Za-z0-9_]*)|(?P<op>==|!=|<=|>=|[<>+\-*/().,\[\]]))"
)


@dataclass(frozen=True, slots=True)
class Token:
    kind: str  # number, string, name, op, end
    text: str
    position: int


def tokenize(source: str) -> list[Token]:
    tokens, position = [], 0
    while position < len(source):
        if source[position:].strip() == "":
            break
        match = _TOKEN.match(source, position)
        if match is None or match.lastgroup is None:
            at = len(source) - len(source[position:].lstrip())
            raise RuleSyntaxError(source, at, f"unexpected character {source[at]!r}")
        kind = match.lastgroup
        tokens.append(Token(kind, match.group(kind), match.start(kind)))
        position = match.end()
    tokens.append(Token("end", "", len(source)))
    return tokens


def parse(source: str) -> Node:
    """Parse an expression; raise RuleSyntaxError with the column at fault."""
    return _Parser(source).parse()


class _Parser:
    def __init__(self, source: str) -> None:
        self.source = source
        self.tokens = tokenize(source)
        self.index = 0

    # -- token helpers
    @property
    def current(self) -> Token:
        return self.tokens[self.index]

    def at(self, *texts: str) -> bool:
        token = self.current
        return token.kind in ("op", "name") and token.text in texts

    def advance(self) -> Token:
        token = self.current
        self.index += 1
        return token

    def expect(self, text: str) -> Token:
        if not self.at(text):
            self.fail(f"expected {text!r}")
        return self.advance()

    def fail(self, message: str, token: Token | None = None) -> None:
        token = token or self.current
        found = f"found {token.text!r}" if token.kind != "end" else "the expression ended"
        raise RuleSyntaxError(self.source, token.position, f"{message}, {found}")

    # -- grammar
    def parse(self) -> Node:
        node = self.conditional()
        if self.current.kind != "end":
            self.fail("expected an operator or the end of the expression")
        return node

    def conditional(self) -> Node:
        then = self.disjunction()
        if not self.at("when"):
            return then
        self.advance()
        condition = self.disjunction()
        self.expect("else")
        return Cond(then, condition, self.conditional())

    def disjunction(self) -> Node:
        node = self.conjunction()
        while self.at("or"):
            self.advance()
            node = Binary("or", node, self.conjunction())
        return node

    def conjunction(self) -> Node:
        node = self.negation()
        while self.at("and"):
            self.advance()
            node = Binary("and", node, self.negation())
        return node

    def negation(self) -> Node:
        if self.at("not"):
            self.advance()
            return Unary("not", self.negation())
        return self.comparison()

    def comparison(self) -> Node:
        left = self.additive()
        if self.at(*COMPARISONS):
            op = self.advance().text
            return Binary(op, left, self.additive())
        if self.at("is"):
            self.advance()
            negated = self.at("not")
            if negated:
                self.advance()
            if not self.at("null", "never"):
                self.fail("expected 'null' after 'is'")
            self.advance()
            return IsNull(left, negated)
        if self.at("in") or (self.at("not") and self._next_is("in")):
            negated = self.advance().text == "not"
            if negated:
                self.advance()
            return In(left, self.literal_list(), negated)
        return left

    def _next_is(self, text: str) -> bool:
        following = self.tokens[self.index + 1]
        return following.kind == "name" and following.text == text

    def literal_list(self) -> tuple[Literal, ...]:
        self.expect("[")
        options = [self.literal_option()]
        while self.at(","):
            self.advance()
            options.append(self.literal_option())
        self.expect("]")
        return tuple(options)

    def literal_option(self) -> Literal:
        start = self.current
        node = self.unary()
        if not isinstance(node, Literal):
            self.fail("the options of 'in' must be literals", start)
        assert isinstance(node, Literal)
        return node

    def additive(self) -> Node:
        node = self.multiplicative()
        while self.at("+", "-"):
            op = self.advance().text
            node = Binary(op, node, self.multiplicative())
        return node

    def multiplicative(self) -> Node:
        node = self.unary()
        while self.at("*", "/"):
            op = self.advance().text
            node = Binary(op, node, self.unary())
        return node

    def unary(self) -> Node:
        if self.at("-"):
            self.advance()
            if self.current.kind == "number":  # a negative number, not an operator
                return Literal(-_number(self.advance().text))
            return Unary("-", self.unary())
        return self.primary()

    def primary(self) -> Node:
        token = self.current
        if token.kind == "number":
            self.advance()
            return Literal(_number(token.text))
        if token.kind == "string":
            self.advance()
            return Literal(_unquote(token.text))
        if self.at("("):
            self.advance()
            node = self.conditional()
            self.expect(")")
            return node
        if token.kind == "name":
            return self.name()
        self.fail("expected a value, a name or '('")
        raise AssertionError  # unreachable: fail() raises

    def name(self) -> Node:
        token = self.advance()
        constants: dict[str, Literal] = {
            "true": Literal(True),
            "false": Literal(False),
            "null": Literal(None),
            "never": Literal(None),
        }
        if token.text in constants:
            return constants[token.text]
        if token.text in KEYWORDS:
            self.fail("expected a value", token)
        if self.at("("):
            return self.call(token)
        parts = [token.text]
        while self.at("."):
            self.advance()
            part = self.advance()
            if part.kind != "name" or part.text in KEYWORDS:
                self.fail("expected a name after '.'", part)
            parts.append(part.text)
        return Ref(tuple(parts))

    def call(self, name: Token) -> Node:
        self.expect("(")
        args: list[Node] = []
        if not self.at(")"):
            args.append(self.conditional())
            while self.at(","):
                self.advance()
                args.append(self.conditional())
        self.expect(")")
        if name.text == "date":
            return _date_literal(self.source, name, args)
        if problem := arity_problem(name.text, len(args)):
            raise RuleSyntaxError(self.source, name.position, problem)
        return Call(name.text, tuple(args))


def _number(text: str) -> int | float:
    return float(text) if "." in text or "e" in text.lower() else int(text)


def _unquote(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text[1:-1])


def _date_literal(source: str, name: Token, args: list[Node]) -> Literal:
    if len(args) != 1 or not isinstance(args[0], Literal) or not isinstance(args[0].value, str):
        raise RuleSyntaxError(source, name.position, "date() takes one 'YYYY-MM-DD' string")
    try:
        return Literal(dt.date.fromisoformat(args[0].value))
    except ValueError:
        raise RuleSyntaxError(source, name.position, f"no such date {args[0].value!r}") from None
