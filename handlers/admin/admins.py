"""Who is a Dinas admin: `/admin` in the chat (the command line's `belanja-bareng admins`
calls the same use cases, `usecases.people.add_admin` / `remove_admin`).

- `/admin ID` makes the person with that user id (same platform) an admin.
- `/admin hapus ID` (alias `/admin remove ID`) makes an admin an admin no more; `ID` is a
  user id on the sender's platform or `platform:user_id` (`/admin hapus` lists them). The
  last admin is never removed (in the chat that can only be an admin removing themselves).
- Admins listed in the config file are added again whenever the bot starts
  (`bot.wiring.register_config_admins`): removing one says so rather than fighting it.
"""

from __future__ import annotations

import re

from handlers.admin.guard import admin_only
from handlers.contract.flow import Turn
from handlers.contract.services import Services
from messages.replies import Reply
from purchasing.membership import admin_id
from storage.people import reps
from storage.people.reps import CONFIG_ADMIN
from usecases import people

USER_ID = re.compile(r"[A-Za-z0-9_.:@+-]{1,64}")
REMOVE_WORDS = frozenset({"hapus", "remove"})


@admin_only
async def admin_command(services: Services, turn: Turn) -> list[Reply]:
    """`/admin ID` adds, `/admin hapus ID` removes."""
    words = turn.args.split(maxsplit=1)
    if words and words[0].lower() in REMOVE_WORDS:
        return await _remove(services, turn, words[1].strip() if len(words) == 2 else "")
    return await _add(services, turn)


async def _add(services: Services, turn: Turn) -> list[Reply]:
    user_id = turn.args.strip()
    if not USER_ID.fullmatch(user_id):
        return [turn.reply("admin_add_usage")]
    event = turn.event
    added = await people.add_admin(services, event.platform, user_id, "", event.actor)
    return [turn.reply("admin_added", {"user_id": user_id, "already": not added})]


async def _remove(services: Services, turn: Turn, typed: str) -> list[Reply]:
    event = turn.event
    if not USER_ID.fullmatch(typed):
        admins = await reps.list_admins(services.db)
        return [turn.reply("admin_remove_usage", {"admins": admins})]
    removed = await people.remove_admin(services, typed, event.actor, platform=event.platform)
    context = {
        "admin": admin_id(removed),
        "name": removed.display_name,
        "yourself": (removed.platform, removed.user_id) == (event.platform, event.user_id),
        "from_config": removed.added_by == CONFIG_ADMIN,
    }
    return [turn.reply("admin_removed", context)]
