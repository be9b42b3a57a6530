"""Order units and the words treasurers use for them ("dus" means karton).

A small explicit table: a word not in it only matches itself (case-insensitive).
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
}


def canonical_unit(word: str) -> str:
    """The unit a word stands for: `canonical_unit("Dus") == "karton"`."""
    lowered = word.strip().lower()
    return UNIT_SYNONYMS.get(lowered, lowered)


def same_unit(word: str, unit: str) -> bool:
    """Whether a typed unit word means the product's order unit."""
    return canonical_unit(word) == canonical_unit(unit)
