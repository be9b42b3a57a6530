"""Volume price tiers: checking them, the price a total reaches, and what unlocks the next one.

A product's tiers say "from `min_total` units ordered by everybody together, every unit costs
`unit_price`". One total decides one price for every coop (see docs/rules.md).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from itertools import pairwise

from purchasing.errors import InvalidTiers
from purchasing.model import PriceTier, Product


@dataclass(frozen=True, slots=True)
class NextTier:
    """`units_more` more units unlock `unit_price` per unit (the tier starting at `min_total`)."""

    units_more: int
    unit_price: int
    min_total: int


def with_valid_tiers(product: Product) -> Product:
    """`product` with its tiers sorted, or InvalidTiers naming it (see `validate_tiers`)."""
    try:
        return replace(product, tiers=validate_tiers(product.tiers))
    except InvalidTiers as error:
        raise error.for_product(product.code) from error


def validate_tiers(tiers: Iterable[PriceTier]) -> tuple[PriceTier, ...]:
    """Return the tiers sorted by `min_total`, or raise InvalidTiers saying what is wrong.

    Rules: at least one tier; the first starts at 1 unit or more; no two tiers start at the
    same total; every price is positive; a bigger total never costs more per unit.
    """
    ordered = tuple(sorted(tiers, key=lambda tier: tier.min_total))
    if not ordered:
        raise InvalidTiers(reason="empty", min_total=0)
    if ordered[0].min_total < 1:
        raise InvalidTiers(reason="first_below_one", min_total=ordered[0].min_total)
    for tier in ordered:
        if tier.unit_price <= 0:
            raise InvalidTiers(reason="price_not_positive", min_total=tier.min_total)
    for lower, upper in pairwise(ordered):
        if upper.min_total == lower.min_total:
            raise InvalidTiers(reason="duplicate_min_total", min_total=upper.min_total)
        if upper.unit_price > lower.unit_price:
            raise InvalidTiers(reason="price_rises", min_total=upper.min_total)
    return ordered


def unit_price_for(tiers: Sequence[PriceTier], total: int) -> int:
    """The price per unit when everybody together orders `total` units.

    `tiers` must be valid (see `validate_tiers`). Below the first tier's `min_total` the
    first tier's price applies.
    """
    price = tiers[0].unit_price
    for tier in tiers:
        if tier.min_total > total:
            break
        price = tier.unit_price
    return price


def next_tier(tiers: Sequence[PriceTier], total: int) -> NextTier | None:
    """The nearest tier that would lower the price, or None when the best price is reached."""
    current = unit_price_for(tiers, total)
    for tier in tiers:
        if tier.min_total > total and tier.unit_price < current:
            return NextTier(
                units_more=tier.min_total - total,
                unit_price=tier.unit_price,
                min_total=tier.min_total,
            )
    return None
