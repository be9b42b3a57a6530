"""Reading what a treasurer types: one quantity, or a pasted order of `KODE JUMLAH` lines.

Quantities (`parse_quantity`) are whole order units written the Indonesian way:

- plain digits: "12", "007";
- thousands grouped by "." or "," in groups of exactly three: "1.000" and "1,000" are 1000,
  "12.500" is 12500; one separator kind per number ("1.000,000" is refused);
- refused: decimals ("1,5", "12.5", "1.0000"), signs ("-3", "+3"), spaces inside the number
  ("1 000": too easy to confuse with two numbers), non-ASCII digits, words, more than
  MAX_QUANTITY, and anything longer than 16 characters.

An order message (`parse_order_lines`) has one product per non-empty line::

    BRS5 12            BRS5: 12          BRS5 = 12
    - BRS5 12 karton   BRS5 x 12         brs5 12dus

The code is case-insensitive. An optional unit word after the quantity must mean the
product's unit (`purchasing.units`, so "dus" matches "karton"). Whether a code belongs to the
round is decided by the caller, who knows the round. The whole message is refused when it is
longer than MAX_CHARS characters or MAX_LINES non-empty lines. Nothing here raises for any
string: every problem is reported as a LineProblem (line_no 0 for the whole message).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from purchasing.errors import (
    DuplicateLine,
    LineNotUnderstood,
    PurchasingError,
    QuantityInvalid,
    TooManyLines,
    UnitMismatch,
)
from purchasing.rounds import MAX_QUANTITY
from purchasing.units import same_unit

MAX_LINES = 200
MAX_CHARS = 4096
_MAX_QUANTITY_CHARS = 16
_SHOWN_CHARS = 40

_PLAIN = re.compile(r"[0-9]+")
_GROUPED = re.compile(r"[0-9]{1,3}(?P<sep>[.,])[0-9]{3}(?:(?P=sep)[0-9]{3})*")
_BULLET = re.compile(r"^(?:[-*•–—+]\s*)+")
_LINE = re.compile(
    r"(?P<code>[A-Za-z0-9][A-Za-z0-9_-]{0,31})(?:\s*[:=]\s*|\s+[xX×]\s*|\s+)(?P<rest>.+)"
)
_GLUED_UNIT = re.compile(r"(?P<quantity>[0-9][0-9.,]*)(?P<unit>[A-Za-z]+)")
_TRAILING_PUNCTUATION = ".,;!"


@dataclass(frozen=True, slots=True)
class OrderLine:
    code: str
    quantity: int
    line_no: int


@dataclass(frozen=True, slots=True)
class LineProblem:
    """Line `line_no` (1-based; 0 means the whole message) could not be used."""

    line_no: int
    raw_text: str
    error: PurchasingError


@dataclass(frozen=True, slots=True)
class ParsedOrder:
    lines: tuple[OrderLine, ...]
    problems: tuple[LineProblem, ...]

    @property
    def quantities(self) -> dict[str, int]:
        """Quantity per product code, for the lines that were understood."""
        return {line.code: line.quantity for line in self.lines}


def shorten(text: str, limit: int = _SHOWN_CHARS) -> str:
    """Text to echo back to a person, cut to `limit` characters."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def parse_quantity(text: str) -> int:
    """A whole number of units from 0 to MAX_QUANTITY, or QuantityInvalid (params: raw)."""
    raw = text.strip()
    value: int | None = None
    if len(raw) <= _MAX_QUANTITY_CHARS:
        if _PLAIN.fullmatch(raw):
            value = int(raw)
        elif _GROUPED.fullmatch(raw):
            value = int(raw.replace(".", "").replace(",", ""))
    if value is None or value > MAX_QUANTITY:
        raise QuantityInvalid(raw=shorten(raw), max_quantity=MAX_QUANTITY)
    return value


def parse_order_lines(text: str, units_by_code: Mapping[str, str]) -> ParsedOrder:
    """The order lines in `text`; `units_by_code` gives each known product's order unit."""
    if len(text) > MAX_CHARS:
        return _refused(text)
    numbered = [(no, line.strip()) for no, line in enumerate(text.splitlines(), start=1)]
    numbered = [(no, line) for no, line in numbered if line]
    if len(numbered) > MAX_LINES:
        return _refused(text)
    codes = {code.upper(): code for code in units_by_code}
    lines: list[OrderLine] = []
    problems: list[LineProblem] = []
    first_seen: dict[str, int] = {}
    for line_no, raw in numbered:
        try:
            line = _parse_line(raw, line_no, codes, units_by_code)
            if line.code in first_seen:
                raise DuplicateLine(product_code=line.code, first_line_no=first_seen[line.code])
        except PurchasingError as error:
            problems.append(LineProblem(line_no, shorten(raw), error))
            continue
        first_seen[line.code] = line_no
        lines.append(line)
    return ParsedOrder(tuple(lines), tuple(problems))


def _refused(text: str) -> ParsedOrder:
    error = TooManyLines(max_lines=MAX_LINES, max_chars=MAX_CHARS)
    return ParsedOrder((), (LineProblem(0, shorten(text.strip()), error),))


def _parse_line(
    raw: str, line_no: int, codes: Mapping[str, str], units_by_code: Mapping[str, str]
) -> OrderLine:
    match = _LINE.fullmatch(_BULLET.sub("", raw, count=1).rstrip(_TRAILING_PUNCTUATION))
    if match is None:
        raise LineNotUnderstood(raw=shorten(raw))
    code = codes.get(match["code"].upper(), match["code"].upper())
    tokens = match["rest"].split()
    glued = _GLUED_UNIT.fullmatch(tokens[0]) if tokens else None
    if glued is not None:
        tokens = [glued["quantity"], glued["unit"], *tokens[1:]]
    if not tokens or not any(char.isdigit() for char in tokens[0]) or len(tokens) > 2:
        raise LineNotUnderstood(raw=shorten(raw))
    quantity = parse_quantity(tokens[0])
    if len(tokens) == 2:
        _check_unit(code, tokens[1], raw, units_by_code)
    return OrderLine(code=code, quantity=quantity, line_no=line_no)


def _check_unit(code: str, word: str, raw: str, units_by_code: Mapping[str, str]) -> None:
    if not word.isalpha():
        raise LineNotUnderstood(raw=shorten(raw))
    unit = units_by_code.get(code)
    if unit is not None and not same_unit(word, unit):
        raise UnitMismatch(product_code=code, unit_given=shorten(word, 20), unit=unit)
