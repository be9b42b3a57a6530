"""`/terima` (alias /received): the coop a treasurer acts for confirms what arrived of its
bill of the last closed round. Alone: everything as shipped. With lines `KODE JUMLAH`: the
units that arrived of each product that came short (they are billed as received; the
Dinas and the supplier are told). The button "ra:<round>:<coop>" under the delivery notice
is `/terima` alone for that round and coop. After a receipt with goods short, the button
"rp:<round>:<coop>" asks for photos: the next file this person sends (within PHOTO_WAIT)
is kept as a photo of the goods and shown to the Dinas and the suppliers concerned. See
`usecases.receipts.confirm_receipt` and `send_receipt_photo`."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from handlers.contract.flow import Handler, Turn
from handlers.contract.services import Services
from handlers.treasurer import join
from handlers.treasurer.proof import PHOTO_EXPECTED, refuse_picture
from messages.buttons import ForgedPayload, Verb, encode
from messages.replies import Option, Reply
from purchasing.order_text import parse_count_lines
from storage.encoding import JsonObject
from usecases.preferences import stop_waiting, wait_for_answer
from usecases.receipts import ReceiptConfirmed, confirm_receipt, send_receipt_photo

PHOTO_WAIT = timedelta(minutes=30)


async def confirm_received(services: Services, turn: Turn) -> list[Reply]:
    coop = turn.person.acting_coop_code
    if coop is None:
        return await join.coop_needed(services, turn, wanted="receipt")
    received = parse_count_lines(turn.args, "received") if turn.args.strip() else {}
    done = await confirm_receipt(services, coop, received, turn.audit.actor)
    return [_receipt_reply(turn, done)]


async def confirm_all_received(services: Services, turn: Turn) -> list[Reply]:
    """ "ra:<round>:<coop>": everything of that coop's bill of that round arrived as shipped;
    the person must still represent the coop (else the button is stale)."""
    assert turn.payload is not None
    round_id, coop = turn.payload.int_arg(0), turn.payload.str_arg(1).upper()
    if not turn.person.represents(coop):
        raise ForgedPayload(f"coop {coop}")
    done = await confirm_receipt(services, coop, {}, turn.audit.actor, round_id)
    return [_receipt_reply(turn, done)]


def _receipt_reply(turn: Turn, done: ReceiptConfirmed) -> Reply:
    """What the receipt did; when goods came short, a button to send photos of them."""
    reply = turn.reply("receipt_done", _receipt_context(done))
    if not done.changes:
        return reply
    payload = encode(Verb.RECEIPT_PHOTO, done.round.id, done.coop_code)
    return replace(reply, options=((Option("buttons/receipt_photo", payload=payload),),))


async def ask_for_photo(services: Services, turn: Turn) -> list[Reply]:
    """ "rp:<round>:<coop>": the next photo this person sends shows goods that came damaged
    or short (within PHOTO_WAIT), not a transfer."""
    assert turn.payload is not None
    round_id, coop = turn.payload.int_arg(0), turn.payload.str_arg(1).upper()
    if not turn.person.represents(coop):
        raise ForgedPayload(f"coop {coop}")
    state: JsonObject = {"expect": PHOTO_EXPECTED, "round_id": round_id, "coop_code": coop}
    await wait_for_answer(services, turn.event.platform, turn.event.user_id, state)
    return [turn.reply("receipt_photo_ask")]


def awaits_photo(services: Services, turn: Turn) -> bool:
    """Whether this person's next file is a photo of goods received (they asked to send one
    a short while ago)."""
    saved = turn.person.conversation
    if saved is None or saved.state.get("expect") != PHOTO_EXPECTED:
        return False
    return services.now() - saved.updated_at <= PHOTO_WAIT


async def send_photo(services: Services, turn: Turn) -> list[Reply]:
    """The photo of damaged goods the person said they would send."""
    document = turn.event.document
    assert document is not None and turn.person.conversation is not None
    state = turn.person.conversation.state
    round_id, coop = state.get("round_id"), state.get("coop_code")
    refused = refuse_picture(turn, document)
    if refused is not None:
        return [refused]
    assert document.path is not None  # refuse_picture refuses a file not fetched
    if not (isinstance(round_id, int) and isinstance(coop, str) and turn.person.represents(coop)):
        raise ForgedPayload(f"photo for {coop} in {round_id}")
    await stop_waiting(services, turn.event.platform, turn.event.user_id)
    sent = await send_receipt_photo(
        services, round_id, coop, document.path, document.name, turn.audit.actor
    )
    file = {"file": document.name}
    return [turn.reply("receipt_photo_received" if sent.new else "proof_again", file)]


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
CALLBACKS: dict[Verb, Handler] = {
    Verb.RECEIPT_ALL: confirm_all_received,
    Verb.RECEIPT_PHOTO: ask_for_photo,
}
