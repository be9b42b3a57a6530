"""`/rekap` (alias /summary): a round's live totals for the Dinas, sized for a phone.

The open round by default, or `/rekap ID`. The headline first (coops that ordered out of
the round's coops, order value, saving), then the products that need attention (below the
MOQ, near the next price tier, asked beyond the supply) and the coops that have not ordered,
by name with their treasurers and contact: a handful of each, then "dan N lainnya"
(`usecases.recap`). Buttons: "arp:<round>" every product in full, "arw:<round>" every coop
that has not ordered, "ain:<round>" nudge them (`handlers.admin.nudges`, open round only),
"ar:<round>" refresh. Only totals and coop names: no coop's quantities.
"""

from __future__ import annotations

from handlers.admin.guard import admin_only
from handlers.contract.flow import Handler, Turn, error_reply
from handlers.contract.services import Services
from messages.buttons import Verb, encode
from messages.replies import Option, Reply
from purchasing.model import Round, RoundStatus
from storage import rounds
from usecases.recap import read_recap


async def find_round(services: Services, text: str) -> Round | None:
    """Round number `text`, or the open round when `text` is empty."""
    if not text:
        return await rounds.current_round(services.db, services.now())
    return await rounds.get_round(services.db, int(text)) if text.isdigit() else None


def round_missing(turn: Turn, text: str) -> Reply:
    """No open round (nothing typed), a round number that is not digits (`/ekspor abc`:
    the command to type, with a number), or no round of that number."""
    if not text:
        return turn.reply("admin_no_open_round")
    if not text.isdigit():
        command = (turn.event.text or "/rekap").split(maxsplit=1)[0].split("@", 1)[0]
        params = {"typed": text[:16], "command": command}
        return error_reply(turn.person, "round_number_not_digits", params)
    return error_reply(turn.person, "unknown_round", {"round_id": text[:16]})


@admin_only
async def show_recap(services: Services, turn: Turn) -> list[Reply]:
    round_ = await find_round(services, turn.args)
    if round_ is None:
        return [round_missing(turn, turn.args)]
    return [await recap_reply(services, turn, round_)]


async def _button_round(services: Services, turn: Turn) -> tuple[Round | None, str]:
    assert turn.payload is not None
    text = str(turn.payload.int_arg(0))
    return await find_round(services, text), text


@admin_only
async def recap_button(services: Services, turn: Turn) -> list[Reply]:
    round_, text = await _button_round(services, turn)
    if round_ is None:
        return [round_missing(turn, text)]
    return [await recap_reply(services, turn, round_)]


@admin_only
async def all_products(services: Services, turn: Turn) -> list[Reply]:
    """ "arp:<round>": every product's total, price reached, next tier, MOQ and supply."""
    round_, text = await _button_round(services, turn)
    if round_ is None:
        return [round_missing(turn, text)]
    recap = await read_recap(services.db, round_)
    return [turn.reply("admin_recap_products", {"round": round_, "progress": recap.progress})]


@admin_only
async def all_waiting(services: Services, turn: Turn) -> list[Reply]:
    """ "arw:<round>": every coop that has not ordered, with treasurers and contact."""
    round_, text = await _button_round(services, turn)
    if round_ is None:
        return [round_missing(turn, text)]
    recap = await read_recap(services.db, round_)
    return [turn.reply("admin_recap_waiting", {"round": round_, "waiting": recap.waiting})]


async def recap_reply(services: Services, turn: Turn, round_: Round) -> Reply:
    recap = await read_recap(services.db, round_)
    context = recap.context()
    buttons = [
        Option("buttons/admin_recap_products", payload=encode(Verb.RECAP_PRODUCTS, round_.id)),
    ]
    if recap.waiting:
        label = {"count": len(recap.waiting)}
        buttons.append(
            Option("buttons/admin_recap_waiting", label, encode(Verb.RECAP_WAITING, round_.id))
        )
    rows = [tuple(buttons)]
    if recap.waiting and round_.status is RoundStatus.OPEN:
        rows.append((Option("buttons/admin_nudge", payload=encode(Verb.NUDGE, round_.id)),))
    if round_.status is RoundStatus.OPEN:  # a closed round's figures no longer change
        rows.append((Option("buttons/admin_refresh", payload=encode(Verb.RECAP, round_.id)),))
    return Reply("admin_recap", context, turn.language, tuple(rows))


COMMANDS: dict[str, Handler] = {"rekap": show_recap, "summary": show_recap}
CALLBACKS: dict[Verb, Handler] = {
    Verb.RECAP: recap_button,
    Verb.RECAP_PRODUCTS: all_products,
    Verb.RECAP_WAITING: all_waiting,
}
