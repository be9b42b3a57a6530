"""Price tiers of a product row, written either way the Dinas spreadsheets do it.

One column `tingkat_harga` (or `tiers`) holding `1:125000; 50:120000; 100:118000`, or pairs
of columns `min1, harga1, min2, harga2, ...` (also `min_1/price_1`). Either way the tiers,
sorted by minimum, must start at 1, have distinct minimums and never get dearer.
"""

from __future__ import annotations

from purchasing.errors import InvalidTiers
from purchasing.model import PriceTier
from purchasing.pricing import validate_tiers
from spreadsheets.cells import RowReader, cell_text, whole_number
from spreadsheets.columns import TierPair
from spreadsheets.errors import BadTiers, EmptyValue


def checked(pairs: list[tuple[int, int]]) -> tuple[PriceTier, ...] | None:
    """The tiers sorted by minimum, or None when they break a rule above.

    Stricter than `purchasing.pricing.validate_tiers` in one point: the first tier must
    start at exactly 1, so every quantity a coop may order has a price written down.
    """
    try:
        tiers = validate_tiers(PriceTier(m, p) for m, p in pairs)
    except InvalidTiers:
        return None
    return tiers if tiers[0].min_total == 1 else None


def parse_tier_text(text: str) -> tuple[PriceTier, ...] | None:
    """`"1:125000; 50:Rp 120.000"` -> tiers, or None when unreadable or not sensible."""
    pairs: list[tuple[int, int]] = []
    for part in text.replace("\n", ";").split(";"):
        if not part.strip():
            continue
        minimum, colon, price = part.partition(":")
        min_total, unit_price = whole_number(minimum), whole_number(price)
        if not colon or min_total is None or unit_price is None:
            return None
        pairs.append((min_total, unit_price))
    return checked(pairs)


def read_tiers(
    row: RowReader, text_index: int | None, pairs: list[TierPair]
) -> tuple[PriceTier, ...]:
    """The row's tiers; () after recording a problem on the row."""
    text_given = text_index is not None and not row.blank(text_index)
    pairs_given = any(not row.blank(p.min_index) or not row.blank(p.price_index) for p in pairs)
    first = text_index if text_index is not None else _first_index(pairs)
    if text_given and pairs_given:
        assert text_index is not None
        row.problem(BadTiers, text_index, cell_text(row.cell(text_index)))
    elif text_given:
        assert text_index is not None
        raw = cell_text(row.cell(text_index))
        tiers = parse_tier_text(raw)
        if tiers is not None:
            return tiers
        row.problem(BadTiers, text_index, raw)
    elif pairs_given:
        return _read_pairs(row, pairs)
    else:
        row.problem(EmptyValue, first, "")
    return ()


def _read_pairs(row: RowReader, pairs: list[TierPair]) -> tuple[PriceTier, ...]:
    values: list[tuple[int, int]] = []
    shown: list[str] = []
    for pair in pairs:
        if row.blank(pair.min_index) and row.blank(pair.price_index):
            continue
        assert pair.min_index is not None and pair.price_index is not None
        for index in (pair.min_index, pair.price_index):
            if row.blank(index):
                row.problem(BadTiers, index, "")
                return ()
        cells = row.cell(pair.min_index), row.cell(pair.price_index)
        shown.append(f"{cell_text(cells[0])}:{cell_text(cells[1])}")
        minimum, price = whole_number(cells[0]), whole_number(cells[1])
        if minimum is None or price is None:
            row.bad_number(pair.min_index if minimum is None else pair.price_index)
            return ()
        values.append((minimum, price))
    tiers = checked(values)
    if tiers is None:
        row.problem(BadTiers, _first_index(pairs), "; ".join(shown))
        return ()
    return tiers


def _first_index(pairs: list[TierPair]) -> int:
    indexes = [i for p in pairs for i in (p.min_index, p.price_index) if i is not None]
    return min(indexes)
