"""Staff acting for the network: ordering on a coop's behalf, and broadcasting a message.

- `/pesankan KODE_KOPERASI KODE JUMLAH` (alias /orderfor) sets a coop's quantity in the open
  round, e.g. when its treasurer phoned the office; audited as "admin:<platform>:<user_id>".
  A quantity refused shows `/pesankan KODE_KOPERASI KODE JUMLAH` again as what to type
  (`order_for`), not a treasurer's order line.
- `/siaran TEKS` (alias /broadcast) queues TEKS to every rep (coop treasurers and supplier
  reps) and every linked group. The same message handled twice (a redelivered update)
  queues nothing new.
"""

from __future__ import annotations

import hashlib

from handlers.admin.guard import admin_only
from handlers.contract.events import ChatKind
from handlers.contract.flow import Handler, Turn, error_reply
from handlers.contract.services import Services
from messages.replies import Reply
from purchasing.errors import OverCoopMaximum, QuantityInvalid
from purchasing.order_text import parse_quantity
from storage import rounds
from storage.catalog.reads import get_coop
from usecases.broadcast import broadcast
from usecases.notices.audience import Recipient
from usecases.ordering import set_quantity

BROADCAST_LIMIT = 3000


@admin_only
async def order_for(services: Services, turn: Turn) -> list[Reply]:
    parts = turn.args.split()
    if len(parts) != 3:
        return [turn.reply("admin_order_usage")]
    coop_code, product_code, typed_quantity = parts[0].upper(), parts[1].upper(), parts[2]
    try:
        quantity = parse_quantity(typed_quantity)
        round_ = await rounds.current_round(services.db, services.now())
        if round_ is None:
            return [turn.reply("admin_no_open_round")]
        change = await set_quantity(
            services, round_.id, coop_code, product_code, quantity, turn.staff_audit
        )
    except (QuantityInvalid, OverCoopMaximum) as error:
        # The example of what to type instead is this command again, not an order line.
        hint = {"product_code": product_code, **error.params, "order_for": coop_code}
        return [error_reply(turn.person, error.key, hint)]
    coop = await get_coop(services.db, coop_code)
    coop_name = coop.name if coop is not None else coop_code
    context = {"round": round_, "coop_code": coop_code, "coop_name": coop_name, "item": change.item}
    return [turn.reply("admin_order_set", {**context, "old": change.old, "new": change.new})]


@admin_only
async def send_broadcast(services: Services, turn: Turn) -> list[Reply]:
    text = turn.args.strip()
    if not text or len(text) > BROADCAST_LIMIT:
        context = {"limit": BROADCAST_LIMIT, "length": len(text)}  # too long: says so
        return [turn.reply("admin_broadcast_usage", context)]
    event = turn.event
    admin = Recipient(
        event.platform, event.chat_id, turn.language, is_group=event.chat_kind is ChatKind.GROUP
    )
    done = await broadcast(services, broadcast_id(turn), text, admin)
    context = {"queued": done.queued, "recipients": done.recipients}
    return [turn.reply("admin_broadcast_queued", context)]


def broadcast_id(turn: Turn) -> str:
    """Stable for one incoming message, so handling it twice queues it once."""
    event = turn.event
    source = f"{event.platform}:{event.chat_id}:{event.message_id or turn.args}"
    return hashlib.sha256(source.encode()).hexdigest()[:12]


COMMANDS: dict[str, Handler] = {
    "pesankan": order_for,
    "orderfor": order_for,
    "siaran": send_broadcast,
    "broadcast": send_broadcast,
}
