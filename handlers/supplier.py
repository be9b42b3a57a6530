"""`/konfirmasi TANGGAL` (alias /confirm): a supplier's rep confirms the purchase order of the
last closed round with its delivery day ("2026-12-10", "9/12", "9 Des", "Rabu", "besok";
not a day past, nor more than `MAX_DELIVERY_DAYS` ahead: `purchasing.supply`); a product
it cannot ship in full goes on a line of its own, `KODE JUMLAH` (the units it can ship).
The buttons under the purchase order, "sc:<round>:<supplier>:<days>", confirm all of
it for tomorrow or the day after. See `usecases.supply`."""

from __future__ import annotations

from datetime import timedelta

from handlers.contract.flow import Handler, Turn
from handlers.contract.services import Services
from messages.buttons import ForgedPayload, Verb
from messages.replies import Reply
from purchasing.order_text import parse_count_lines
from purchasing.supply import CONFIRM_DAYS, read_delivery_day
from purchasing.times import wib_today
from usecases.supply import OrderConfirmed, confirm_purchase_order, shortage_lines


async def confirm_order(services: Services, turn: Turn) -> list[Reply]:
    suppliers = list(turn.person.supplier_codes)
    if not suppliers:
        return [turn.reply("supplier_only")]
    first, _, rest = turn.args.partition("\n")
    if not first.strip():
        return [turn.reply("supplier_confirm_usage")]
    delivery_on = read_delivery_day(first, wib_today(services.now(), services.timezone))
    shipped = parse_count_lines(rest, "shipped") if rest.strip() else {}
    done = await confirm_purchase_order(
        services, suppliers[0], delivery_on, shipped, turn.event.actor
    )
    return [turn.reply("supplier_confirm_done", _done_context(done))]


async def confirm_all_by_button(services: Services, turn: Turn) -> list[Reply]:
    """ "sc:<round>:<supplier>:<days>": all of the order ships in <days>; the person must
    still speak for that supplier."""
    assert turn.payload is not None
    payload = turn.payload
    round_id, supplier, days = payload.int_arg(0), payload.str_arg(1), payload.int_arg(2)
    speaks_for = set(turn.person.supplier_codes)
    if supplier not in speaks_for or days not in CONFIRM_DAYS:
        raise ForgedPayload(f"supplier {supplier} in {days} days")
    delivery_on = wib_today(services.now(), services.timezone) + timedelta(days=days)
    done = await confirm_purchase_order(
        services, supplier, delivery_on, {}, turn.event.actor, round_id
    )
    return [turn.reply("supplier_confirm_done", _done_context(done))]


def _done_context(done: OrderConfirmed) -> dict[str, object]:
    return {
        "round_name": done.round.name,
        "delivery_on": done.delivery_on.isoformat(),
        "shortages": shortage_lines(done),
    }


COMMANDS: dict[str, Handler] = {"konfirmasi": confirm_order, "confirm": confirm_order}
CALLBACKS: dict[Verb, Handler] = {Verb.SUPPLIER_CONFIRM: confirm_all_by_button}
