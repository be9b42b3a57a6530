"""Who may do what: invites for coops, more admins, and `/saya` (anyone's own user id).

- `/undang KODE_KOPERASI [MAKS_PAKAI]` (alias /invite) makes an invite code for a coop;
  the reply shows the code, the `/start KODE` instruction and a deep link when the
  platform has one.
- `/admin ID` makes the person with that user id (same platform) an admin.
- `/saya` (alias /whoami) shows anyone their platform, user id and roles, so an admin can
  be told which id to add.
"""

from __future__ import annotations

import re

from handlers.admin_guard import admin_only
from handlers.flow import Handler, Turn
from handlers.replies import Reply
from handlers.services import Services
from purchasing.errors import UnknownCoop
from storage import invites, reps
from storage.catalog import get_coop

USER_ID = re.compile(r"[A-Za-z0-9_.:@+-]{1,64}")
MAX_INVITE_USES = 1000


@admin_only
async def create_invite(services: Services, turn: Turn) -> list[Reply]:
    parts = turn.args.split()
    if not 1 <= len(parts) <= 2 or (len(parts) == 2 and not _valid_uses(parts[1])):
        return [turn.reply("admin_invite_usage")]
    coop = await get_coop(services.db, parts[0].upper())
    if coop is None:
        raise UnknownCoop(coop_code=parts[0][:16])
    max_uses = int(parts[1]) if len(parts) == 2 else None
    invite = await invites.create_invite(
        services.db, coop.code, turn.event.actor, services.now(), max_uses=max_uses
    )
    context = {
        "coop": coop,
        "code": invite.code,
        "max_uses": invite.max_uses,
        "links": services.deep_links_for(invite.code),
    }
    return [turn.reply("admin_invite_created", context)]


def _valid_uses(text: str) -> bool:
    return text.isdigit() and 1 <= int(text) <= MAX_INVITE_USES


@admin_only
async def add_admin(services: Services, turn: Turn) -> list[Reply]:
    user_id = turn.args.strip()
    if not USER_ID.fullmatch(user_id):
        return [turn.reply("admin_add_usage")]
    event = turn.event
    added = await reps.add_admin(
        services.db, event.platform, user_id, "", event.actor, services.now()
    )
    return [turn.reply("admin_added", {"user_id": user_id, "already": not added})]


async def who_am_i(services: Services, turn: Turn) -> list[Reply]:
    person = turn.person
    context = {
        "platform": person.platform,
        "user_id": person.user_id,
        "is_admin": person.is_admin,
        "coop_codes": list(person.coop_codes),
    }
    return [turn.reply("admin_whoami", context)]


COMMANDS: dict[str, Handler] = {
    "undang": create_invite,
    "invite": create_invite,
    "admin": add_admin,
    "saya": who_am_i,
    "whoami": who_am_i,
}
