"""`/ekspor [ID]` (alias /export): the round's XLSX workbook, sent to the admin in the chat.

The workbook is the one the admins get at close (purchase orders, bills, the overview, the
audit log; `bot.exports`). Without an ID: the open round, else the last closed one. An open
round's workbook is an estimate, as if it closed now; a draft or a cancelled round has none.
Its sheet names, headers and statuses are in the admin's language (`bot.exports.sheet_words`).
"""

from __future__ import annotations

from dataclasses import replace

from handlers.admin.guard import admin_only
from handlers.admin.recap import find_round, round_missing
from handlers.contract.flow import Handler, Turn
from handlers.contract.services import Services
from messages.replies import Reply
from purchasing.model import Round, RoundStatus
from storage import rounds


@admin_only
async def export_round(services: Services, turn: Turn) -> list[Reply]:
    text = turn.args.strip()
    round_ = await find_round(services, text) or (None if text else await _last_closed(services))
    if round_ is None:
        return [round_missing(turn, text)]
    if round_.status in (RoundStatus.DRAFT, RoundStatus.CANCELLED):
        return [turn.reply("admin_export_none", {"round": round_})]
    if services.round_workbook is None:
        return [turn.reply("admin_export_unavailable", {"round": round_})]
    workbook = await services.round_workbook(round_.id, turn.language)
    context = {"round": round_, "estimate": round_.status is RoundStatus.OPEN}
    return [replace(turn.reply("admin_export", context), attachment=workbook)]


async def _last_closed(services: Services) -> Round | None:
    closed = await rounds.closed_rounds(services.db)
    return closed[0] if closed else None


COMMANDS: dict[str, Handler] = {"ekspor": export_round, "export": export_round}
