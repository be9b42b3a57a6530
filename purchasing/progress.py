"""Where each product of an open round stands: the price reached so far and what comes next.

Used by the catalog, /rekap and the group progress posts (`milestone`, `crossed_milestone`:
a post goes out when a change takes a product to its MOQ or a new price tier). The price
shown is the one the units that can actually be bought reach (the running total, capped at
the supply cap), the same rule `compute_outcome` applies at close.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from purchasing.model import CommitmentChange, Round, RoundItem
from purchasing.pricing import NextTier, next_tier, unit_price_for


@dataclass(frozen=True, slots=True)
class ProductProgress:
    """One round item with the running `total` ordered by everybody."""

    item: RoundItem
    total: int
    unit_price: int
    next_tier: NextTier | None

    @property
    def product_code(self) -> str:
        return self.item.product_code

    @property
    def moq(self) -> int | None:
        return self.item.moq

    @property
    def short_of_moq(self) -> int:
        """Units still missing to reach the MOQ (0 when reached or there is none)."""
        return 0 if self.moq is None else max(0, self.moq - self.total)

    @property
    def moq_reached(self) -> bool:
        return self.short_of_moq == 0

    @property
    def supply_cap(self) -> int | None:
        return self.item.supply_cap

    @property
    def cap_reached(self) -> bool:
        """At or over the supply cap: more orders will be shared out, not added."""
        return self.supply_cap is not None and self.total >= self.supply_cap

    @property
    def saving_per_unit(self) -> int:
        """Against the reference market price, at the price reached so far."""
        return self.item.market_price - self.unit_price


def buyable(item: RoundItem, total: int) -> int:
    """How many of `total` units asked can be bought: the total, capped at the supply cap."""
    return total if item.supply_cap is None else min(total, item.supply_cap)


def order_value(progress: ProductProgress) -> int:
    """Rupiah ordered of the product at the price reached so far, of what can be bought (up
    to its supply cap). Counted as sure once its MOQ is met (`/rekap`, the chart), else as
    waiting for its MOQ."""
    return buyable(progress.item, progress.total) * progress.unit_price


def product_progress(item: RoundItem, total: int) -> ProductProgress:
    bought = buyable(item, total)
    following = next_tier(item.tiers, bought)
    if (
        following is not None
        and item.supply_cap is not None
        and following.min_total > item.supply_cap
    ):
        following = None  # a tier beyond the supply cap can never be reached
    return ProductProgress(
        item=item,
        total=total,
        unit_price=unit_price_for(item.tiers, bought),
        next_tier=following,
    )


def progress_for(round_: Round, totals: Mapping[str, int]) -> tuple[ProductProgress, ...]:
    """Progress of every item of the round, in the round's order; a missing total is 0."""
    return tuple(product_progress(item, totals.get(item.product_code, 0)) for item in round_.items)


def milestone(progress: ProductProgress) -> str | None:
    """The last step this product reached: "tier<min_total>" above the base price, else "moq"
    once a MOQ is met; None before the MOQ or with nothing to celebrate."""
    return _milestone_at(progress.item, progress.total)


def _milestone_at(item: RoundItem, total: int) -> str | None:
    if item.moq is not None and total < item.moq:
        return None
    bought = buyable(item, total)
    reached = [tier for tier in item.tiers[1:] if tier.min_total <= bought]
    if reached:
        return f"tier{reached[-1].min_total}"
    return "moq" if item.moq is not None else None


def crossed_milestone(change: CommitmentChange) -> str | None:
    """The milestone this change took its product to, if it was not there before (only a
    change that adds units can cross one). Judged on every line of every order: from the
    item and the two totals alone, without the rest of each total's progress."""
    if change.new <= change.old:
        return None
    step = _milestone_at(change.item, change.total)
    before = _milestone_at(change.item, change.total_before)
    return step if step != before else None
