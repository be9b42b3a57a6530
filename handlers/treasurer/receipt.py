"""`/terima` (alias /received): the coop a treasurer acts for confirms what arrived of its
bill of the last closed round. Alone: everything as shipped. With lines `KODE JUMLAH`: the
units that arrived of each product that came short (they are billed as received; the
Dinas and the supplier are told). See `usecases.supply.confirm_receipt`."""

from __future__ import annotations

from handlers.contract.flow import Handler, Turn
from handlers.contract.services import Services
from handlers.treasurer import join
from messages.replies import Reply
from purchasing.order_text import parse_order_lines
from usecases.supply import confirm_receipt


async def confirm_received(services: Services, turn: Turn) -> list[Reply]:
    coop = turn.person.acting_coop_code
    if coop is None:
        return await join.coop_needed(services, turn)
    parsed = parse_order_lines(turn.args, {}) if turn.args.strip() else None
    if parsed is not None and parsed.problems:
        raise parsed.problems[0].error
    received = {line.code: line.quantity for line in parsed.lines} if parsed else {}
    done = await confirm_receipt(services, coop, received, turn.audit.actor)
    lines = []
    for change in done.changes:
        item = done.round.item(change.product_code)
        lines.append(
            {
                "product_code": change.product_code,
                "name": item.name if item else change.product_code,
                "unit": item.unit if item else "",
                "old": change.old,
                "new": change.new,
            }
        )
    context = {"round_name": done.round.name, "lines": lines, "total": done.total}
    return [turn.reply("receipt_done", context)]


COMMANDS: dict[str, Handler] = {"terima": confirm_received, "received": confirm_received}
CALLBACKS: dict[str, Handler] = {}
