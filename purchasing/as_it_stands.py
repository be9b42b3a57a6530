"""A closed round's bills and purchase orders as they stand now, not as they were at the close.

After the close a supplier's shortage (`purchasing.supply.share_shortage`) or a coop's receipt
(`check_receipt`) changes what a coop gets of a product; those changes are kept per coop and
product. `as_it_stands` applies them to the outcome computed at the close: a changed bill line
has its new units (and is marked cut when it gets fewer than asked), a purchase order line
its new units per coop. Prices, the products' results and the overview stay as closed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from purchasing.outcome import (
    Bill,
    LineStatus,
    PurchaseOrder,
    PurchaseOrderLine,
    RoundOutcome,
    line_status,
)


@dataclass(frozen=True, slots=True)
class UnitsNow:
    """What a coop gets of a product since a change after the close, and that change's
    reason ("shortage" or "receipt": the last change's, when there were several)."""

    units: int
    reason: str


Changed = Mapping[tuple[str, str], UnitsNow]  # by (coop code, product code)


def as_it_stands(outcome: RoundOutcome, changed: Changed) -> RoundOutcome:
    if not changed:
        return outcome
    bills = tuple(_bill(bill, changed) for bill in outcome.bills)
    orders = tuple(_order(order, changed) for order in outcome.purchase_orders)
    return replace(outcome, bills=bills, purchase_orders=orders)


def _bill(bill: Bill, changed: Changed) -> Bill:
    lines = []
    for line in bill.lines:
        now = changed.get((bill.coop_code, line.product_code))
        if now is None or line.status is LineStatus.UNFILLED:
            lines.append(line)
            continue
        status = line_status(True, line.asked, now.units)
        lines.append(replace(line, allocated=now.units, status=status, changed_by=now.reason))
    return replace(bill, lines=tuple(lines))


def _order(order: PurchaseOrder, changed: Changed) -> PurchaseOrder:
    return replace(order, lines=tuple(_order_line(line, changed) for line in order.lines))


def _order_line(line: PurchaseOrderLine, changed: Changed) -> PurchaseOrderLine:
    per_coop = tuple((coop, _units(changed, coop, line.product_code, units))
                     for coop, units in line.per_coop)  # fmt: skip
    return replace(line, per_coop=per_coop, quantity=sum(units for _, units in per_coop))


def _units(changed: Changed, coop: str, product_code: str, at_close: int) -> int:
    now = changed.get((coop, product_code))
    return at_close if now is None else now.units
