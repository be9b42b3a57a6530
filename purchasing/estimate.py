"""An open round's honest estimate for one coop: what is sure and what is still at risk.

One number "at the prices reached so far" misleads: a product below its MOQ at the close is
not ordered at all, and a product whose supply is over-subscribed is shared out. So the
estimate asks the close itself: `coop_estimates` runs `purchasing.outcome.compute_outcome`
(the very function the close runs, with `purchasing.allocation.allocate` for a supply cap) on
today's commitments, and sorts each line of the coop's would-be bill:

- SURE: the MOQ is met (or there is none) and the supply is not over-subscribed: the coop gets
  all it asked at the price reached so far;
- BELOW_MOQ: the round as a whole is `short_of_moq` units short of the minimum; if it stays
  short the product is not ordered and not billed (with `MoqPolicy.EXTEND` the round first
  gets its one extension, `purchasing.rounds.moq_extension`);
- OVERSUBSCRIBED: everybody together asked more than the supply cap; the coop's `share` is
  what `allocate` gives it at today's totals.

`sure` + `at_risk` is what the coop asked for, at the prices reached so far; `if_closed_now`
is exactly the bill the close would produce if nobody changed anything (`sure` plus the
shares of over-subscribed products; nothing for products below their MOQ).

A chat's reply after every order needs one coop's estimate only: `estimate_of` makes it from
the coop's own lines, each product's total and, for a product over its supply cap, every
coop's request (`storage.commitment_reads.coop_lines` reads them so), without building the
other coops' commitments or bills: the same value `coop_estimate` gives for the commitments
those lines were read from (held equal on random rounds by tests/purchasing/test_estimate.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from purchasing.allocation import AllocationRequest
from purchasing.model import Commitment, Round, RoundItem
from purchasing.outcome import Bill, ProductResult, compute_outcome
from purchasing.pricing import unit_price_for
from purchasing.progress import buyable
from purchasing.rounds import moq_extension

OTHER_COOPS = "*"
"""The coop code of a commitment standing for every other coop's units of a product together
(see `coop_estimates`); no real coop has it."""


class Standing(StrEnum):
    SURE = "sure"
    BELOW_MOQ = "below_moq"
    OVERSUBSCRIBED = "oversubscribed"


@dataclass(frozen=True, slots=True)
class EstimateLine:
    """One product the coop ordered, as it stands at today's totals."""

    item: RoundItem
    quantity: int  # what the coop asked for
    total: int  # what every coop together asked for
    unit_price: int  # the tier price today's total reaches
    share: int  # the units the coop would get if the round closed now
    standing: Standing

    @property
    def subtotal(self) -> int:
        """What the coop asked for, at the price reached so far."""
        return self.quantity * self.unit_price

    @property
    def share_subtotal(self) -> int:
        """What the bill would say for this product if the round closed now."""
        return self.share * self.unit_price

    @property
    def saving(self) -> int:
        """Against the market price, for the units the coop would get if the round closed now."""
        return self.share * (self.item.market_price - self.unit_price)

    @property
    def short_of_moq(self) -> int:
        """Units the round as a whole still needs to reach the MOQ (0 when met)."""
        return 0 if self.item.moq is None else max(0, self.item.moq - self.total)

    @property
    def over_supply(self) -> int:
        """Units everybody together asked beyond the supply cap (0 when within it)."""
        cap = self.item.supply_cap
        return 0 if cap is None else max(0, self.total - cap)

    @property
    def sure(self) -> bool:
        return self.standing is Standing.SURE


@dataclass(frozen=True, slots=True)
class Estimate:
    """The coop's order in an open round, split into what is sure and what is at risk.

    `extended_until` is the new deadline the round would get at its deadline under
    `MoqPolicy.EXTEND` while a product is below its MOQ (None: it would close, and such a
    product is dropped)."""

    lines: tuple[EstimateLine, ...]
    extended_until: datetime | None = None

    @property
    def empty(self) -> bool:
        return not self.lines

    @property
    def products(self) -> int:
        return len(self.lines)

    @property
    def sure(self) -> int:
        return sum(line.subtotal for line in self.lines if line.sure)

    @property
    def at_risk(self) -> int:
        return sum(line.subtotal for line in self.lines if not line.sure)

    @property
    def asked(self) -> int:
        """Everything asked for, at the prices reached so far (the old single estimate)."""
        return self.sure + self.at_risk

    @property
    def if_closed_now(self) -> int:
        """The bill's total if the round closed now with today's totals."""
        return sum(line.share_subtotal for line in self.lines)

    @property
    def saving(self) -> int:
        return sum(line.saving for line in self.lines)

    @property
    def risky_lines(self) -> tuple[EstimateLine, ...]:
        return tuple(line for line in self.lines if not line.sure)

    @property
    def below_moq(self) -> tuple[EstimateLine, ...]:
        return tuple(line for line in self.lines if line.standing is Standing.BELOW_MOQ)

    @property
    def oversubscribed(self) -> tuple[EstimateLine, ...]:
        return tuple(line for line in self.lines if line.standing is Standing.OVERSUBSCRIBED)


def coop_estimates(round_: Round, commitments: Iterable[Commitment]) -> dict[str, Estimate]:
    """Every coop's estimate (by coop code) from the round's commitments as they are now.

    `commitments` must hold, for each product a coop is estimated for, every coop's
    commitment to it where the round's total exceeds its supply cap (the shares depend on
    all of them); elsewhere only the total matters, so the other coops' units may come as
    one commitment of `OTHER_COOPS` (`storage.commitment_reads.commitments_sharing_products`
    reads them so). A coop without an order is absent."""
    return _estimates(round_, commitments, None)


