"""Order units and the words treasurers use for them ("dus" means karton).

A small explicit table: a word not in it only matches itself (case-insensitive). "lusin" (12)
and "kodi" (20) are counts, not units: `count_in_unit` converts them for a product sold by
the piece (pcs, buah, bungkus...) and refuses them otherwise (2 lusin of a karton is not 24
karton).
"""

from __future__ import annotations

UNIT_SYNONYMS: dict[str, str] = {
    "karton": "karton",
    "dus": "karton",
    "dos": "karton",
    "kardus": "karton",
    "ctn": "karton",
    "krt": "karton",
    "carton": "karton",
    "cartons": "karton",
    "box": "karton",
    "karung": "karung",
    "krg": "karung",
    "sak": "karung",
    "sack": "karung",
    "sacks": "karung",
    "bag": "karung",
    "bags": "karung",
    "pak": "pak",
    "pack": "pak",
    "packs": "pak",
    "pck": "pak",
    "bal": "bal",
    "ball": "bal",
    "bale": "bal",
    "pcs": "pcs",
    "pc": "pcs",
    "biji": "pcs",
    "bks": "bungkus",
    "btl": "botol",
}

# Words for a count of pieces: they convert only where the product is sold by the piece.
COUNT_WORDS: dict[str, int] = {"lusin": 12, "kodi": 20}
PIECE_UNITS = frozenset(
    {"pcs", "buah", "bungkus", "botol", "kaleng", "sachet", "batang", "pouch", "tube", "butir"}
)


def canonical_unit(word: str) -> str:
    """The unit a word stands for: `canonical_unit("Dus") == "karton"`."""
    lowered = word.strip().lower()
    return UNIT_SYNONYMS.get(lowered, lowered)


def same_unit(word: str, unit: str) -> bool:
    """Whether a typed unit word means the product's order unit."""
    return canonical_unit(word) == canonical_unit(unit)


def is_unit_word(word: str) -> bool:
    """Whether a word names a unit or a count that this module knows ("dus", "lusin")."""
    unit = canonical_unit(word)
    return unit in UNIT_SYNONYMS.values() or unit in PIECE_UNITS or unit in COUNT_WORDS


def count_word(word: str) -> int | None:
    """How many pieces a count word stands for: `count_word("Lusin") == 12`."""
    return COUNT_WORDS.get(word.strip().lower())


def sold_by_piece(unit: str) -> bool:
    """Whether "lusin"/"kodi" can be converted into this order unit."""
    return canonical_unit(unit) in PIECE_UNITS
