"""`/putaran` (alias /round): the Dinas lists, opens and extends rounds from the chat.

- `/putaran` lists the latest rounds, one button each ("am:<id>") that opens the round's
  menu: recap, close now, cancel (the last two ask to confirm, see `admin_round_moves`).
- `/putaran baru NAMA | TUTUP [| PRODUK,PRODUK] [| CATATAN PENGIRIMAN]` creates a round,
  opens it now and announces it; TUTUP is a WIB date and time ("2026-12-05 17:00"), the
  products default to every catalog product not retired (an unknown or retired code
  refuses the round), and the delivery note is printed on every bill.
- `/putaran draf NAMA | BUKA | TUTUP [| PRODUK,PRODUK] [| CATATAN]` prepares a round that
  opens by itself at BUKA (after the open round closes, if one is still open then).
- `/putaran perpanjang ID TUTUP` moves an open round's deadline later.
- `/putaran tutup ID` and `/putaran batal ID` ask to confirm closing or cancelling.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from handlers.admin_guard import admin_only
from handlers.admin_round_moves import ask_to_confirm, menu_options
from handlers.announcements import announce_round_opened, round_move_notices
from handlers.flow import Handler, Turn, error_reply
from handlers.services import Services
from messages.buttons import encode
from messages.replies import Option, Reply
from purchasing.errors import OpenAfterDeadline, RoundEmpty
from purchasing.times import parse_wib
from storage import rounds
from storage.catalog import list_products

ROUNDS_LISTED = 8
NAME_LIMIT = 80
COMMAND_LIMIT = 1000  # name, deadline, product codes and a delivery note
LABEL_NAME_CHARS = 14


@admin_only
async def round_command(services: Services, turn: Turn) -> list[Reply]:
    action, _, rest = turn.args.partition(" ")
    rest = rest.strip()
    match action.lower():
        case "":
            return await list_rounds(services, turn)
        case "baru" | "new":
            return await create_and_open(services, turn, rest)
        case "draf" | "draft":
            return await create_draft(services, turn, rest)
        case "perpanjang" | "extend":
            return await extend(services, turn, rest)
        case "tutup" | "close" if rest.isdigit():
            return await ask_to_confirm(services, turn, int(rest), "close")
        case "batal" | "cancel" if rest.isdigit():
            return await ask_to_confirm(services, turn, int(rest), "cancel")
    return [turn.reply("admin_round_usage")]


async def list_rounds(services: Services, turn: Turn) -> list[Reply]:
    latest = (await rounds.list_rounds(services.db))[:ROUNDS_LISTED]
    buttons = tuple(
        (
            Option(
                "buttons/admin_round",
                {"round_id": round_.id, "name": round_.name[:LABEL_NAME_CHARS]},
                payload=encode("am", round_.id),
            ),
        )
        for round_ in latest
    )
    reply = turn.reply("admin_round_list", {"rounds": latest})
    return [Reply(reply.template, reply.context, reply.language, buttons)]


@admin_only
async def round_menu(services: Services, turn: Turn) -> list[Reply]:
    assert turn.payload is not None
    round_id = turn.payload.int_arg(0)
    round_ = await rounds.get_round(services.db, round_id)
    if round_ is None:
        return [error_reply(turn.person, "unknown_round", {"round_id": round_id})]
    reply = turn.reply("admin_round_detail", {"round": round_})
    return [Reply(reply.template, reply.context, reply.language, menu_options(round_))]


@dataclass(frozen=True, slots=True)
class _Plan:
    """What `/putaran baru` or `/putaran draf` typed: name, times, products, delivery note."""

    name: str
    opens_at: datetime | None
    closes_at: datetime
    codes: list[str]
    delivery_note: str


async def _plan(services: Services, rest: str, *, with_opening: bool) -> _Plan | None:
    """NAMA [| BUKA] | TUTUP [| PRODUK,PRODUK] [| CATATAN]; None when it is not that shape."""
    times = 2 if with_opening else 1
    parts = [part.strip() for part in rest.split("|", 2 + times)]
    name = " ".join(parts[0].split())
    if len(parts) < 1 + times or not name or len(name) > NAME_LIMIT or len(rest) > COMMAND_LIMIT:
        return None
    opens_at = parse_wib(parts[1]) if with_opening else None
    closes_at = parse_wib(parts[times])
    if closes_at <= max(services.now(), opens_at or services.now()):
        raise OpenAfterDeadline(round_name=name, closes_at=closes_at)
    codes = _product_codes(parts[1 + times] if len(parts) > 1 + times else "")
    if not codes:
        current = await list_products(services.db, include_retired=False)
        codes = [product.code for product in current]
    if not codes:
        raise RoundEmpty(round_name=name)
    note = parts[2 + times] if len(parts) > 2 + times else ""
    return _Plan(name, opens_at, closes_at, codes, note)


async def create_and_open(services: Services, turn: Turn, rest: str) -> list[Reply]:
    plan = await _plan(services, rest, with_opening=False)
    if plan is None:
        return [turn.reply("admin_round_usage")]
    now = services.now()
    opened = await rounds.create_round(
        services.db, plan.name, now, plan.closes_at, plan.codes, plan.delivery_note,
        now=now, open_now=True,
    )  # fmt: skip
    queued = await announce_round_opened(services, opened)
    await services.round_changed()
    return [turn.reply("admin_round_opened", {"round": opened, "queued": queued})]


async def create_draft(services: Services, turn: Turn, rest: str) -> list[Reply]:
    """A round that opens by itself at BUKA (or, if another round is open then, when that
    one closes); the scheduler is told at once."""
    plan = await _plan(services, rest, with_opening=True)
    if plan is None or plan.opens_at is None:
        return [turn.reply("admin_round_usage")]
    draft = await rounds.create_round(
        services.db, plan.name, plan.opens_at, plan.closes_at, plan.codes, plan.delivery_note,
        now=services.now(),
    )  # fmt: skip
    await services.round_changed()
    waits_for = await rounds.current_round(services.db, services.now())
    return [turn.reply("admin_round_drafted", {"round": draft, "waits_for": waits_for})]


def _product_codes(typed: str) -> list[str]:
    """ "GLP-50, BRS-SPHP50 IDM-GRG" → the codes, upper case; empty: every current product."""
    return [code.upper() for code in typed.replace(",", " ").split()]


async def extend(services: Services, turn: Turn, rest: str) -> list[Reply]:
    typed_id, _, typed_deadline = rest.partition(" ")
    if not typed_id.isdigit() or not typed_deadline.strip():
        return [turn.reply("admin_round_usage")]
    round_ = await rounds.get_round(services.db, int(typed_id))
    if round_ is None:
        return [error_reply(turn.person, "unknown_round", {"round_id": typed_id})]
    notices = await round_move_notices(services)
    extended = await rounds.extend_round(
        services.db, round_.id, parse_wib(typed_deadline), on_moved=notices
    )
    await services.round_changed()
    context = {"round": extended, "previous_closes_at": round_.closes_at}
    return [turn.reply("admin_round_extended", context)]


COMMANDS: dict[str, Handler] = {"putaran": round_command, "round": round_command}
CALLBACKS: dict[str, Handler] = {"am": round_menu}
