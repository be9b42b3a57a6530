"""Finding the product a treasurer means by the words they typed ("beras sphp", "minyak gorng",
"mie goreng", "IDM-GRG").

`ProductMatcher(entries).match(words)` answers with one of:

- EXACT: the words are a product code (case-insensitive, "-" and spaces optional). A code
  always wins over names.
- NAME: one product clearly fits best: its score is at least MATCH_SCORE and at least MARGIN
  above the next product's.
- AMBIGUOUS: several products fit about equally well ("beras" when the round has two kinds of
  rice): the candidates, best first, at most MAX_CANDIDATES. The caller asks; it never picks.
- NONE: nothing fits; `candidates` holds up to MAX_SUGGESTIONS loose suggestions ("maksudnya
  …?"), possibly none.

Both sides are normalised the same way (`normalise`): lowercase, accents and punctuation
removed, sizes written as one token ("1 kg", "1kg", "1 kilo" → "1kg"; "1 L", "5 liter" → "1l",
"5l"; "85 gr" → "85g"; "0,5 kg" → "500g"), a small table of the abbreviations treasurers use
("myk" → minyak, "grg" → goreng, "mie" → mi, "migor" → minyak goreng) and stopwords ("pesan",
"tolong", "yang") dropped. A product is searched by the words of its name, its short name, and
its code (whole and in parts: "BRS-SPHP50" gives "brssphp50", "brs", "sphp50").

The score of a product is the mean, over the typed words, of how well each word fits the
product's best word: 100 for the same word, 92 for a prefix of at least 3 letters ("sph" for
"sphp"), else `rapidfuzz.fuzz.ratio` when at least TYPO_SCORE ("gorng" ~ "goreng" is 91;
SHORT_TYPO_SCORE for words of four letters).
Words with digits (sizes, codes) only fit exactly, so "5kg" never passes for "50kg"; a bare
number fits a size with that number ("50" for "50kg", as PREFIX_SCORE). The
typed words are looked up in an index of all product words with `rapidfuzz.process`, so a
1,000-product catalog is read at well over 1,000 lines a second (bench/order_match.py).
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from rapidfuzz import fuzz, process

MATCH_SCORE = 75.0
MARGIN = 10.0
TYPO_SCORE = 80.0
SHORT_TYPO_SCORE = 85.0  # four letters: "susu" is not "saus" (75)
PREFIX_SCORE = 92.0
PARTLY_SCORE = 40.0  # a suggestion that fits some of the words ("sabun colek": the soaps)
ALIKE_SCORE = 75.0  # a suggestion whose whole name looks alike (rapidfuzz WRatio)
MAX_CANDIDATES = 5
MAX_SUGGESTIONS = 3

SIZE_UNITS: dict[str, str] = {
    "kg": "kg",
    "kilo": "kg",
    "kilogram": "kg",
    "g": "g",
    "gr": "g",
    "gram": "g",
    "grm": "g",
    "l": "l",
    "lt": "l",
    "ltr": "l",
    "liter": "l",
    "litre": "l",
    "ml": "ml",
    "mili": "ml",
}
ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "mie": ("mi",),
    "myk": ("minyak",),
    "mnyk": ("minyak",),
    "minyk": ("minyak",),
    "grg": ("goreng",),
    "grng": ("goreng",),
    "migor": ("minyak", "goreng"),
    "brs": ("beras",),
    "gl": ("gula",),
    "tpg": ("tepung",),
    "trg": ("terigu",),
    "kcp": ("kecap",),
    "sbn": ("sabun",),
    "tlr": ("telur",),
    "tlor": ("telur",),
    "telor": ("telur",),
    "detergen": ("deterjen",),
    "skm": ("kental", "manis"),
    "kpi": ("kopi",),
    "odol": ("pasta", "gigi"),
}
STOPWORDS = frozenset(
    {
        "pesan", "pesanan", "pesen", "order", "beli", "mau", "tolong", "minta", "mohon", "ingin",
        "pengen", "pingin", "ya", "yg", "yang", "dong", "deh", "aja", "saja", "juga", "bu", "pak",
        "kak", "saya", "kami", "untuk", "utk", "buat", "nya", "merk", "merek", "produk", "the",
        "please", "pls",
    }
)  # fmt: skip

_SIZE = re.compile(
    r"(?<![a-z0-9])(\d+(?:[.,]\d+)?)\s*(" + "|".join(sorted(SIZE_UNITS, key=len, reverse=True))
    + r")(?![a-z0-9])"
)  # fmt: skip
_NOT_WORD = re.compile(r"[^a-z0-9]+")
_SIZE_WORDS = sorted(set(SIZE_UNITS.values()))


class MatchKind(StrEnum):
    EXACT = "exact"
    NAME = "name"
    AMBIGUOUS = "ambiguous"
    NONE = "none"


@dataclass(frozen=True, slots=True)
class CatalogEntry:
    """A product that can be named: its code, name, order unit and optional short name."""

    code: str
    name: str
    unit: str
    short_name: str = ""


@dataclass(frozen=True, slots=True)
class Candidate:
    entry: CatalogEntry
    score: float

    @property
    def code(self) -> str:
        return self.entry.code


@dataclass(frozen=True, slots=True)
class Match:
    kind: MatchKind
    candidates: tuple[Candidate, ...]
    more: int = 0  # AMBIGUOUS: how many more products fit as well as the candidates shown

    @property
    def entry(self) -> CatalogEntry | None:
        """The product meant, for EXACT and NAME."""
        found = self.kind in (MatchKind.EXACT, MatchKind.NAME)
        return self.candidates[0].entry if found else None


def size_unit(word: str) -> str | None:
    """The size a word stands for ("liter" → "l"), if it is one."""
    return SIZE_UNITS.get(word.lower())


def normalise(text: str) -> list[str]:
    """The searchable words of a text: "Minyak gorng 1 L!" → ["minyak", "gorng", "1l"]."""
    folded = text.lower()
    if not folded.isascii():
        folded = unicodedata.normalize("NFKD", folded)
        folded = "".join(char for char in folded if not unicodedata.combining(char))
    folded = _SIZE.sub(_size_word, folded)
    words: list[str] = []
    for word in _NOT_WORD.split(folded.replace(".", "")):
        if word and word not in STOPWORDS:
            words.extend(ABBREVIATIONS.get(word, (word,)))
    return words


def _size_word(found: re.Match[str]) -> str:
    """ "1 kg" → "1kg", "0,5 kg" → "500g", "1.5 liter" → "1500ml" (one word, no point)."""
    number, unit = found[1].replace(",", "."), SIZE_UNITS[found[2]]
    if "." in number:
        smaller = {"kg": "g", "l": "ml"}.get(unit)
        if smaller is not None:
            return f" {round(float(number) * 1000)}{smaller} "
        number = number.replace(".", "")
    return f" {number}{unit} "


def _code_key(text: str) -> str:
    return _NOT_WORD.sub("", text.lower())


def _entry_words(entry: CatalogEntry) -> set[str]:
    words = set(normalise(entry.name)) | set(normalise(entry.short_name))
    parts = [part for part in _NOT_WORD.split(entry.code.lower()) if part]
    return words | set(parts) | {_code_key(entry.code)}


class ProductMatcher:
    """An index of a catalog's words, built once per message (or once for a benchmark)."""

    def __init__(self, entries: Iterable[CatalogEntry]) -> None:
        self.entries: tuple[CatalogEntry, ...] = tuple(entries)
        self._by_code = {_code_key(entry.code): entry for entry in self.entries}
        owners: dict[str, set[int]] = defaultdict(set)
        for index, entry in enumerate(self.entries):
            for word in _entry_words(entry):
                owners[word].add(index)
        self._owners = dict(owners)
        self._vocabulary = sorted(self._owners)
        self._texts: list[str] | None = None  # for suggestions, made when first needed

    def by_code(self, text: str) -> CatalogEntry | None:
        """The product whose code this is ("idm-grg", "IDM GRG", "idmgrg"), if any."""
        key = _code_key(text)
        return self._by_code.get(key) if key else None

    def match(self, text: str) -> Match:
        exact = self.by_code(text)
        if exact is not None:
            return Match(MatchKind.EXACT, (Candidate(exact, 100.0),))
        words = normalise(text)
        if not words:
            return Match(MatchKind.NONE, ())
        totals: dict[int, float] = defaultdict(float)
        for word in words:
            for index, fit in self._fits(word).items():
                totals[index] += fit
        best = max(totals.values(), default=0.0) / len(words)
        if best < MATCH_SCORE:
            return Match(MatchKind.NONE, self._suggestions(words, totals))
        n = len(words)
        close = self._ranked(
            {i: t for i, t in totals.items() if t / n >= MATCH_SCORE and best - t / n < MARGIN}, n
        )
        if len(close) == 1:
            return Match(MatchKind.NAME, tuple(close))
        more = len(close) - MAX_CANDIDATES
        return Match(MatchKind.AMBIGUOUS, tuple(close[:MAX_CANDIDATES]), max(more, 0))

    def _ranked(self, totals: dict[int, float], words: int) -> list[Candidate]:
        found = [Candidate(self.entries[index], total / words) for index, total in totals.items()]
        return sorted(found, key=lambda candidate: (-candidate.score, candidate.entry.code))

    def _fits(self, word: str) -> dict[int, float]:
        """How well `word` fits each product that has a similar word (product index → 0..100)."""
        fits: dict[int, float] = {}

        def add(found: str, score: float) -> None:
            for index in self._owners[found]:
                if score > fits.get(index, 0.0):
                    fits[index] = score

        if word in self._owners:
            add(word, 100.0)
        if word.isdigit():  # "beras sphp 50": a size without its unit
            for unit in _SIZE_WORDS:
                if word + unit in self._owners:
                    add(word + unit, PREFIX_SCORE)
        if any(char.isdigit() for char in word):
            return fits
        if len(word) >= 3:
            start = bisect.bisect_left(self._vocabulary, word)
            for found in self._vocabulary[start:]:
                if not found.startswith(word):
                    break
                add(found, PREFIX_SCORE)
        if len(word) >= 4:
            cutoff = SHORT_TYPO_SCORE if len(word) == 4 else TYPO_SCORE
            similar = process.extract(
                word, self._vocabulary, scorer=fuzz.ratio, score_cutoff=cutoff, limit=None
            )
            for found, score, _ in similar:
                if not any(char.isdigit() for char in found):
                    add(found, min(float(score), PREFIX_SCORE))
        return fits

    def _suggestions(self, words: Sequence[str], totals: dict[int, float]) -> tuple[Candidate, ...]:
        """Loose guesses for "maksudnya …?": the best partial fits, else whole-text look-alikes."""
        floor = PARTLY_SCORE * len(words)
        loose = self._ranked({index: t for index, t in totals.items() if t >= floor}, len(words))
        if loose:
            return tuple(loose[:MAX_SUGGESTIONS])
        if self._texts is None:
            self._texts = [
                " ".join(normalise(f"{e.name} {e.short_name} {e.code}")) for e in self.entries
            ]
        alike = process.extract(
            " ".join(words),
            self._texts,
            scorer=fuzz.WRatio,
            score_cutoff=ALIKE_SCORE,
            limit=MAX_SUGGESTIONS,
        )
        return tuple(Candidate(self.entries[index], float(score)) for _, score, index in alike)


def shortest_name(matcher: ProductMatcher, entry: CatalogEntry) -> str:
    """The fewest first words of a product's name that find it alone ("beras sphp" for Beras
    SPHP medium 50 kg when the round also has Beras premium): an example a treasurer can copy."""
    words = entry.name.split()
    for count in range(1, len(words) + 1):
        typed = " ".join(words[:count]).lower()
        if matcher.match(typed).entry == entry:
            return typed
    return entry.name.lower()
