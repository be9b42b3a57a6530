"""`/terima` (alias /received): the coop a treasurer acts for confirms what arrived of its
bill of the last closed round. Alone: everything as shipped. With lines `KODE JUMLAH`: the
units that arrived of each product that came short (they are billed as received; the
Dinas and the supplier are told). The button "ra:<round>:<coop>" under the delivery notice
is `/terima` alone for that round and coop. See `usecases.supply.confirm_receipt`."""

from __future__ import annotations

from handlers.contract.flow import Handler, Turn
from handlers.contract.services import Services
from handlers.treasurer import join
from messages.buttons import ForgedPayload, Verb
from messages.replies import Reply
from purchasing.order_text import parse_order_lines
from usecases.supply import ReceiptConfirmed, confirm_receipt


async def confirm_received(services: Services, turn: Turn) -> list[Reply]:
    coop = turn.person.acting_coop_code
    if coop is None:
        return await join.coop_needed(services, turn)
    parsed = parse_order_lines(turn.args, {}) if turn.args.strip() else None
    if parsed is not None and parsed.problems:
        raise parsed.problems[0].error
    received = {line.code: line.quantity for line in parsed.lines} if parsed else {}
    done = await confirm_receipt(services, coop, received, turn.audit.actor)
    return [turn.reply("receipt_done", _receipt_context(done))]


async def confirm_all_received(services: Services, turn: Turn) -> list[Reply]:
    """ "ra:<round>:<coop>": everything of that coop's bill of that round arrived as shipped;
    the person must still represent the coop (else the button is stale)."""
    assert turn.payload is not None
    round_id, coop = turn.payload.int_arg(0), turn.payload.str_arg(1).upper()
    if not turn.person.represents(coop):
        raise ForgedPayload(f"coop {coop}")
    done = await confirm_receipt(services, coop, {}, turn.audit.actor, round_id)
    return [turn.reply("receipt_done", _receipt_context(done))]


def _receipt_context(done: ReceiptConfirmed) -> dict[str, object]:
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
    return {"round_name": done.round.name, "lines": lines, "total": done.total}


COMMANDS: dict[str, Handler] = {"terima": confirm_received, "received": confirm_received}
CALLBACKS: dict[Verb, Handler] = {Verb.RECEIPT_ALL: confirm_all_received}
