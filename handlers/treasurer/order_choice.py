"""A line of a typed order that fits several products ("beras 12" when the round has two
kinds of rice): the question with one button per product, and the press that answers it.

"op:<round>:<code>:<quantity>:<coop>" sets that product to the quantity typed, for the coop the
question was asked for. Everything is checked again on the press, as for any button: the
round still takes orders, the product is in it, the quantity is one a person may type, and
the person still represents the coop. The change goes through `apply_lines`
(`usecases.ordering.set_quantities`), like a typed line.
"""

from __future__ import annotations

from dataclasses import replace

from handlers.contract.flow import Handler, Turn
from handlers.contract.services import Services
from handlers.treasurer.catalog import require_open_round
from handlers.treasurer.order_lines import apply_lines, result_reply
from messages.buttons import ForgedPayload, Verb, encode
from messages.replies import Option, Reply
from purchasing.errors import ProductNotInRound, QuantityInvalid
from purchasing.model import Round
from purchasing.order_text import LineQuestion, OrderLine, parse_quantity
from purchasing.product_match import CatalogEntry


def catalog_entries(round_: Round) -> list[CatalogEntry]:
    """The round's products as names can find them."""
    return [CatalogEntry(item.product_code, item.name, item.unit) for item in round_.items]


def question_reply(turn: Turn, round_: Round, coop_code: str, question: LineQuestion) -> Reply:
    """ "Baris 3 (beras 12): produk yang mana?" with one button per product."""
    options: list[tuple[Option, ...]] = []
    for entry in question.candidates:
        try:
            payload = encode(Verb.ORDER_PICK, round_.id, entry.code, question.quantity, coop_code)
        except ValueError:  # a code too long for a button: it stays in the text
            continue
        label = {"code": entry.code, "name": entry.name}
        options.append((Option("buttons/order_pick", label, payload=payload),))
    context: dict[str, object] = {
        "line_no": question.line_no,
        "raw": question.raw_text,
        "quantity": question.quantity,
        "more": question.more,
        "candidates": [round_.item(entry.code) for entry in question.candidates],
        "coop_code": coop_code,
        "coop_name": turn.person.coop_name(coop_code),
    }
    return replace(turn.reply("order_question", context), options=tuple(options))


async def pick_product(services: Services, turn: Turn) -> list[Reply]:
    """ "op:<round>:<code>:<quantity>:<coop>": the product meant, at the quantity typed."""
    assert turn.payload is not None
    payload = turn.payload
    if len(payload.args) != 4:
        raise ForgedPayload(payload)
    round_ = await require_open_round(services, payload.int_arg(0))
    code, coop = payload.str_arg(1), payload.str_arg(3).upper()
    try:
        quantity = parse_quantity(payload.str_arg(2))
    except QuantityInvalid as error:
        raise ForgedPayload(payload) from error
    if not turn.person.represents(coop):
        raise ForgedPayload(f"coop {coop}")
    if round_.item(code) is None:
        raise ProductNotInRound(product_code=code, round_name=round_.name, round_id=round_.id)
    applied = await apply_lines(services, turn, round_, coop, [OrderLine(code, quantity, 0)], {})
    reply = await result_reply(services, turn, round_, coop, applied.changes, applied.refusals)
    return [replace(reply, replace=True)]


COMMANDS: dict[str, Handler] = {}
CALLBACKS: dict[Verb, Handler] = {Verb.ORDER_PICK: pick_product}
