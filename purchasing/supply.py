"""A supplier confirms its purchase order (what it ships, and when), and each coop what it
received.

`check_confirmation` refuses what cannot be right: a second confirmation of the same order,
a product that is not in it, or more units than were ordered. `share_shortage` spreads what
a supplier can ship of a product over the coops by the same pro-rata rule as a supply cap
(`purchasing.allocation.allocate`: whole units, largest remainders, earliest order first).
The price reached at the close stays: a shortage makes no coop pay more per unit.

The delivery day is read by `read_delivery_day` (the day words of
`purchasing.spoken_times.parse_spoken_day`) and checked by `check_delivery_day`: from today
to `MAX_DELIVERY_DAYS` after it. A confirmation cannot be undone, so a typing slip such as
"2030-01-01" must not set a delivery years away.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from purchasing.allocation import AllocationRequest, allocate
from purchasing.errors import (
    DayWithProducts,
    DeliveryDayTooFar,
    DeliveryNotConfirmed,
    NothingShortReceived,
    NotInPurchaseOrder,
    NotOnBill,
    OrderAlreadyConfirmed,
    ReceiptAlreadyConfirmed,
    ReceivedOverShipped,
    ShortageTooLarge,
)
from purchasing.spoken_times import parse_spoken_day
from purchasing.times import DayInvalid, check_not_past

# The delivery days a supplier can confirm its whole order for with one tap (days from today).
CONFIRM_DAYS = (1, 2)
# The latest delivery day a supplier can confirm, in days after today (about two months).
MAX_DELIVERY_DAYS = 60
_CODE = re.compile(r"\S*[A-Za-z]\S*")


def read_delivery_day(line: str, today: date) -> date:
    """The first line of `/konfirmasi`: the delivery day ("besok", "Rabu", "9 Des", "9/12",
    "2026-12-10"). A line that starts with a day and goes on with products and counts
    ("besok GLP-50 7") is refused with those products on lines of their own
    (DayWithProducts): the confirmation cannot be undone, so it is not guessed at."""
    try:
        return parse_spoken_day(line, today)
    except DayInvalid:
        words = line.split()
        for cut in range(len(words) - 2, 0, -2):
            pairs = list(zip(words[cut::2], words[cut + 1 :: 2], strict=True))
            if not all(_CODE.fullmatch(code) and count.isdigit() for code, count in pairs):
                continue
            try:
                parse_spoken_day(" ".join(words[:cut]), today)
            except DayInvalid:
                continue
            lines = [f"{code} {count}" for code, count in pairs]
            raise DayWithProducts(text=line, day=" ".join(words[:cut]), lines=lines) from None
        raise


def check_delivery_day(day: date, today: date) -> None:
    """A delivery day is today or later (DayPassed) and at most `MAX_DELIVERY_DAYS` after
    today (DeliveryDayTooFar)."""
    check_not_past(day, today)
    latest = today + timedelta(days=MAX_DELIVERY_DAYS)
    if day > latest:
        raise DeliveryDayTooFar(day=day, today=today, latest=latest, max_days=MAX_DELIVERY_DAYS)


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
