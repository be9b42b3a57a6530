"""The outcome of closing a round: bills, purchase orders and the Dinas overview.

`compute_outcome` is the one function that turns a round's price snapshot and its
commitments into these values; it is pure and deterministic.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TypeVar

from purchasing.allocation import AllocationRequest, allocate
from purchasing.model import Commitment, Coop, Round, RoundItem, Supplier
from purchasing.pricing import unit_price_for
from purchasing.progress import buyable

T = TypeVar("T")


class LineStatus(StrEnum):
    FILLED = "filled"  # ordered in full at the price reached
    CUT = "cut"  # the supply cap was reached: fewer units than asked
    UNFILLED = "unfilled"  # the product missed its MOQ: not ordered at all


@dataclass(frozen=True, slots=True)
class ProductResult:
    """One product of the round at close."""

    product_code: str
    name: str
    supplier_code: str
    unit: str
    total_asked: int
    total_allocated: int
    unit_price: int | None  # the tier price reached; None when unfilled
    market_price: int
    moq: int | None
    supply_cap: int | None
    filled: bool

    @property
    def short_of_moq(self) -> int:
        """How many more units the MOQ needed (0 when it was met or there is none)."""
        if self.moq is None:
            return 0
        return max(0, self.moq - self.total_asked)


@dataclass(frozen=True, slots=True)
class BillLine:
    product_code: str
    name: str
    unit: str
    asked: int
    allocated: int
    unit_price: int | None
    market_price: int
    status: LineStatus
    # What changed its units after the close, last (`as_it_stands`): "shortage" (the
    # supplier's) or "receipt" (the coop's); "" when they are as the close shared them out.
    changed_by: str = ""

    @property
    def subtotal(self) -> int:
        return self.allocated * (self.unit_price or 0)

    @property
    def saving(self) -> int:
        """Against the reference market price, for the units actually bought."""
        if self.unit_price is None:
            return 0
        return self.allocated * (self.market_price - self.unit_price)


@dataclass(frozen=True, slots=True)
class Bill:
    """What one coop gets and pays (tagihan). Every coop that asked for something has one;
    one that gets nothing (each line unfilled, or cut to 0) owes Rp 0 and is not `payable`."""

    coop_code: str
    coop_name: str
    lines: tuple[BillLine, ...]
    delivery_note: str

    @property
    def total(self) -> int:
        return sum(line.subtotal for line in self.lines)

    @property
    def saving(self) -> int:
        return sum(line.saving for line in self.lines)

    @property
    def payable(self) -> bool:
        """Whether the coop has anything to pay. A bill of Rp 0 is not issued: no PDF, no
        bill sheet or row, no payment due (`storage.payments.bills_due` has none); its
        treasurer is told what became of each line and that there is nothing to pay."""
        return self.total > 0


@dataclass(frozen=True, slots=True)
class PurchaseOrderLine:
    product_code: str
    name: str
    unit: str
    quantity: int
    unit_price: int
    per_coop: tuple[tuple[str, int], ...]  # (coop code, allocated units), by coop code

    @property
    def amount(self) -> int:
        return self.quantity * self.unit_price


@dataclass(frozen=True, slots=True)
class PurchaseOrder:
    """What one supplier delivers (pesanan pembelian)."""

    supplier_code: str
    supplier_name: str
    lines: tuple[PurchaseOrderLine, ...]

    @property
    def total(self) -> int:
        return sum(line.amount for line in self.lines)


@dataclass(frozen=True, slots=True)
class Overview:
    """For the Dinas: participation, value, savings, what missed and what was cut."""

    coops_invited: int
    coops_ordered: int
    order_value: int
    market_value: int
    unfilled: tuple[ProductResult, ...]
    cut: tuple[ProductResult, ...]

    @property
    def savings(self) -> int:
        return self.market_value - self.order_value

    @property
    def nothing_bought(self) -> bool:
        """No product was bought: each missed its MOQ, or nobody ordered. Every price is
        positive (`purchasing.pricing.validate_tiers`), so that is an order value of 0."""
        return self.order_value == 0


@dataclass(frozen=True, slots=True)
class RoundOutcome:
    round_id: int
    products: tuple[ProductResult, ...]
    bills: tuple[Bill, ...]  # one per coop that asked for something, by coop code
    purchase_orders: tuple[PurchaseOrder, ...]
    overview: Overview

    @property
    def bills_to_pay(self) -> tuple[Bill, ...]:
        """The bills issued (PDFs, bill sheets and rows, payments): the `payable` ones."""
        return tuple(bill for bill in self.bills if bill.payable)


def compute_outcome(
    round_: Round,
    commitments: Iterable[Commitment],
    coops: Collection[Coop],
    suppliers: Collection[Supplier],
) -> RoundOutcome:
    """Settle a round: one price per product, allocation under supply caps, bills and orders.

    Per product (in the round's order): the units that can be bought (total asked, capped at
    the supply cap) decide one tier price for everybody; a total asked below the MOQ leaves
    the product unfilled; over the supply cap `allocate` shares the cap out. Commitments of
    quantity 0 and of products not in the round are ignored. Runs in time about linear in the
    number of commitments. Raises ValueError for commitments of another round, negative
    quantities or a coop committing twice to one product (bugs of the caller).
    """
    return outcome_of_groups(round_, [settle_group(round_, commitments)], coops, suppliers)


@dataclass(frozen=True, slots=True)
class SettledGroup:
    """Some of a round's products settled (`settle_group`): their results, in the round's
    order, and the bill lines (by coop code) and purchase-order lines (by supplier code)
    they give; `outcome_of_groups` puts the bills and orders together. `order_value`: what
    those bill lines add up to (each product bought: its price times its units allocated)."""

    products: tuple[ProductResult, ...]
    bill_lines: Mapping[str, Sequence[BillLine]]
    po_lines: Mapping[str, Sequence[PurchaseOrderLine]]
    order_value: int


def settle_group(round_: Round, commitments: Iterable[Commitment]) -> SettledGroup:
    """`compute_outcome`'s settling of each of the round's products (the round's items
    narrowed to a group of them, with their commitments): a product's price and allocation
    depend only on its own commitments, so a big round is settled a group at a time, never
    holding all its commitments at once. Raises as `compute_outcome`."""
    asks = _asks_by_product(round_, commitments)
    bill_lines: dict[str, list[BillLine]] = defaultdict(list)
    po_lines: dict[str, list[PurchaseOrderLine]] = defaultdict(list)
    products: list[ProductResult] = []
    order_value = 0
    for item in round_.items:
        product_asks = asks.get(item.product_code, [])
        result, allocated = _settle(item, product_asks)
        products.append(result)
        _add_bill_lines(bill_lines, result, product_asks, allocated)
        if result.filled and result.unit_price is not None:
            po_lines[item.supplier_code].append(_po_line(result, result.unit_price, allocated))
            order_value += result.unit_price * sum(allocated.values())
    return SettledGroup(tuple(products), bill_lines, po_lines, order_value)


def outcome_of_groups(
    round_: Round,
    groups: Sequence[SettledGroup],
    coops: Collection[Coop],
    suppliers: Collection[Supplier],
) -> RoundOutcome:
    """The round's outcome from disjoint groups of its products settled by `settle_group`,
    the groups in the round's order: the value `compute_outcome` gives for all of them at
    once. Each coop's bill and each supplier's order are made once, here, from their lines
    of every group."""
    products = [product for group in groups for product in group.products]
    bill_lines: Mapping[str, Sequence[BillLine]]
    po_lines: Mapping[str, Sequence[PurchaseOrderLine]]
    if len(groups) == 1:
        bill_lines, po_lines = groups[0].bill_lines, groups[0].po_lines
    else:
        bill_lines = _joined(group.bill_lines for group in groups)
        po_lines = _joined(group.po_lines for group in groups)
    bills = _bills(round_, bill_lines, {coop.code: coop.name for coop in coops})
    orders = _purchase_orders(po_lines, {supplier.code: supplier.name for supplier in suppliers})
    return RoundOutcome(
        round_id=round_.id,
        products=tuple(products),
        bills=bills,
        purchase_orders=orders,
        overview=_overview(products, sum(group.order_value for group in groups), bills, len(coops)),
    )


def _joined(parts: Iterable[Mapping[str, Sequence[T]]]) -> dict[str, list[T]]:
    joined: dict[str, list[T]] = defaultdict(list)
    for part in parts:
        for key, values in part.items():
            joined[key].extend(values)
    return joined


def _asks_by_product(
    round_: Round, commitments: Iterable[Commitment]
) -> dict[str, list[Commitment]]:
    offered = {item.product_code for item in round_.items}
    asks: dict[str, list[Commitment]] = defaultdict(list)
    for commitment in commitments:
        if commitment.round_id != round_.id:
            raise ValueError(f"commitment of round {commitment.round_id} in round {round_.id}")
        if commitment.quantity < 0:
            raise ValueError(f"negative quantity from {commitment.coop_code}")
        if commitment.quantity > 0 and commitment.product_code in offered:
            asks[commitment.product_code].append(commitment)
    return asks


def _settle(item: RoundItem, asks: Sequence[Commitment]) -> tuple[ProductResult, dict[str, int]]:
    total_asked = sum(commitment.quantity for commitment in asks)
    filled = total_asked > 0 and (item.moq is None or total_asked >= item.moq)
    allocated = _allocate(item.supply_cap, asks, total_asked) if filled else {}
    bought = buyable(item, total_asked) if filled else 0
    result = ProductResult(
        product_code=item.product_code,
        name=item.name,
        supplier_code=item.supplier_code,
        unit=item.unit,
        total_asked=total_asked,
        total_allocated=bought,
        unit_price=unit_price_for(item.tiers, bought) if filled else None,
        market_price=item.market_price,
        moq=item.moq,
        supply_cap=item.supply_cap,
        filled=filled,
    )
    return result, allocated


def _allocate(cap: int | None, asks: Sequence[Commitment], total: int) -> dict[str, int]:
    if cap is not None and total > cap:
        requests = [AllocationRequest(c.coop_code, c.quantity, c.created_at) for c in asks]
        return allocate(cap, requests)
    shares = {commitment.coop_code: commitment.quantity for commitment in asks}
    if len(shares) != len(asks):
        raise ValueError("a coop committed twice to one product")
    return shares


def _add_bill_lines(
    bill_lines: dict[str, list[BillLine]],
    result: ProductResult,
    asks: Sequence[Commitment],
    allocated: Mapping[str, int],
) -> None:
    """Each ask's bill line (its status as `line_status` gives it, worked out here: one
    line per commitment, 300,000 in a province's round)."""
    code, name, unit = result.product_code, result.name, result.unit
    price, market = result.unit_price, result.market_price
    if not result.filled:
        for commitment in asks:
            line = BillLine(code, name, unit, commitment.quantity, 0, price, market, _UNFILLED)
            bill_lines[commitment.coop_code].append(line)
        return
    for commitment in asks:
        asked, coop = commitment.quantity, commitment.coop_code
        units = allocated.get(coop, 0)
        status = _CUT if units < asked else _FILLED
        bill_lines[coop].append(BillLine(code, name, unit, asked, units, price, market, status))


