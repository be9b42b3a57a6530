"""Ordering by text: `/pesan KODE JUMLAH` and pasted `KODE JUMLAH` lists (any private text
that is not a command; a number typed after "type a number" goes to
`handlers.treasurer.quantity_buttons` first).

Every change goes through `storage.commitments` for the coop the person acts for, audited
with their chat; the lines are applied and answered by `handlers.treasurer.order_lines`. Text that
holds no order line at all gets a short "how to order", never silence.
"""

from __future__ import annotations

from handlers.contract.flow import Handler, Turn
from handlers.contract.services import Services
from handlers.treasurer import join
from handlers.treasurer.catalog import no_round_reply
from handlers.treasurer.order_lines import Refusal, apply_lines, result_reply
from handlers.treasurer.quantity_buttons import typed_quantity
from messages.buttons import Verb
from messages.replies import Reply
from purchasing.errors import LineNotUnderstood
from purchasing.model import Round
from purchasing.order_text import parse_order_lines
from purchasing.rounds import check_takes_orders
from storage import rounds


async def order_command(services: Services, turn: Turn) -> list[Reply]:
    """`/pesan KODE JUMLAH` (one line or several)."""
    coop = turn.person.acting_coop_code
    if coop is None:
        return await join.coop_needed(services, turn)
    return await _order_text(services, turn, coop, turn.args)


async def free_text(services: Services, turn: Turn) -> list[Reply]:
    """Any private text that is not a command: a typed quantity, or an order list."""
    typed = await typed_quantity(services, turn)
    if typed is not None:
        return typed
    coop = turn.person.acting_coop_code
    if coop is None:
        return await join.coop_needed(services, turn)
    return await _order_text(services, turn, coop, turn.args)


async def _order_text(services: Services, turn: Turn, coop: str, text: str) -> list[Reply]:
    round_ = await rounds.current_round(services.db, services.now())
    if round_ is None:
        return [await no_round_reply(services, turn)]
    parsed = parse_order_lines(text, {item.product_code: item.unit for item in round_.items})
    if not parsed.lines and all(isinstance(p.error, LineNotUnderstood) for p in parsed.problems):
        return [howto_reply(turn, round_)]
    check_takes_orders(round_, services.now())
    raw_by_line = dict(enumerate((line.strip() for line in text.splitlines()), start=1))
    applied = await apply_lines(services, turn, round_, coop, parsed.lines, raw_by_line)
    refusals = applied.refusals + [Refusal.of(problem) for problem in parsed.problems]
    reply = await result_reply(
        services, turn, round_, coop, applied.changes, refusals, applied.ordered
    )
    return [reply]


def howto_reply(turn: Turn, round_: Round) -> Reply:
    examples = list(round_.items[:2])
    return turn.reply("order_howto", {"round": round_, "examples": examples})


COMMANDS: dict[str, Handler] = {"pesan": order_command, "order": order_command}
CALLBACKS: dict[Verb, Handler] = {}
