"""`/putaran` (alias /round): the Dinas lists, opens and extends rounds from the chat.

- `/putaran` lists the latest rounds, one button each ("am:<id>") that opens the round's
  menu: recap, close now, cancel (the last two ask to confirm, see `admin_round_moves`).
- `/putaran baru NAMA | TUTUP [| PRODUK,PRODUK] [| CATATAN PENGIRIMAN]` creates a round,
  opens it now and announces it; TUTUP is a date and time in the config's `timezone`
  ("2026-12-05 17:00"), the
  products default to every catalog product not retired (an unknown or retired code
  refuses the round), and the delivery note is printed on every bill.
- `/putaran draf NAMA | BUKA | TUTUP [| PRODUK,PRODUK] [| CATATAN]` prepares a round that
  opens by itself at BUKA (after the open round closes, if one is still open then).
- `/putaran baru` alone asks for the round step by step, with buttons; `/putaran salin`
  starts from the newest round (`handlers.admin.round_steps`; buttons under the list too).
- `/putaran perpanjang ID TUTUP` moves an open round's deadline later.
- `/putaran tutup ID` and `/putaran batal ID` ask to confirm closing or cancelling.

A command missing something (`/putaran perpanjang 1`: the deadline), with a number where
the action goes (`/putaran 1`) or with words too many (`/putaran tutup 2 sekarang`) is
answered with what is missing or not understood and the one usage line that fits
(`admin_round_usage_line`); an unknown action with the whole usage, naming it.
"""

from __future__ import annotations

from datetime import datetime

from handlers.admin import round_steps
from handlers.admin.guard import admin_only
from handlers.admin.round_moves import Move, ask_to_confirm, menu_options
from handlers.contract.flow import Handler, Turn, error_reply
from handlers.contract.services import Services
from messages.buttons import Verb, encode
from messages.replies import Option, Reply
from purchasing.model import RoundPlan, RoundStatus
from purchasing.order_text import shorten
from purchasing.spoken_times import parse_spoken_time
from storage import rounds
from storage.delivery import outbox
from storage.supply import settlement_progress
from usecases.rounds import create_round, extend_round

ROUNDS_LISTED = 8
NAME_LIMIT = 80
COMMAND_LIMIT = 1000  # name, deadline, product codes and a delivery note
LABEL_NAME_CHARS = 40  # a button per row: room for "Belanja Bareng Desember 2026"
TYPED_SHOWN = 30  # characters of words not understood, quoted back


@admin_only
async def round_command(services: Services, turn: Turn) -> list[Reply]:
    action, _, rest = turn.args.partition(" ")
    rest = rest.strip()
    match action.lower():
        case "":
            return await list_rounds(services, turn)
        case "baru" | "new" if not rest:
            return await round_steps.start_new(services, turn)
        case "salin" | "copy" if not rest:
            return await round_steps.start_copy(services, turn)
        case "salin" | "copy":
            return [_usage_line(turn, "copy", "extra", typed=rest)]
        case "baru" | "new":
            return await create_and_open(services, turn, rest)
        case "draf" | "draft":
            return await create_draft(services, turn, rest)
        case "perpanjang" | "extend":
            return await extend(services, turn, rest)
        case "tutup" | "close":
            return await _ask_to_move(services, turn, rest, "close")
        case "batal" | "cancel":
            return await _ask_to_move(services, turn, rest, "cancel")
        case number if number.isdigit():
            return [_usage_line(turn, "", "no_action", round_id=int(number))]
    return [turn.reply("admin_round_usage", {"unknown": shorten(action, TYPED_SHOWN)})]


def _usage_line(
    turn: Turn, action: str, problem: str, *, typed: str = "", round_id: int | None = None
) -> Reply:
    """What is missing or not understood in a /putaran command ("missing_number",
    "not_a_number", "extra", "missing_time", "shape", "no_action") and the one usage line of
    `action` ("new", "draft", "extend", "close", "cancel", "copy") to type instead."""
    context = {
        "action": action, "problem": problem, "typed": shorten(typed, TYPED_SHOWN),
        "round_id": round_id, "name_limit": NAME_LIMIT,
    }  # fmt: skip
    return turn.reply("admin_round_usage_line", context)


def _round_number(typed: str) -> tuple[int | None, str, str]:
    """ "3 besok 17.00" → (3, "besok 17.00", ""); the problem instead of the number when
    there is none ("missing_number") or it is not digits ("not_a_number")."""
    number, _, rest = typed.strip().partition(" ")
    if not number:
        return None, "", "missing_number"
    if not number.isdigit():
        return None, number, "not_a_number"
    return int(number), rest.strip(), ""


