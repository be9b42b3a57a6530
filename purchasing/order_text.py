"""Reading what a treasurer types: one quantity, or a pasted order of `KODE JUMLAH` lines.

Quantities (`parse_quantity`) are whole order units written the Indonesian way:

- plain digits: "12", "007";
- thousands grouped by "." or "," in groups of exactly three: "1.000" and "1,000" are 1000,
  "12.500" is 12500; one separator kind per number ("1.000,000" is refused);
- refused: decimals ("1,5", "12.5", "1.0000"), signs ("-3", "+3"), spaces inside the number
  ("1 000": too easy to confuse with two numbers), non-ASCII digits, words, more than
  MAX_QUANTITY, and anything longer than 16 characters.

An order message (`parse_order_lines`) has one line per product, or several products on one
line separated by commas or semicolons (a comma between digits is a thousands separator:
"1,000" stays one number; a part without a number stays with the part before). A product is
named by its code or, when the caller passes the round's catalog, by its name in the
treasurer's words (`purchasing.product_match`)::

    BRS5 12            BRS5: 12          BRS5 = 12         1. BRS5 12
    - BRS5 12 karton   BRS5 x 12         brs5 12dus        BRS5 5 (karung)
    beras sphp 12      12 karung beras   pesan minyak goreng 1L 3 dus
    BRS5 12 karung, GLP1 5 bal           IDM-GRG 2 lusin

Bullets, numbering ("1." "1)") and leading words ("pesan", "order", "beli", "mau",
"tolong") are skipped. A number followed by a size ("1 kg", "1kg", "5 liter", "500 ml") is
part of the product's name, never the quantity. The quantity is the number followed by a unit
word, else a number at the start of the line, else the last number. An optional unit word
after the quantity must mean the product's unit (`purchasing.units`, so "dus" matches
"karton"); "lusin" (12) and "kodi" (20) are converted for a product sold by the piece and
refused for any other.

A product code (case-insensitive) always wins over names. Words that fit several products
equally well give a LineQuestion (the caller asks which one; nothing is guessed); words that
fit none give ProductNotMatched with suggestions. A single code-shaped word that is no code
of the catalog ("XYZ-9") is passed on as that code: whether it is in the catalog at all is
for the caller to say. Without a catalog only codes are read.

The whole message is refused when it is longer than MAX_CHARS characters or MAX_LINES
non-empty lines. Nothing here raises for any string: every problem is reported as a
LineProblem (line_no 0 for the whole message).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from purchasing.errors import (
    CountLineDuplicate,
    CountLineInvalid,
    CountNotForUnit,
    DuplicateLine,
    LineNotUnderstood,
    ProductNotMatched,
    PurchasingError,
    QuantityInvalid,
    TooManyLines,
    UnitMismatch,
)
from purchasing.product_match import CatalogEntry, MatchKind, ProductMatcher, size_unit
from purchasing.rounds import MAX_QUANTITY
from purchasing.units import canonical_unit, count_word, is_unit_word, same_unit, sold_by_piece

MAX_LINES = 200
MAX_CHARS = 4096
_MAX_QUANTITY_CHARS = 16
_SHOWN_CHARS = 40

_PLAIN = re.compile(r"[0-9]+")
_GROUPED = re.compile(r"[0-9]{1,3}(?P<sep>[.,])[0-9]{3}(?:(?P=sep)[0-9]{3})*")
_BULLET = re.compile(r"^(?:[-*•–—+]\s*)+")
_NUMBERING = re.compile(r"^[0-9]{1,3}[.)](?:\s+|(?=[^\W\d_]))")
_LEADING_WORDS = re.compile(
    r"^(?:(?:pesan|pesen|order|beli|mau|tolong|minta|mohon|ingin|saya|kami)\b[\s,:]*)+",
    re.IGNORECASE,
)
_ITEM_SEPARATOR = re.compile(r";|(?<![0-9]),|,(?![0-9])")
_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,31}")
_NUMBER = re.compile(r"[-+]?[0-9][0-9.,]*")
_GLUED_UNIT = re.compile(r"(?P<quantity>[-+]?[0-9][0-9.,]*)(?P<unit>[^\W\d_]+)")
_TIMES = re.compile(r"^[xX×](?=[0-9])")
_SEPARATORS = re.compile(r"[:=()\[\]]")
_TRAILING_PUNCTUATION = ".,;!?"


@dataclass(frozen=True, slots=True)
class OrderLine:
    code: str
    quantity: int
    line_no: int
    raw: str = field(default="", compare=False)  # this product's part of the line


@dataclass(frozen=True, slots=True)
class LineProblem:
    """Line `line_no` (1-based; 0 means the whole message) could not be used."""

    line_no: int
    raw_text: str
    error: PurchasingError


@dataclass(frozen=True, slots=True)
class LineQuestion:
    """The words on line `line_no` fit several products as well: which one? (Nothing set.)"""

    line_no: int
    raw_text: str
    quantity: int
    candidates: tuple[CatalogEntry, ...]
    more: int = 0  # products that fit as well but are not offered (too many to show)


@dataclass(frozen=True, slots=True)
class ParsedOrder:
    lines: tuple[OrderLine, ...]
    problems: tuple[LineProblem, ...]
    questions: tuple[LineQuestion, ...] = ()

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


def parse_order_lines(
    text: str,
    units_by_code: Mapping[str, str],
    catalog: Iterable[CatalogEntry] | ProductMatcher | None = None,
) -> ParsedOrder:
    """The order lines in `text`; `units_by_code` gives each known product's order unit and
    `catalog`, when given, lets products be named by name (else only codes are read)."""
    if len(text) > MAX_CHARS:
        return _refused(text)
    numbered = [(no, line.strip()) for no, line in enumerate(text.splitlines(), start=1)]
    numbered = [(no, line) for no, line in numbered if line]
    if len(numbered) > MAX_LINES:
        return _refused(text)
    matcher: ProductMatcher | None
    if catalog is None or isinstance(catalog, ProductMatcher):
        matcher = catalog
    else:
        matcher = ProductMatcher(catalog)
    reader = _Reader(units_by_code, matcher)
    lines: list[OrderLine] = []
    problems: list[LineProblem] = []
    questions: list[LineQuestion] = []
    first_seen: dict[str, int] = {}
    for line_no, raw in numbered:
        for item in _items(raw):
            try:
                found = reader.read(item, line_no)
                if isinstance(found, LineQuestion):
                    questions.append(found)
                    continue
                if found.code in first_seen:
                    raise DuplicateLine(
                        product_code=found.code, first_line_no=first_seen[found.code]
                    )
            except PurchasingError as error:
                problems.append(LineProblem(line_no, shorten(item), error))
                continue
            first_seen[found.code] = line_no
            lines.append(found)
    return ParsedOrder(tuple(lines), tuple(problems), tuple(questions))


def parse_count_lines(text: str, counted: str) -> dict[str, int]:
    """The `KODE JUMLAH` lines of `/konfirmasi` (`counted` "shipped": what a supplier can
    ship) or `/terima` ("received": what arrived): units per product code. A line that is not
    one raises CountLineInvalid; a product on a second line raises CountLineDuplicate, naming
    both lines (which of them was meant is not guessed)."""
    parsed = parse_order_lines(text, {})
    if not parsed.problems:
        return parsed.quantities
    problem = parsed.problems[0]
    if isinstance(problem.error, DuplicateLine):
        code = str(problem.error.params["product_code"])
        first = next(line.raw for line in parsed.lines if line.code == code)
        raise CountLineDuplicate(
            product_code=code, first=shorten(first), again=problem.raw_text, counted=counted
        )
    raise CountLineInvalid(raw=problem.raw_text, counted=counted, maximum=MAX_QUANTITY)


def _refused(text: str) -> ParsedOrder:
    error = TooManyLines(max_lines=MAX_LINES, max_chars=MAX_CHARS)
    return ParsedOrder((), (LineProblem(0, shorten(text.strip()), error),))


def _items(raw: str) -> list[str]:
    """A line without its bullet, numbering and leading words, cut at commas between items."""
    body = _BULLET.sub("", raw, count=1)
    body = _NUMBERING.sub("", body, count=1)
    body = _LEADING_WORDS.sub("", body, count=1) or body
    items: list[str] = []
    for part in (part.strip() for part in _ITEM_SEPARATOR.split(body)):
        if items and not any(char.isdigit() for char in part):
            items[-1] = f"{items[-1]}, {part}"  # "beras, gula 5": no item without a number
        elif part:
            items.append(part)
    return items or [raw]


@dataclass(frozen=True, slots=True)
class _Words:
    """One item split into the quantity, the unit word after it, and the other words."""

    quantity: str
    unit: str
    name: list[str]


class _Reader:
    def __init__(self, units_by_code: Mapping[str, str], matcher: ProductMatcher | None) -> None:
        self.units_by_code = units_by_code
        self.codes = {code.upper(): code for code in units_by_code}
        self.matcher = matcher
        self.unit_words = {canonical_unit(unit) for unit in units_by_code.values()}

    def read(self, item: str, line_no: int) -> OrderLine | LineQuestion:
        tokens = _tokens(item)
        if tokens and (self.matcher is None or self._known_code(tokens[0])):
            return self._by_code(item, tokens, line_no)
        words = self._split(item, tokens)
        name = " ".join(words.name)
        quantity = parse_quantity(words.quantity)
        assert self.matcher is not None
        match = self.matcher.match(name)
        candidates = [candidate.entry for candidate in match.candidates]
        if match.kind is MatchKind.NONE:
            if len(words.name) == 1 and _looks_like_code(name):
                return OrderLine(name.upper(), quantity, line_no, item)
            suggestions = [{"code": entry.code, "name": entry.name} for entry in candidates]
            raise ProductNotMatched(raw=shorten(name), suggestions=suggestions)
        if match.kind is MatchKind.AMBIGUOUS and words.unit:
            # "beras 12 karung": only the products sold per karung are meant.
            fitting = [entry for entry in candidates if _unit_fits(words.unit, entry.unit)]
            candidates = fitting or candidates[:1]
        quantity = _in_unit(candidates[0], quantity, words.unit, item)
        if len(candidates) > 1:
            return LineQuestion(line_no, shorten(item), quantity, tuple(candidates), match.more)
        return OrderLine(candidates[0].code, quantity, line_no, item)

    def _known_code(self, token: str) -> bool:
        if token.upper() in self.codes:
            return True
        return (
            self.matcher is not None
            and self.matcher.by_code(token) is not None
            and (_CODE.fullmatch(token) is not None)
        )

    def _by_code(self, item: str, tokens: list[str], line_no: int) -> OrderLine:
        """`KODE JUMLAH [unit]`, exactly as before names were read."""
        first = tokens[0]
        entry = self.matcher.by_code(first) if self.matcher is not None else None
        code = entry.code if entry is not None else self.codes.get(first.upper(), first.upper())
        rest = tokens[1:]
        understood = _CODE.fullmatch(first) and rest and len(rest) <= 2
        if not understood or not any(char.isdigit() for char in rest[0]):
            raise LineNotUnderstood(raw=shorten(item))
        quantity = parse_quantity(rest[0])
        unit = entry.unit if entry is not None else self.units_by_code.get(code)
        if len(rest) == 2:
            if not rest[1].isalpha():
                raise LineNotUnderstood(raw=shorten(item))
            if unit is not None:
                name = entry.name if entry is not None else code
                quantity = _in_unit(CatalogEntry(code, name, unit), quantity, rest[1], item)
        return OrderLine(code=code, quantity=quantity, line_no=line_no, raw=item)

    def _split(self, item: str, tokens: list[str]) -> _Words:
        kinds = [self._kind(tokens, index) for index in range(len(tokens))]
        numbers = [index for index, kind in enumerate(kinds) if kind == "number"]
        if not numbers:
            raise LineNotUnderstood(raw=shorten(item))
        with_unit = [i for i in numbers if i + 1 < len(tokens) and self._is_unit(tokens[i + 1])]
        chosen = with_unit[0] if with_unit else numbers[0] if numbers[0] == 0 else numbers[-1]
        unit = tokens[chosen + 1] if chosen in with_unit else ""
        skip = {chosen, chosen + 1} if unit else {chosen}
        name = [token for index, token in enumerate(tokens) if index not in skip]
        if not name:
            raise LineNotUnderstood(raw=shorten(item))
        return _Words(tokens[chosen], unit, name)

    def _kind(self, tokens: list[str], index: int) -> str:
        token = tokens[index]
        if not _NUMBER.fullmatch(token):
            return "word"
        following = tokens[index + 1] if index + 1 < len(tokens) else ""
        return "size" if size_unit(following) else "number"

    def _is_unit(self, word: str) -> bool:
        return word.isalpha() and (is_unit_word(word) or canonical_unit(word) in self.unit_words)


def _tokens(item: str) -> list[str]:
    """The words of an item: separators gone, "x4" → "4", "12dus" → "12", "dus"."""
    cleaned = _SEPARATORS.sub(" ", item).rstrip(_TRAILING_PUNCTUATION)
    tokens: list[str] = []
    for word in cleaned.split():
        word = _TIMES.sub("", word).rstrip(_TRAILING_PUNCTUATION)
        if word in ("x", "X", "×") or not word:
            continue
        glued = _GLUED_UNIT.fullmatch(word)
        if glued is not None:
            tokens.extend([glued["quantity"], glued["unit"]])
        else:
            tokens.append(word)
    return tokens


def _looks_like_code(text: str) -> bool:
    return _CODE.fullmatch(text) is not None and any(c.isdigit() or c in "-_" for c in text)


def _unit_fits(word: str, unit: str) -> bool:
    return sold_by_piece(unit) if count_word(word) is not None else same_unit(word, unit)


def _in_unit(entry: CatalogEntry, quantity: int, word: str, raw: str) -> int:
    """The quantity in the product's unit: "2 lusin" of a product sold by the piece is 24."""
    if not word:
        return quantity
    per = count_word(word)
    if per is not None:
        if not sold_by_piece(entry.unit):
            raise CountNotForUnit(
                product_code=entry.code, name=entry.name, unit=entry.unit,
                unit_given=word.lower(), per=per,
            )  # fmt: skip
        if quantity * per > MAX_QUANTITY:
            raise QuantityInvalid(raw=shorten(raw), max_quantity=MAX_QUANTITY)
        return quantity * per
    if not same_unit(word, entry.unit):
        raise UnitMismatch(product_code=entry.code, unit_given=shorten(word, 20), unit=entry.unit)
    return quantity
