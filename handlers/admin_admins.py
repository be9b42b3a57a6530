"""Who is a Dinas admin: `/admin` in the chat, and the rules `belanja-bareng admins` shares.

- `/admin ID` makes the person with that user id (same platform) an admin.
- `/admin hapus ID` (alias `/admin remove ID`) makes an admin an admin no more; `ID` is a
  user id on the sender's platform or `platform:user_id` (`/admin hapus` lists them).

Rules, the same in the chat and on the command line:
- There is always at least one admin: removing the last one is refused (`LastAdmin`). In the
  chat that can only be an admin removing themselves.
- Naming someone who is not an admin is refused with the list of admins (`AdminUnknown`).
- Every change is logged (INFO, this module's logger) with who made it, named as the admins
  table's `added_by` names them: "telegram:9001" in the chat, "admin:<name>" on the CLI.
- Admins listed in the config file are added again whenever the bot starts
  (`bot.wiring.register_config_admins`): removing one says so rather than fighting it.

The last admin is also kept by `storage.reps.remove_admin` itself (its DELETE counts the
admins in the same statement), so two admins removing each other at once cannot both succeed.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from datetime import datetime

from handlers.admin_guard import admin_only
from handlers.flow import Turn
from handlers.services import Services
from messages.replies import Reply
from storage import reps
from storage.database import Database
from storage.errors import StorageError
from storage.reps import Admin

log = logging.getLogger(__name__)

USER_ID = re.compile(r"[A-Za-z0-9_.:@+-]{1,64}")
REMOVE_WORDS = frozenset({"hapus", "remove"})
FROM_CONFIG = reps.CONFIG_ADMIN


class AdminUnknown(StorageError):
    """Params: admin (str, as typed, shortened), admins (list of storage.reps.Admin)."""

    key = "admin_unknown"


class LastAdmin(StorageError):
    """Params: admin (str, "platform:user_id")."""

    key = "admin_last"


def admin_id(admin: Admin) -> str:
    """ "telegram:9001": how admins are named when there is more than one platform."""
    return f"{admin.platform}:{admin.user_id}"


def find_admin(admins: Sequence[Admin], typed: str, platform: str | None) -> Admin | None:
    """The admin `typed` names: "platform:user_id", or a user id on `platform`."""
    for admin in admins:
        if admin_id(admin) == typed or (admin.platform == platform and admin.user_id == typed):
            return admin
    return None


async def add_admin(
    db: Database, platform: str, user_id: str, display_name: str, by: str, now: datetime
) -> bool:
    """Make someone an admin (False: they already were)."""
    added = await reps.add_admin(db, platform, user_id, display_name, by, now)
    if added:
        log.info("admin %s:%s added by %s", platform, user_id, by)
    return added


async def remove_admin(db: Database, typed: str, by: str, platform: str | None = None) -> Admin:
    """Remove the admin `typed` names (see `find_admin`); the admin as they were.

    Raises AdminUnknown or LastAdmin, and then changes nothing.
    """
    admins = await reps.list_admins(db)
    admin = find_admin(admins, typed, platform)
    if admin is None:
        raise AdminUnknown(admin=typed[:70], admins=admins)
    if len(admins) == 1:
        raise LastAdmin(admin=admin_id(admin))
    if not await reps.remove_admin(db, admin.platform, admin.user_id):
        now_admins = await reps.list_admins(db)  # someone else changed the list meanwhile
        if find_admin(now_admins, typed, platform) is None:
            raise AdminUnknown(admin=typed[:70], admins=now_admins)
        raise LastAdmin(admin=admin_id(admin))
    log.info("admin %s removed by %s", admin_id(admin), by)
    return admin


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
    added = await add_admin(services.db, event.platform, user_id, "", event.actor, services.now())
    return [turn.reply("admin_added", {"user_id": user_id, "already": not added})]


async def _remove(services: Services, turn: Turn, typed: str) -> list[Reply]:
    event = turn.event
    if not USER_ID.fullmatch(typed):
        admins = await reps.list_admins(services.db)
        return [turn.reply("admin_remove_usage", {"admins": admins})]
    removed = await remove_admin(services.db, typed, event.actor, platform=event.platform)
    context = {
        "admin": admin_id(removed),
        "name": removed.display_name,
        "yourself": (removed.platform, removed.user_id) == (event.platform, event.user_id),
        "from_config": removed.added_by == FROM_CONFIG,
    }
    return [turn.reply("admin_removed", context)]
