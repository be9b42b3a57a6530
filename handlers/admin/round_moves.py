"""Closing and cancelling a round from the chat, each behind a confirm button.

"aq:<id>" / "ay:<id>" (or `/putaran tutup ID`, `/putaran batal ID`) ask to confirm;
"ac:<id>" closes now, "ax:<id>" cancels, "an" dismisses the question. The confirm buttons
are checked again when pressed (admin, round exists, move still allowed by the round's
state machine), so a stale or forged button changes nothing.
"""

from __future__ import annotations

from typing import Literal

from handlers.admin.guard import admin_only
from handlers.contract.flow import Handler, Turn, error_reply
from handlers.contract.services import Services
from messages.buttons import Verb, encode
from messages.replies import Option, Reply
from purchasing.errors import InvalidTransition
from purchasing.model import Round, RoundStatus
from purchasing.rounds import can_move, close_underway
from storage import rounds
from usecases.rounds import cancel_round

Move = Literal["close", "cancel"]
_TARGET: dict[Move, RoundStatus] = {"close": RoundStatus.CLOSED, "cancel": RoundStatus.CANCELLED}
_ASK = {"close": Verb.ASK_CLOSE, "cancel": Verb.ASK_CANCEL}
_DO = {"close": Verb.CLOSE_ROUND, "cancel": Verb.CANCEL_ROUND}


def menu_options(round_: Round) -> tuple[tuple[Option, ...], ...]:
    """The buttons under a round: recap, and the moves its state still allows."""
    options = [Option("buttons/admin_recap", payload=encode(Verb.RECAP, round_.id))]
    for move in ("close", "cancel"):
        if can_move(round_.status, _TARGET[move]):
            options.append(Option(f"buttons/admin_{move}", payload=encode(_ASK[move], round_.id)))
    return tuple((option,) for option in options)


async def ask_to_confirm(services: Services, turn: Turn, round_id: int, move: Move) -> list[Reply]:
    round_ = await _movable_round(services, round_id, move)
    if round_ is None:
        return [error_reply(turn.person, "unknown_round", {"round_id": round_id})]
    options = (
        (Option(f"buttons/admin_confirm_{move}", payload=encode(_DO[move], round_.id)),),
        (Option("buttons/admin_never_mind", payload=encode(Verb.NEVER_MIND)),),
    )
    reply = turn.reply(f"admin_round_confirm_{move}", {"round": round_})
    return [Reply(reply.template, reply.context, reply.language, options)]


async def _movable_round(services: Services, round_id: int, move: Move) -> Round | None:
    round_ = await rounds.get_round(services.db, round_id)
    if round_ is not None and not can_move(round_.status, _TARGET[move]):
        raise InvalidTransition(from_status=round_.status.value, to_status=_TARGET[move].value)
    return round_


async def _close_underway(services: Services, round_id: int) -> Round | None:
    round_ = await rounds.get_round(services.db, round_id)
    return round_ if round_ is not None and close_underway(round_, services.now()) else None


def _round_id(turn: Turn) -> int:
    assert turn.payload is not None
    return turn.payload.int_arg(0)


@admin_only
async def ask_close(services: Services, turn: Turn) -> list[Reply]:
    underway = await _close_underway(services, _round_id(turn))
    if underway is not None:
        return [turn.reply("admin_round_closing", {"round": underway})]
    return await ask_to_confirm(services, turn, _round_id(turn), "close")


@admin_only
async def ask_cancel(services: Services, turn: Turn) -> list[Reply]:
    underway = await _close_underway(services, _round_id(turn))
    if underway is not None:
        return [turn.reply("admin_round_closing", {"round": underway})]
    return await ask_to_confirm(services, turn, _round_id(turn), "cancel")


@admin_only
async def close_now(services: Services, turn: Turn) -> list[Reply]:
    round_ = await _movable_round(services, _round_id(turn), "close")
    if round_ is None:
        return [error_reply(turn.person, "unknown_round", {"round_id": _round_id(turn)})]
    overview = await services.close_early(services, round_.id)
    if overview is None:  # closed meanwhile (another admin, a stopped child), or closing
        current = await rounds.get_round(services.db, round_.id)
        if current is None or current.status is RoundStatus.CANCELLED:
            await _movable_round(services, round_.id, "close")  # says it was cancelled
            return []
        return [Reply("admin_round_closing", {"round": current}, turn.language, replace=True)]
    context = {"round": round_, "overview": overview}
    return [Reply("admin_round_closed", context, turn.language, replace=True)]


@admin_only
async def cancel(services: Services, turn: Turn) -> list[Reply]:
    round_ = await _movable_round(services, _round_id(turn), "cancel")
    if round_ is None:
        return [error_reply(turn.person, "unknown_round", {"round_id": _round_id(turn)})]
    cancelled = await cancel_round(services, round_.id)
    return [Reply("admin_round_cancelled", {"round": cancelled}, turn.language, replace=True)]


@admin_only
async def never_mind(services: Services, turn: Turn) -> list[Reply]:
    return [Reply("admin_never_mind", {}, turn.language, replace=True)]


CALLBACKS: dict[Verb, Handler] = {
    Verb.ASK_CLOSE: ask_close,
    Verb.ASK_CANCEL: ask_cancel,
    Verb.CLOSE_ROUND: close_now,
    Verb.CANCEL_ROUND: cancel,
    Verb.NEVER_MIND: never_mind,
}