async def _ask_to_move(services: Services, turn: Turn, rest: str, move: Move) -> list[Reply]:
    round_id, after, problem = _round_number(rest)
    if round_id is None:
        return [_usage_line(turn, move, problem, typed=after)]
    if after:
        return [_usage_line(turn, move, "extra", typed=after, round_id=round_id)]
    return await ask_to_confirm(services, turn, round_id, move)


async def list_rounds(services: Services, turn: Turn) -> list[Reply]:
    latest = (await rounds.list_rounds(services.db))[:ROUNDS_LISTED]
    buttons: tuple[tuple[Option, ...], ...] = tuple(
        (
            Option(
                "buttons/admin_round",
                {"round_id": round_.id, "name": shorten(round_.name, LABEL_NAME_CHARS)},
                payload=encode(Verb.ROUND_MENU, round_.id),
            ),
        )
        for round_ in latest
    )
    buttons = (*buttons, round_steps.start_options())
    reply = turn.reply("admin_round_list", {"rounds": latest})
    return [Reply(reply.template, reply.context, reply.language, buttons)]


@admin_only
async def round_menu(services: Services, turn: Turn) -> list[Reply]:
    assert turn.payload is not None
    round_id = turn.payload.int_arg(0)
    round_ = await rounds.get_round(services.db, round_id)
    if round_ is None:
        return [error_reply(turn.person, "unknown_round", {"round_id": round_id})]
    after = None
    if round_.status is RoundStatus.CLOSED:
        after = await settlement_progress(services.db, round_.id)
    reply = turn.reply("admin_round_detail", {"round": round_, "after_close": after})
    return [Reply(reply.template, reply.context, reply.language, menu_options(round_))]


def _plan(services: Services, rest: str, *, with_opening: bool) -> RoundPlan | None:
    """NAMA [| BUKA] | TUTUP [| PRODUK,PRODUK] [| CATATAN]; None when it is not that shape.
    Without BUKA the round opens now."""
    times = 2 if with_opening else 1
    parts = [part.strip() for part in rest.split("|", 2 + times)]
    name = " ".join(parts[0].split())
    if len(parts) < 1 + times or not name or len(name) > NAME_LIMIT or len(rest) > COMMAND_LIMIT:
        return None
    opens_at = _moment(services, parts[1]) if with_opening else services.now()
    closes_at = _moment(services, parts[times])
    codes = _product_codes(parts[1 + times] if len(parts) > 1 + times else "")
    note = parts[2 + times] if len(parts) > 2 + times else ""
    return RoundPlan(name, opens_at, closes_at, tuple(codes), note)


async def create_and_open(services: Services, turn: Turn, rest: str) -> list[Reply]:
    plan = _plan(services, rest, with_opening=False)
    if plan is None:
        return [_usage_line(turn, "new", "shape")]
    opened = await create_round(services, plan, open_now=True)
    queued = await outbox.delivery_counts(services.db, dedupe_prefix=f"round_opened:{opened.id}:")
    return [turn.reply("admin_round_opened", {"round": opened, "queued": sum(queued.values())})]


async def create_draft(services: Services, turn: Turn, rest: str) -> list[Reply]:
    """A round that opens by itself at BUKA (or, if another round is open then, when that
    one closes)."""
    plan = _plan(services, rest, with_opening=True)
    if plan is None:
        return [_usage_line(turn, "draft", "shape")]
    draft = await create_round(services, plan)
    waits_for = await rounds.current_round(services.db, services.now())
    return [turn.reply("admin_round_drafted", {"round": draft, "waits_for": waits_for})]


def _moment(services: Services, typed: str) -> datetime:
    """A time typed as the step-by-step questions take it: "2026-12-05 17:00", "Jumat
    17.00", "besok jam 5 sore" (`purchasing.spoken_times`)."""
    return parse_spoken_time(typed, services.now(), services.timezone)


def _product_codes(typed: str) -> list[str]:
    """ "GLP-50, BRS-SPHP50 IDM-GRG" → the codes, upper case; empty: every current product."""
    return [code.upper() for code in typed.replace(",", " ").split()]


async def extend(services: Services, turn: Turn, rest: str) -> list[Reply]:
    round_id, typed_deadline, problem = _round_number(rest)
    if round_id is None:
        return [_usage_line(turn, "extend", problem, typed=typed_deadline)]
    if not typed_deadline:
        return [_usage_line(turn, "extend", "missing_time", round_id=round_id)]
    round_ = await rounds.get_round(services.db, round_id)
    if round_ is None:
        return [error_reply(turn.person, "unknown_round", {"round_id": round_id})]
    extended = await extend_round(services, round_.id, _moment(services, typed_deadline))
    context = {"round": extended, "previous_closes_at": round_.closes_at}
    return [turn.reply("admin_round_extended", context)]


COMMANDS: dict[str, Handler] = {"putaran": round_command, "round": round_command}
CALLBACKS: dict[Verb, Handler] = {Verb.ROUND_MENU: round_menu}
