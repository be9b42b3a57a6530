"""`/pembayaran [ID]` (alias /payments): the bills of closed rounds still owing, per coop,
with what each has paid (`usecases.payments.outstanding`). Payments are recorded by
importing the bank statement (`belanja-bareng payments import`, docs/settlement.md)."""

from __future__ import annotations

from handlers.admin.guard import admin_only
from handlers.contract.flow import Handler, Turn
from handlers.contract.services import Services
from messages.replies import Reply
from usecases.payments import outstanding


@admin_only
async def show_outstanding(services: Services, turn: Turn) -> list[Reply]:
    typed = turn.args.strip()
    if typed and not typed.isdigit():
        return [turn.reply("admin_payments_usage")]
    bills = await outstanding(services.db, int(typed) if typed else None)
    total = sum(bill.balance for bill in bills)
    return [turn.reply("admin_payments", {"bills": bills, "total": total})]


COMMANDS: dict[str, Handler] = {"pembayaran": show_outstanding, "payments": show_outstanding}
