"""Quantity buttons under a product: +1/+5/+10, "type a number", remove, and the number
typed after "type a number".

"q:<round>:<code>:+5:<coop>" adds units in the same transaction as the read (two quick taps
both count), "q:<round>:<code>:=0:<coop>" removes the product. "t:<round>:<code>:<coop>"
stores {"expect": "quantity", ...} in `storage.people.conversations`; the next plain number (within
QUANTITY_STATE_TTL) sets that product's quantity. "x" closes the menu.

The coop is the one the product message showed: someone who acts for two coops and switched
since changes the coop they were looking at, and a person who no longer represents it gets
the polite "stale button" answer. Buttons sent before the coop was in the payload (no last
argument) act for the acting coop.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import timedelta

from handlers.contract.flow import Handler, Turn
from handlers.contract.services import Services
from handlers.treasurer import join
from handlers.treasurer.catalog import coop_quantity, product_reply, require_open_round
from messages.buttons import ForgedPayload, Verb, encode
from messages.replies import Option, Reply
from purchasing.errors import (
    CountNotForUnit,
    ProductNotInRound,
    PurchasingError,
    QuantityInvalid,
    UnitMismatch,
)
from purchasing.model import CommitmentChange
from purchasing.order_text import parse_order_lines
from purchasing.product_match import CatalogEntry
from usecases.ordering import set_quantity
from usecases.preferences import stop_waiting, wait_for_answer

QUANTITY_STATE_TTL = timedelta(minutes=30)
STEPS = {"+1": 1, "+5": 5, "+10": 10}
_NOT_A_QUANTITY = (QuantityInvalid, UnitMismatch, CountNotForUnit)


async def typed_quantity(services: Services, turn: Turn) -> list[Reply] | None:
    """The quantity a person was asked to type (after "t:"), if this text is that number.

    A number the round cannot take ("-3", "1,5", "12 dus" for karung) is explained and the
    question stays open, so the person simply types again; other text ends the question."""
    event = turn.event
    saved = turn.person.conversation
    if saved is None or saved.state.get("expect") != "quantity":
        return None
    state = saved.state
    fresh = services.now() - saved.updated_at <= QUANTITY_STATE_TTL
    round_id, code, coop = state.get("round_id"), state.get("product_code"), state.get("coop_code")
    if not (fresh and isinstance(coop, str) and turn.person.represents(coop)) or (
        not (isinstance(round_id, int) and isinstance(code, str)) or "\n" in turn.args
    ):
        await stop_waiting(services, event.platform, event.user_id)
        return None
    try:
        round_ = await require_open_round(services, round_id)
    except (PurchasingError, ForgedPayload):
        await stop_waiting(services, event.platform, event.user_id)  # the question is moot
        raise
    item = round_.item(code)
    # Read as the line "CODE <text>", so "12", "1.000", "12 karung", "12 dus" and "2 lusin"
    # (for a product sold by the piece) all work.
    entries = [CatalogEntry(code, item.name, item.unit)] if item else []
    parsed = parse_order_lines(f"{code} {turn.args}", {code: item.unit} if item else {}, entries)
    answered = [p.error for p in parsed.problems if isinstance(p.error, _NOT_A_QUANTITY)]
    if item is not None and answered:
        raise answered[0]
    await stop_waiting(services, event.platform, event.user_id)
    if item is None or len(parsed.lines) != 1:
        return None
    change = await _set(services, turn, round_.id, coop, code, parsed.lines[0].quantity)
    return [await product_reply(services, turn, round_, code, change, coop)]


async def step_quantity(services: Services, turn: Turn) -> list[Reply]:
    """ "q:<round>:<code>:+5:<coop>" adds units, "q:<round>:<code>:=0:<coop>" removes them."""
    assert turn.payload is not None
    payload = turn.payload
    if len(payload.args) not in (3, 4) or (
        payload.args[2] not in STEPS and payload.args[2] != "=0"
    ):
        raise ForgedPayload(payload)
    round_ = await require_open_round(services, payload.int_arg(0))
    code = payload.str_arg(1)
    coop = _pressed_for(turn, payload.args[3:])
    if coop is None:
        return await join.coop_needed(services, turn)
    if round_.item(code) is None:
        raise ProductNotInRound(product_code=code, round_name=round_.name, round_id=round_.id)
    step = STEPS.get(payload.args[2])
    change = await _set(services, turn, round_.id, coop, code, step or 0, relative=step is not None)
    reply = await product_reply(services, turn, round_, code, change, coop)
    return [replace(reply, replace=True)]


async def ask_quantity(services: Services, turn: Turn) -> list[Reply]:
    """ "t:<round>:<code>:<coop>": wait for the person to type a number for this product."""
    assert turn.payload is not None
    if len(turn.payload.args) not in (2, 3):
        raise ForgedPayload(turn.payload)
    round_ = await require_open_round(services, turn.payload.int_arg(0))
    code = turn.payload.str_arg(1)
    coop = _pressed_for(turn, turn.payload.args[2:])
    if coop is None:
        return await join.coop_needed(services, turn)
    item = round_.item(code)
    if item is None:
        raise ProductNotInRound(product_code=code, round_name=round_.name, round_id=round_.id)
    state: dict[str, object] = {
        "expect": "quantity", "round_id": round_.id, "product_code": code, "coop_code": coop
    }  # fmt: skip
    event = turn.event
    await wait_for_answer(services, event.platform, event.user_id, state)
    current = await coop_quantity(services, round_.id, coop, code)
    name = turn.person.coop_name(coop)
    context = {"item": item, "current": current, "coop_code": coop, "coop_name": name}
    reply = turn.reply("order_type_quantity", context)
    cancel = Option("buttons/order_cancel", payload=encode(Verb.CLOSE_MENU))
    return [replace(reply, options=((cancel,),))]


def _pressed_for(turn: Turn, coop_arg: Sequence[str]) -> str | None:
    """The coop a quantity button was made for, checked again: the person must still
    represent it (else the button is stale). Without one (an older button): the acting coop."""
    if not coop_arg:
        return turn.person.acting_coop_code
    coop = coop_arg[0].upper()
    if not turn.person.represents(coop):
        raise ForgedPayload(f"coop {coop}")
    return coop


async def cancel(services: Services, turn: Turn) -> list[Reply]:
    """ "x": close the menu and forget a quantity we were waiting for."""
    event = turn.event
    saved = turn.person.conversation
    if saved is not None and saved.state.get("expect") == "quantity":
        await stop_waiting(services, event.platform, event.user_id)
    return [replace(turn.reply("order_cancelled"), replace=True)]


COMMANDS: dict[str, Handler] = {}
CALLBACKS: dict[Verb, Handler] = {
    Verb.QUANTITY_STEP: step_quantity,
    Verb.TYPE_QUANTITY: ask_quantity,
    Verb.CLOSE_MENU: cancel,
}


async def _set(
    services: Services,
    turn: Turn,
    round_id: int,
    coop_code: str,
    code: str,
    quantity: int,
    *,
    relative: bool = False,
) -> CommitmentChange:
    return await set_quantity(
        services, round_id, coop_code, code, quantity, turn.audit, relative=relative
    )
