"""$filter text to a syntax tree: tokens, literals and a recursive-descent parser."""

import re
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from core.durations import parse_iso_duration
from core.odata.errors import ODataQueryError

MAX_FILTER_LENGTH = 4096
MAX_DEPTH = 32  # nested parentheses and `not`s
MAX_IN_VALUES = 100
COMPARISONS = ("eq", "ne", "gt", "ge", "lt", "le")
FUNCTIONS = ("startswith", "endswith", "contains")


@dataclass(frozen=True)
class Literal:
    kind: str  # string, guid, datetime, date, number, boolean, null, duration
    value: Any


@dataclass(frozen=True)
class Comparison:
    operator: str  # eq ne gt ge lt le, always read as "property <operator> value"
    property: str
    value: Literal


@dataclass(frozen=True)
class In:
    property: str
    values: tuple[Literal, ...]


@dataclass(frozen=True)
class FunctionCall:
    name: str  # startswith endswith contains
    property: str
    value: Literal


@dataclass(frozen=True)
class And:
    left: Any
    right: Any


@dataclass(frozen=True)
class Or:
    left: Any
    right: Any


@dataclass(frozen=True)
class Not:
    operand: Any


Node = Comparison | In | FunctionCall | And | Or | Not


IDENT = r"[A-Za-z_][A-Za-z0-9_]*"
_TOKEN = re.compile(
    rf"""
    (?P<space>\s+)
  | (?P<duration>duration'(?:[^']|'')*')
  | (?P<string>'(?:[^']|'')*')
  | (?P<guid>[0-9A-Fa-f]{{8}}-[0-9A-Fa-f]{{4}}-[0-9A-Fa-f]{{4}}-[0-9A-Fa-f]{{4}}-[0-9A-Fa-f]{{12}})
        (?![A-Za-z0-9_\-])
  | (?P<datetime>\d{{4}}-\d{{2}}-\d{{2}}T\d{{2}}:\d{{2}}(?::\d{{2}}(?:\.\d{{1,12}})?)?
        (?:Z|[+-]\d{{2}}:\d{{2}})?)(?![A-Za-z0-9_])
  | (?P<date>\d{{4}}-\d{{2}}-\d{{2}})(?![A-Za-z0-9_:\-])
  | (?P<number>-?\d{{1,30}}(?:\.\d{{1,30}})?(?:[eE][+-]?\d{{1,3}})?)(?![A-Za-z0-9_])
  | (?P<path>{IDENT}(?:/{IDENT})*)(?![A-Za-z0-9_])
  | (?P<punct>[(),:])
    """,
    re.VERBOSE | re.ASCII | re.IGNORECASE,
)
_KEYWORDS = {"and", "or", "not", "in", *COMPARISONS}
_CONSTANTS = {"true": Literal("boolean", True), "false": Literal("boolean", False)}
_CONSTANTS["null"] = Literal("null", None)


@dataclass(frozen=True)
class _Token:
    kind: str  # keyword, path, literal, punct, end
    text: str
    position: int
    literal: Literal | None = None


def invalid(detail: str) -> ODataQueryError:
    return ODataQueryError(f"Invalid filter clause: {detail}")


_WANTED = {"end": "the end", "path": "a property"}


def _where(token: _Token) -> str:
    found = f"'{token.text}'" if token.text else "the end of the expression"
    return f"position {token.position}, found {found}"


def _tokenize(text: str) -> list[_Token]:
    tokens, position = [], 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None:
            if text[position] == "'":
                raise invalid(f"unterminated string literal at position {position}.")
            raise invalid(f"syntax error at position {position} in '{text}'.")
        kind, raw = match.lastgroup, match.group()
        if kind == "path" and raw.lower() in _KEYWORDS:
            tokens.append(_Token("keyword", raw.lower(), position))
        elif kind == "path" and raw.lower() in _CONSTANTS:
            tokens.append(_Token("literal", raw, position, _CONSTANTS[raw.lower()]))
        elif kind == "path":
            tokens.append(_Token("path", raw, position))
        elif kind == "punct":
            tokens.append(_Token("punct", raw, position))
        elif kind != "space":
            tokens.append(_Token("literal", raw, position, _literal(kind, raw, position)))
        position = match.end()
    tokens.append(_Token("end", "", position))
    return tokens


def _literal(kind: str, raw: str, position: int) -> Literal:
    if kind == "string":
        return Literal("string", raw[1:-1].replace("''", "'"))
    if kind == "duration":
        value = parse_iso_duration(raw[9:-1].replace("''", "'"))
        if value is None:
            raise invalid(f"invalid duration literal at position {position}.")
        return Literal("duration", value)
    if kind == "guid":
        return Literal("guid", uuid.UUID(raw))
    try:
        if kind == "datetime":
            value = datetime.fromisoformat(raw.upper())
            return Literal("datetime", value if value.tzinfo else value.replace(tzinfo=UTC))
        if kind == "date":
            return Literal("date", date.fromisoformat(raw))
        number = Decimal(raw)
        return Literal("number", int(number) if number == number.to_integral_value() else number)
    except (ValueError, ArithmeticError):
        raise invalid(f"invalid {kind} literal '{raw}' at position {position}.") from None