def coop_estimate(round_: Round, coop_code: str, commitments: Iterable[Commitment]) -> Estimate:
    """One coop's estimate (empty when it ordered nothing); see `coop_estimates`. Only this
    coop's lines are built, however many coops' commitments it is given."""
    return _estimates(round_, commitments, coop_code).get(coop_code, Estimate(()))


def _estimates(
    round_: Round, commitments: Iterable[Commitment], only: str | None
) -> dict[str, Estimate]:
    outcome = compute_outcome(round_, commitments, (), ())
    results = {product.product_code: product for product in outcome.products}
    totals = {code: product.total_asked for code, product in results.items()}
    extended_until = moq_extension(round_, totals)
    return {
        bill.coop_code: Estimate(_lines(round_, bill, results), extended_until)
        for bill in outcome.bills
        if only is None or bill.coop_code == only
    }


def _lines(
    round_: Round, bill: Bill, results: dict[str, ProductResult]
) -> tuple[EstimateLine, ...]:
    lines = []
    for line in bill.lines:
        item = round_.item(line.product_code)
        assert item is not None  # compute_outcome bills only the round's own products
        result = results[line.product_code]
        lines.append(
            EstimateLine(
                item=item,
                quantity=line.asked,
                total=result.total_asked,
                unit_price=unit_price_for(item.tiers, buyable(item, result.total_asked)),
                share=line.allocated,
                standing=_standing(result),
            )
        )
    return tuple(lines)


def _standing(result: ProductResult) -> Standing:
    if not result.filled:
        return Standing.BELOW_MOQ
    if result.total_allocated < result.total_asked:
        return Standing.OVERSUBSCRIBED
    return Standing.SURE


@dataclass(frozen=True, slots=True)
class CoopLine:
    """A product one coop ordered in an open round: its `quantity`, the round's `total` (every
    coop's units, its own too) and, when that total exceeds the supply cap, every coop's
    request (its own too: the share depends on each of them; empty otherwise)."""

    product_code: str
    quantity: int
    total: int
    requests: tuple[AllocationRequest, ...] = field(default=())
    # Over the cap, the coop's share as the reader counted it (`share_counted`) instead of
    # every request.
    share: int | None = None


def estimate_of(round_: Round, coop_code: str, lines: Iterable[CoopLine]) -> Estimate:
    """`coop_estimate` for the commitments `lines` were read from, from those lines alone:
    each product as `compute_outcome` settles it (MOQ, one tier price, `allocate` over the
    cap), and `extended_until` from the totals of the coop's own products (as
    `coop_estimate` sees them when given `commitments_sharing_products`). Lines of a
    quantity of 0 and of products the round does not offer are ignored. Raises ValueError
    when a product is over its cap and its requests are missing (a bug of the caller)."""
    mine = {line.product_code: line for line in lines if line.quantity > 0}
    estimated: list[EstimateLine] = []
    totals: dict[str, int] = {}
    for item in round_.items:
        line = mine.get(item.product_code)
        if line is not None:
            totals[item.product_code] = line.total
            estimated.append(_line_of(item, coop_code, line))
    return Estimate(tuple(estimated), moq_extension(round_, totals))


def _line_of(item: RoundItem, coop_code: str, line: CoopLine) -> EstimateLine:
    total = line.total
    bought = buyable(item, total)
    filled = total > 0 and (item.moq is None or total >= item.moq)
    if not filled:
        share, standing = 0, Standing.BELOW_MOQ
    elif bought < total and line.share is not None:
        share, standing = line.share, Standing.OVERSUBSCRIBED
    elif bought < total:
        if sum(request.quantity for request in line.requests) != total:
            raise ValueError(f"{item.product_code} is over its cap: every request is needed")
        share = share_of(bought, coop_code, line.requests)
        standing = Standing.OVERSUBSCRIBED
    else:
        share, standing = line.quantity, Standing.SURE
    price = unit_price_for(item.tiers, bought)
    return EstimateLine(item, line.quantity, total, price, share, standing)


def share_counted(cap: int, quantity: int, total: int, handed: int, ahead: int) -> int:
    """`share_of` for a coop asking `quantity` of `total` units over the `cap`, from two
    counts over every request: `handed`, the sum of each one's pro-rata floor
    (quantity * cap // total), and `ahead`, how many come before this coop in the order the
    units left over are handed out (larger remainder of quantity * cap % total, then
    earlier `created_at`, then coop code)."""
    share = quantity * cap // total
    left_over = cap - handed
    return share + (1 if left_over > 0 and ahead < left_over else 0)


def share_of(cap: int, coop_code: str, requests: Sequence[AllocationRequest]) -> int:
    """The units `purchasing.allocation.allocate(cap, requests)` gives `coop_code` (0 when it
    asked nothing), found in two passes over the requests instead of sorting them: its
    pro-rata floor, and one unit more if fewer coops come before it in the order the units
    left over are handed out (largest remainder, then earliest `created_at`, then coop code)
    than there are such units. Tests hold it equal to `allocate` on random requests."""
    total, mine = 0, None
    for request in requests:  # plain loops: an order's reply runs this over every coop
        total += request.quantity
        if mine is None and request.coop_code == coop_code:
            mine = request
    if mine is None:
        return 0
    if total <= cap:
        return mine.quantity
    share, rest = divmod(mine.quantity * cap, total)
    handed, ahead = 0, 0
    mine_key = (mine.created_at, mine.coop_code)
    for request in requests:
        units = request.quantity * cap
        floor = units // total
        handed += floor
        other = units - floor * total
        if other > rest or (other == rest and (request.created_at, request.coop_code) < mine_key):
            ahead += 1
    left_over = cap - handed
    if left_over <= 0:
        return share
    return share + (1 if ahead < left_over else 0)
