"""`/konfirmasi TANGGAL` (alias /confirm): a supplier's rep confirms the purchase order of the
last closed round with its delivery day ("2026-12-10", "besok", "lusa"; not a day past); a
product it cannot ship in full goes on a line of its own, `KODE JUMLAH` (the units it can
ship). See `usecases.supply`."""

from __future__ import annotations

from handlers.contract.flow import Handler, Turn
from handlers.contract.services import Services
from messages.replies import Reply
from purchasing.model import RepRole
from purchasing.order_text import parse_order_lines
from purchasing.times import parse_date, wib_today
from usecases.supply import confirm_purchase_order


async def confirm_order(services: Services, turn: Turn) -> list[Reply]:
    suppliers = [rep.coop_code for rep in turn.person.reps if rep.role is RepRole.SUPPLIER]
    if not suppliers:
        return [turn.reply("supplier_only")]
    first, _, rest = turn.args.partition("\n")
    if not first.strip():
        return [turn.reply("supplier_confirm_usage")]
    delivery_on = parse_date(first, wib_today(services.now()))
    parsed = parse_order_lines(rest, {}) if rest.strip() else None
    if parsed is not None and parsed.problems:
        raise parsed.problems[0].error
    shipped = {line.code: line.quantity for line in parsed.lines} if parsed else {}
    done = await confirm_purchase_order(
        services, suppliers[0], delivery_on, shipped, turn.event.actor
    )
    shortages = [
        {"product_code": code, "ordered": ordered, "shipped": units}
        for code, (ordered, units) in sorted(done.short.items())
    ]
    context = {
        "round_name": done.round.name,
        "delivery_on": done.delivery_on.isoformat(),
        "shortages": shortages,
    }
    return [turn.reply("supplier_confirm_done", context)]


COMMANDS: dict[str, Handler] = {"konfirmasi": confirm_order, "confirm": confirm_order}
CALLBACKS: dict[str, Handler] = {}