_FLIPPED = {"eq": "eq", "ne": "ne", "gt": "lt", "ge": "le", "lt": "gt", "le": "ge"}


class _Parser:
    def __init__(self, text: str):
        self.text = text
        self.tokens = _tokenize(text)
        self.index = 0
        self.depth = 0

    def peek(self, offset: int = 0) -> _Token:
        return self.tokens[min(self.index + offset, len(self.tokens) - 1)]

    def take(self) -> _Token:
        token = self.peek()
        self.index += 1
        return token

    def expect(self, kind: str, text: str | None = None) -> _Token:
        token = self.take()
        if token.kind != kind or (text is not None and token.text != text):
            wanted = (
                f"'{text}'"
                if text
                else {"end": "the end", "path": "a property"}.get(kind, "a value")
            )
            raise invalid(f"expected {wanted} at {_where(token)}.")
        return token

    def nested(self):
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise invalid(f"the expression nests more than {MAX_DEPTH} levels deep.")

    def parse(self) -> Node:
        node = self.parse_or()
        self.expect("end")
        return node

    def parse_or(self) -> Node:
        node = self.parse_and()
        while self.peek().kind == "keyword" and self.peek().text == "or":
            self.take()
            node = Or(node, self.parse_and())
        return node

    def parse_and(self) -> Node:
        node = self.parse_unary()
        while self.peek().kind == "keyword" and self.peek().text == "and":
            self.take()
            node = And(node, self.parse_unary())
        return node

    def parse_unary(self) -> Node:
        token = self.peek()
        if token.kind == "keyword" and token.text == "not":
            self.take()
            self.nested()
            node = Not(self.parse_unary())
            self.depth -= 1
            return node
        if token.kind == "punct" and token.text == "(":
            self.take()
            self.nested()
            node = self.parse_or()
            self.expect("punct", ")")
            self.depth -= 1
            return node
        if token.kind == "path" and self.peek(1).kind == "punct" and self.peek(1).text == "(":
            return self.parse_function()
        return self.parse_comparison()

    def parse_function(self) -> Node:
        name_token = self.take()
        name = name_token.text.lower()
        if name.rsplit("/", 1)[-1] in ("any", "all"):
            raise invalid("lambda operators (any, all) are not supported.")
        if name not in FUNCTIONS:
            raise invalid(f"the function '{name_token.text}' is not supported.")
        self.expect("punct", "(")
        prop = self.expect("path").text
        self.expect("punct", ",")
        value = self.expect("literal").literal
        self.expect("punct", ")")
        return FunctionCall(name, prop, value)

    def parse_comparison(self) -> Node:
        left = self.take()
        if left.kind not in ("path", "literal"):
            raise invalid(f"expected a property or a value at {_where(left)}.")
        operator = self.take()
        if operator.kind != "keyword" or operator.text not in (*COMPARISONS, "in"):
            raise invalid(f"expected an operator at {_where(operator)}.")
        if operator.text == "in":
            if left.kind != "path":
                raise invalid(f"'in' needs a property on its left at position {left.position}.")
            return In(left.text, self.parse_list())
        right = self.take()
        if right.kind not in ("path", "literal"):
            raise invalid(f"expected a value at {_where(right)}.")
        if left.kind == "path" and right.kind == "literal":
            return Comparison(operator.text, left.text, right.literal)
        if left.kind == "literal" and right.kind == "path":
            return Comparison(_FLIPPED[operator.text], right.text, left.literal)
        raise invalid(f"compare one property with one value, at position {left.position}.")

    def parse_list(self) -> tuple[Literal, ...]:
        self.expect("punct", "(")
        values = [self.expect("literal").literal]
        while self.peek().kind == "punct" and self.peek().text == ",":
            self.take()
            values.append(self.expect("literal").literal)
            if len(values) > MAX_IN_VALUES:
                raise invalid(f"'in' takes at most {MAX_IN_VALUES} values.")
        self.expect("punct", ")")
        return tuple(values)


def parse_filter(text: str) -> Node:
    """The syntax tree of a $filter expression; ODataQueryError when it is not one."""
    if not isinstance(text, str) or not text.strip():
        raise invalid("the expression is empty.")
    if len(text) > MAX_FILTER_LENGTH:
        raise invalid(f"the expression is longer than {MAX_FILTER_LENGTH} characters.")
    return _Parser(text).parse()
