"""Price tiers of a product row, written either way the Dinas spreadsheets do it.

One column `tingkat_harga` (or `tiers`) holding `1:125000; 50:120000; 100:118000`, or pairs
of columns `min1, harga1, min2, harga2, ...` (also `min_1/price_1`). Either way the tiers,
sorted by minimum, must start at 1, have distinct minimums and never get dearer.

Tiers that cannot be used are one `BadTiers` problem whose `reason` says why (and
`min_total`, the tier at fault, or 0): `validate_tiers`'s own (`TIER_PROBLEMS`: a price that
rises, two tiers from one minimum, ...) or one of the file's (`FILE_TIER_PROBLEMS`).
"""

from __future__ import annotations

from dataclasses import dataclass

from purchasing.errors import InvalidTiers
from purchasing.model import PriceTier
from purchasing.pricing import validate_tiers
from spreadsheets.cells import LARGEST_NUMBER, RowReader, cell_text, too_large, whole_number
from spreadsheets.columns import TierPair
from spreadsheets.errors import BadTiers, EmptyValue

FILE_TIER_PROBLEMS = (
    "first_not_one",  # the first tier starts above 1: a small order would have no price
    "unreadable",  # the column's text is not `minimum:price` pairs separated by `;`
    "too_large",  # a number in the column's text is above LARGEST_NUMBER
    "pair_incomplete",  # a minN without its hargaN, or a hargaN without its minN
    "both_forms",  # the column and the pairs of columns are both filled in
)


@dataclass(frozen=True, slots=True)
class TierFault:
    """Why tiers cannot be used: a reason of `TIER_PROBLEMS` or `FILE_TIER_PROBLEMS`."""

    reason: str
    min_total: int = 0


def checked(pairs: list[tuple[int, int]]) -> tuple[PriceTier, ...] | TierFault:
    """The tiers sorted by minimum, or why they break a rule above.

    Stricter than `purchasing.pricing.validate_tiers` in one point: the first tier must
    start at exactly 1, so every quantity a coop may order has a price written down.
    """
    try:
        tiers = validate_tiers(PriceTier(m, p) for m, p in pairs)
    except InvalidTiers as error:
        reason, min_total = error.params["reason"], error.params["min_total"]
        assert isinstance(reason, str) and isinstance(min_total, int)
        return TierFault(reason, min_total)
    if tiers[0].min_total != 1:
        return TierFault("first_not_one", tiers[0].min_total)
    return tiers


def parse_tier_text(text: str) -> tuple[PriceTier, ...] | TierFault:
    """`"1:125000; 50:Rp 120.000"` -> tiers, or why they are unreadable or not sensible."""
    pairs: list[tuple[int, int]] = []
    for part in text.replace("\n", ";").split(";"):
        if not part.strip():
            continue
        minimum, colon, price = part.partition(":")
        if too_large(minimum) or too_large(price):
            return TierFault("too_large")
        min_total, unit_price = whole_number(minimum), whole_number(price)
        if not colon or min_total is None or unit_price is None:
            return TierFault("unreadable")
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
        _problem(row, text_index, cell_text(row.cell(text_index)), TierFault("both_forms"))
    elif text_given:
        assert text_index is not None
        raw = cell_text(row.cell(text_index))
        tiers = parse_tier_text(raw)
        if not isinstance(tiers, TierFault):
            return tiers
        _problem(row, text_index, raw, tiers)
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
                _problem(row, index, "", TierFault("pair_incomplete"))
                return ()
        cells = row.cell(pair.min_index), row.cell(pair.price_index)
        shown.append(f"{cell_text(cells[0])}:{cell_text(cells[1])}")
        minimum, price = whole_number(cells[0]), whole_number(cells[1])
        if minimum is None or price is None:
            row.bad_number(pair.min_index if minimum is None else pair.price_index)
            return ()
        values.append((minimum, price))
    tiers = checked(values)
    if isinstance(tiers, TierFault):
        _problem(row, _first_index(pairs), "; ".join(shown), tiers)
        return ()
    return tiers


def _problem(row: RowReader, index: int, value: str, fault: TierFault) -> None:
    extra: dict[str, object] = {"limit": LARGEST_NUMBER} if fault.reason == "too_large" else {}
    row.problem(BadTiers, index, value, reason=fault.reason, min_total=fault.min_total, **extra)


def _first_index(pairs: list[TierPair]) -> int:
    indexes = [i for p in pairs for i in (p.min_index, p.price_index) if i is not None]
    return min(indexes)
