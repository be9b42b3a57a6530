"""`/rekap` (alias /summary): live totals of a round for the Dinas.

Per product: the running total, the price reached so far, what the next tier needs and
whether the MOQ is met; then which coops have ordered and which have not yet. The open
round by default, or `/rekap ID`. Only totals and coop codes: no coop's quantities.
"""

from __future__ import annotations

from handlers.admin.guard import admin_only
from handlers.contract.flow import Handler, Turn, error_reply
from handlers.contract.services import Services
from messages.buttons import Verb, encode
from messages.replies import Option, Reply
from purchasing.model import Round
from purchasing.progress import progress_for
from storage import rounds
from storage.commitment_reads import coops_with_orders, totals_for_round
from storage.round_parties import coops_at_close


async def find_round(services: Services, text: str) -> Round | None:
    """Round number `text`, or the open round when `text` is empty."""
    if not text:
        return await rounds.current_round(services.db, services.now())
    return await rounds.get_round(services.db, int(text)) if text.isdigit() else None


def round_missing(turn: Turn, text: str) -> Reply:
    if not text:
        return turn.reply("admin_no_open_round")
    return error_reply(turn.person, "unknown_round", {"round_id": text[:16]})


@admin_only
async def show_recap(services: Services, turn: Turn) -> list[Reply]:
    round_ = await find_round(services, turn.args)
    if round_ is None:
        return [round_missing(turn, turn.args)]
    return [await recap_reply(services, turn, round_)]


@admin_only
async def recap_button(services: Services, turn: Turn) -> list[Reply]:
    assert turn.payload is not None
    text = str(turn.payload.int_arg(0))
    round_ = await find_round(services, text)
    if round_ is None:
        return [round_missing(turn, text)]
    return [await recap_reply(services, turn, round_)]


async def recap_reply(services: Services, turn: Turn, round_: Round) -> Reply:
    totals = await totals_for_round(services.db, round_.id)
    ordered = await coops_with_orders(services.db, round_.id)
    coops = await coops_at_close(services.db, round_.id)
    context = {
        "round": round_,
        "progress": progress_for(round_, totals),
        "coops_ordered": [coop for coop in coops if coop.code in ordered],
        "coops_waiting": [coop for coop in coops if coop.code not in ordered],
    }
    refresh = Option("buttons/admin_refresh", payload=encode(Verb.RECAP, round_.id))
    return Reply("admin_recap", context, turn.language, ((refresh,),))


COMMANDS: dict[str, Handler] = {"rekap": show_recap, "summary": show_recap}
CALLBACKS: dict[Verb, Handler] = {Verb.RECAP: recap_button}
