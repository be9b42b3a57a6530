"""`/rekap`: a round's live totals for the Dinas, read in one snapshot, sized for a phone.

`read_recap` gathers what `handlers.admin.recap` shows: the headline (coops that ordered out
of the round's coops, the order value at the prices reached so far, split into what is sure
(MOQ met) and what still waits for its MOQ, and the saving against the market price), the
products that need attention (ordered but below their MOQ, close to the next price tier, or
asked beyond their supply), and the coops that have not ordered with their treasurers.
`Recap.context(shown)` cuts each list to `shown` entries for the short message; the full
lists are their own messages (buttons "arp" and "arw").
"""

from __future__ import annotations

from dataclasses import dataclass

from purchasing.model import Coop, Round
from purchasing.progress import ProductProgress, buyable, order_value, progress_for
from storage.commitment_reads import coops_with_orders, totals_for_round
from storage.database import Database
from storage.people.audience import load_audience
from storage.round_parties import coops_at_close

# Entries of each list in the short recap: products of each kind that need attention, and
# coops that have not ordered. At 100 coops the recap stays about 1,500 characters or less.
SHOWN_PRODUCTS = 3
SHOWN_COOPS = 5
# A product is "near" its next price tier when the units still needed are at most this
# share of the tier's minimum total (1/5: 20%).
NEAR_TIER_DIVISOR = 5


@dataclass(frozen=True, slots=True)
class WaitingCoop:
    """A coop that has not ordered, and who could order for it (treasurers' names)."""

    coop: Coop
    treasurers: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Recap:
    round: Round
    progress: tuple[ProductProgress, ...]
    ordered: tuple[Coop, ...]
    waiting: tuple[WaitingCoop, ...]

    @property
    def coop_count(self) -> int:
        return len(self.ordered) + len(self.waiting)

    @property
    def value(self) -> int:
        """Rupiah ordered of products whose MOQ is met, at the prices reached so far."""
        return sum(order_value(line) for line in self.progress if line.moq_reached)

    @property
    def value_waiting(self) -> int:
        """Rupiah ordered of products still below their MOQ (not bought if it stays so)."""
        return sum(order_value(line) for line in self.progress if not line.moq_reached)

    @property
    def saving(self) -> int:
        """Against the market price, of products whose MOQ is met."""
        return sum(
            buyable(line.item, line.total) * line.saving_per_unit
            for line in self.progress
            if line.moq_reached
        )

    @property
    def below_moq(self) -> list[ProductProgress]:
        """Ordered, but short of the MOQ: closest to it first."""
        found = [line for line in self.progress if line.total and not line.moq_reached]
        return sorted(found, key=lambda line: line.short_of_moq)

    @property
    def near_tier(self) -> list[ProductProgress]:
        """Ordered, with the next price tier within reach: closest first."""
        found = [
            line
            for line in self.progress
            if line.total
            and line.moq_reached
            and line.next_tier is not None
            and line.next_tier.units_more * NEAR_TIER_DIVISOR <= line.next_tier.min_total
        ]
        return sorted(found, key=lambda line: line.next_tier.units_more if line.next_tier else 0)

    @property
    def over_supply(self) -> list[ProductProgress]:
        """Asked beyond the supply cap: shared out at close."""
        return [
            line
            for line in self.progress
            if line.supply_cap is not None and line.total > line.supply_cap
        ]

    def context(
        self, shown_products: int = SHOWN_PRODUCTS, shown_coops: int = SHOWN_COOPS
    ) -> dict[str, object]:
        """The short recap's template context: each list cut short, with how many more."""
        lists: dict[str, tuple[list[object], int]] = {
            "below_moq": (list(self.below_moq), shown_products),
            "near_tier": (list(self.near_tier), shown_products),
            "over_supply": (list(self.over_supply), shown_products),
            "waiting": (list(self.waiting), shown_coops),
        }
        context: dict[str, object] = {
            "round": self.round,
            "ordered_count": len(self.ordered),
            "coop_count": self.coop_count,
            "value": self.value,
            "value_waiting": self.value_waiting,
            "saving": self.saving,
            "waiting_count": len(self.waiting),
        }
        for name, (entries, shown) in lists.items():
            context[name] = entries[:shown]
            context[f"{name}_more"] = max(0, len(entries) - shown)
        return context


async def read_recap(db: Database, round_: Round) -> Recap:
    """The round's recap as it stands, from one consistent snapshot."""
    async with db.read() as snap:
        totals = await totals_for_round(snap, round_.id)
        ordered = await coops_with_orders(snap, round_.id)
        coops = await coops_at_close(snap, round_.id)
        audience = await load_audience(snap)
    waiting = tuple(
        WaitingCoop(
            coop,
            tuple(rep.display_name or rep.user_id for rep in audience.treasurers(coop.code)),
        )
        for coop in sorted(coops, key=lambda coop: coop.name.casefold())
        if coop.code not in ordered
    )
    return Recap(
        round_,
        progress_for(round_, totals),
        tuple(coop for coop in coops if coop.code in ordered),
        waiting,
    )
