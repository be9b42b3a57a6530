"""A supplier confirms its purchase order (what it ships, and when), and each coop what it
received.

`check_confirmation` refuses what cannot be right: a second confirmation of the same order,
a product that is not in it, or more units than were ordered. `share_shortage` spreads what
a supplier can ship of a product over the coops by the same pro-rata rule as a supply cap
(`purchasing.allocation.allocate`: whole units, largest remainders, earliest order first).
The price reached at the close stays: a shortage makes no coop pay more per unit.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from purchasing.allocation import AllocationRequest, allocate
from purchasing.errors import (
    DeliveryNotConfirmed,
    NothingShortReceived,
    NotInPurchaseOrder,
    NotOnBill,
    OrderAlreadyConfirmed,
    ReceiptAlreadyConfirmed,
    ReceivedOverShipped,
    ShortageTooLarge,
)

# The delivery days a supplier can confirm its whole order for with one tap (days from today).
CONFIRM_DAYS = (1, 2)


@dataclass(frozen=True, slots=True)
class AllocationChange:
    coop_code: str
    product_code: str
    old: int
    new: int


@dataclass(frozen=True, slots=True)
class Delivery:
    """When one supplier delivers a coop's goods: `delivery_on` is None until the supplier
    confirms its purchase order."""

    supplier_code: str
    supplier_name: str
    delivery_on: date | None


def all_scheduled(deliveries: Sequence[Delivery]) -> bool:
    """Whether every supplier of a coop's goods has said when it delivers."""
    return all(delivery.delivery_on is not None for delivery in deliveries)


def check_deliveries_scheduled(
    deliveries: Sequence[Delivery], coop_code: str, round_name: str
) -> None:
    """A coop confirms receipt once every supplier of its goods has confirmed its order, so
    no shortage can change a bill already received (DeliveryNotConfirmed before)."""
    waiting = [delivery.supplier_name for delivery in deliveries if delivery.delivery_on is None]
    if waiting:
        raise DeliveryNotConfirmed(
            coop_code=coop_code, round_name=round_name, suppliers=", ".join(waiting)
        )


def check_confirmation(
    ordered: Mapping[str, int],
    shipped: Mapping[str, int],
    supplier: str,
    confirmed_on: date | None,
    round_name: str,
) -> None:
    """`ordered` and `shipped` are units per product code (shipped: only the short ones)."""
    if confirmed_on is not None:
        raise OrderAlreadyConfirmed(
            supplier=supplier, round_name=round_name, delivery_on=confirmed_on
        )
    for code, units in shipped.items():
        if code not in ordered:
            raise NotInPurchaseOrder(product_code=code, supplier=supplier)
        if units > ordered[code]:
            raise ShortageTooLarge(product_code=code, shipped=units, ordered=ordered[code])


def share_shortage(
    allocations: Mapping[str, Sequence[AllocationRequest]], shipped: Mapping[str, int]
) -> list[AllocationChange]:
    """The coops' new allocations of each product shipped short (`allocations`: per product
    code, each coop's allocation so far as a request); unchanged ones are left out."""
    changes = []
    for code, units in sorted(shipped.items()):
        requests = allocations.get(code, ())
        before = {request.coop_code: request.quantity for request in requests}
        for coop, after in allocate(units, requests).items():
            if after != before[coop]:
                changes.append(AllocationChange(coop, code, before[coop], after))
    return changes


def check_receipt(
    allocated: Mapping[str, int],
    received: Mapping[str, int],
    coop_code: str,
    confirmed_before: bool,
    round_name: str,
) -> list[AllocationChange]:
    """The changes a coop's receipt makes to its bill: each product received short is billed
    as received. `allocated` and `received` are units per product code (received: only the
    short ones). Refuses a second receipt, a product not on the bill, and more than shipped."""
    if confirmed_before:
        raise ReceiptAlreadyConfirmed(coop_code=coop_code, round_name=round_name)
    changes = []
    for code, units in sorted(received.items()):
        if code not in allocated:
            raise NotOnBill(product_code=code, coop_code=coop_code)
        if units > allocated[code]:
            raise ReceivedOverShipped(product_code=code, received=units, shipped=allocated[code])
        if units < allocated[code]:
            changes.append(AllocationChange(coop_code, code, allocated[code], units))
    return changes


def check_shortfall_reported(
    short_products: Sequence[str], coop_code: str, round_name: str
) -> None:
    """Photos of damaged goods back up a receipt that said what came short
    (NothingShortReceived before, or when everything arrived)."""
    if not short_products:
        raise NothingShortReceived(coop_code=coop_code, round_name=round_name)
