"""My coop's order: `/pesanan` (lines, prices so far, the estimate split into what is sure and
what is at risk (`purchasing.estimate`), saving, time left;
with no round open, the bill of the last closed one) and `/ulang` (propose the order of the
last closed round again; "u:<round>" confirms it).

The proposal is never carried in the button: "u:<round>" recomputes it from the database,
so a forged or stale button can only repeat what `/ulang` would show right now.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import timedelta

from handlers.contract.flow import Handler, Turn
from handlers.contract.services import Services
from handlers.treasurer import join
from handlers.treasurer.catalog import check_browsable, no_round_reply, require_open_round
from handlers.treasurer.last_bill import closed_bill, last_closed_bill
from handlers.treasurer.order_lines import apply_lines, result_reply
from messages.buttons import ForgedPayload, Verb, encode
from messages.replies import Option, Reply
from purchasing.estimate import estimate_of
from purchasing.model import Round, RoundItem, RoundStatus
from purchasing.order_text import OrderLine
from purchasing.rounds import check_takes_orders
from storage import rounds
from storage.commitment_reads import commitments_for_coop, coop_lines
from usecases.notices.reminders import estimate_context, order_example


@dataclass(frozen=True, slots=True)
class RepeatLine:
    item: RoundItem
    quantity: int  # as ordered in the earlier round
    current: int  # already ordered in this round


@dataclass(frozen=True, slots=True)
class Repeat:
    previous: Round
    lines: tuple[RepeatLine, ...]
    skipped: tuple[str, ...]  # product codes the current round does not offer


async def show_my_order(services: Services, turn: Turn) -> list[Reply]:
    coop = turn.person.acting_coop_code
    if coop is None:
        return await join.coop_needed(services, turn)
    round_ = await rounds.current_round(services.db, services.now())
    if round_ is None:  # no round open: the bill of the last one, if the coop ordered in it
        bill = await last_closed_bill(services, turn, coop)
        return [await no_round_reply(services, turn), *([bill] if bill else [])]
    return [await _my_order_reply(services, turn, round_, coop)]


async def my_order_button(services: Services, turn: Turn) -> list[Reply]:
    """ "o:<round>" from the main menu."""
    assert turn.payload is not None
    if len(turn.payload.args) != 1:
        raise ForgedPayload(turn.payload)
    round_ = await rounds.get_round(services.db, turn.payload.int_arg(0))
    if round_ is None:
        raise ForgedPayload(turn.payload)
    coop = turn.person.acting_coop_code
    if coop is None:
        return await join.coop_needed(services, turn)
    bill = (
        await closed_bill(services, turn, round_, coop)
        if round_.status is RoundStatus.CLOSED
        else None
    )
    if bill is not None:
        return [bill]
    # Cancelled, or closed without an order of ours: RoundOver. Past the deadline but not yet
    # closed, the order can still be looked at, like /pesanan.
    await check_browsable(services, round_)
    return [replace(await _my_order_reply(services, turn, round_, coop), replace=True)]


async def _my_order_reply(services: Services, turn: Turn, round_: Round, coop: str) -> Reply:
    estimate = estimate_of(round_, coop, await coop_lines(services.db, round_.id, coop))
    context = {
        "round": round_,
        "coop_code": coop,
        "coop_name": turn.person.coop_name(coop),
        "lines": estimate.lines,
        "estimate": estimate_context(estimate),
        "saving": estimate.saving,
        "time_left": max(timedelta(0), round_.closes_at - services.now()),
        "example": None if estimate.lines else order_example(round_),
    }
    options = ((Option("buttons/catalog_open", payload=encode(Verb.CATALOG_PAGE, round_.id, 0)),),)
    return Reply("my_order", context, turn.language, options)


async def propose_repeat(services: Services, turn: Turn) -> list[Reply]:
    """`/ulang`: show what the last closed round's order would set, with a confirm button."""
    coop = turn.person.acting_coop_code
    if coop is None:
        return await join.coop_needed(services, turn)
    round_ = await rounds.current_round(services.db, services.now())
    if round_ is None:
        return [await no_round_reply(services, turn)]
    check_takes_orders(round_, services.now())
    repeat = await _repeat(services, round_, coop)
    if repeat is None or not repeat.lines:
        return [turn.reply("my_order_repeat_none", {"repeat": repeat})]
    context = {
        "round": round_,
        "coop_code": coop,
        "coop_name": turn.person.coop_name(coop),
        "repeat": repeat,
    }
    confirm = Option(
        "buttons/my_order_repeat_confirm", payload=encode(Verb.REPEAT_ORDER, round_.id)
    )
    cancel = Option("buttons/order_cancel", payload=encode(Verb.CLOSE_MENU))
    return [Reply("my_order_repeat", context, turn.language, ((confirm, cancel),))]


async def confirm_repeat(services: Services, turn: Turn) -> list[Reply]:
    """ "u:<round>": set every line of the proposal (recomputed now)."""
    assert turn.payload is not None
    if len(turn.payload.args) != 1:
        raise ForgedPayload(turn.payload)
    round_ = await require_open_round(services, turn.payload.int_arg(0))
    coop = turn.person.acting_coop_code
    if coop is None:
        return await join.coop_needed(services, turn)
    repeat = await _repeat(services, round_, coop)
    if repeat is None or not repeat.lines:
        return [turn.reply("my_order_repeat_none", {"repeat": repeat})]
    lines = [OrderLine(line.item.product_code, line.quantity, 0) for line in repeat.lines]
    applied = await apply_lines(services, turn, round_, coop, lines, {})
    reply = await result_reply(services, turn, round_, coop, applied.changes, applied.refusals)
    return [replace(reply, replace=True)]


async def _repeat(services: Services, round_: Round, coop: str) -> Repeat | None:
    """The coop's order in the latest closed round it took part in, fitted to `round_`."""
    for previous in await rounds.closed_rounds(services.db):
        earlier = await commitments_for_coop(services.db, previous.id, coop)
        if previous.id == round_.id or not earlier:
            continue
        now_ordered = {
            c.product_code: c.quantity
            for c in await commitments_for_coop(services.db, round_.id, coop)
        }
        lines: list[RepeatLine] = []
        skipped: list[str] = []
        for commitment in earlier:
            item = round_.item(commitment.product_code)
            if item is None:
                skipped.append(commitment.product_code)
                continue
            current = now_ordered.get(item.product_code, 0)
            lines.append(RepeatLine(item, commitment.quantity, current))
        return Repeat(previous, tuple(lines), tuple(skipped))
    return None


COMMANDS: dict[str, Handler] = {
    "pesanan": show_my_order,
    "myorder": show_my_order,
    "ulang": propose_repeat,
    "repeat": propose_repeat,
}
CALLBACKS: dict[Verb, Handler] = {Verb.MY_ORDER: my_order_button, Verb.REPEAT_ORDER: confirm_repeat}