_UNFILLED, _CUT, _FILLED = LineStatus.UNFILLED, LineStatus.CUT, LineStatus.FILLED


def line_status(filled: bool, asked: int, allocated: int) -> LineStatus:
    """A bill line's status: unfilled (MOQ missed), cut (fewer units than asked) or filled."""
    if not filled:
        return LineStatus.UNFILLED
    return LineStatus.CUT if allocated < asked else LineStatus.FILLED


def _po_line(
    result: ProductResult, unit_price: int, allocated: Mapping[str, int]
) -> PurchaseOrderLine:
    return PurchaseOrderLine(
        product_code=result.product_code,
        name=result.name,
        unit=result.unit,
        quantity=result.total_allocated,
        unit_price=unit_price,
        per_coop=tuple((coop, units) for coop, units in sorted(allocated.items()) if units > 0),
    )


def _bills(
    round_: Round, lines: Mapping[str, Sequence[BillLine]], coop_names: Mapping[str, str]
) -> tuple[Bill, ...]:
    return tuple(
        Bill(
            coop_code=code,
            coop_name=coop_names.get(code, code),
            lines=tuple(lines[code]),
            delivery_note=round_.delivery_note,
        )
        for code in sorted(lines)
    )


def _purchase_orders(
    lines: Mapping[str, Sequence[PurchaseOrderLine]], supplier_names: Mapping[str, str]
) -> tuple[PurchaseOrder, ...]:
    return tuple(
        PurchaseOrder(
            supplier_code=code,
            supplier_name=supplier_names.get(code, code),
            lines=tuple(lines[code]),
        )
        for code in sorted(lines)
    )


def _overview(
    products: Sequence[ProductResult], order_value: int, bills: Sequence[Bill], invited: int
) -> Overview:
    """`order_value`: what the `bills` add up to (`Bill.total`), summed per product."""
    filled = [product for product in products if product.filled]
    return Overview(
        coops_invited=invited,
        coops_ordered=len(bills),
        order_value=order_value,
        market_value=sum(product.total_allocated * product.market_price for product in filled),
        unfilled=tuple(p for p in products if p.total_asked > 0 and not p.filled),
        cut=tuple(p for p in filled if p.total_allocated < p.total_asked),
    )
