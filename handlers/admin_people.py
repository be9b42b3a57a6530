"""Who may do what: invites for coops, more admins, and `/saya` (anyone's own user id).

- `/undang KODE_KOPERASI [MAKS_PAKAI]` (alias /invite) makes an invite code for a coop;
  the reply shows the code, the `/start KODE` instruction and a deep link when the
  platform has one.
- `/admin ID` makes the person with that user id (same platform) an admin, and
  `/admin hapus ID` (alias `/admin remove`) removes one: see `admin_admins`.
- `/saya` (alias /whoami) shows anyone their platform, user id and roles, so an admin can
  be told which id to add.
- `/cabut KODE_UNDANGAN` (alias /revoke) makes an invite expire now.
- `/pengurus KODE_KOPERASI` (alias /reps) lists who acts for a coop, each with a button
  "ad:<coop>:<platform>:<user id>" that removes them (checked again when pressed).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from handlers import admin_admins
from handlers.admin_guard import admin_only
from handlers.flow import Handler, Turn
from handlers.payloads import ForgedPayload, encode
from handlers.replies import Option, Reply
from handlers.services import Services
from purchasing.errors import UnknownCoop
from purchasing.model import Coop
from storage import invites, reps
from storage.catalog import get_coop
from storage.invites import Invite

MAX_INVITE_USES = 1000


@admin_only
async def create_invite(services: Services, turn: Turn) -> list[Reply]:
    parts = turn.args.split()
    if not 1 <= len(parts) <= 2 or (len(parts) == 2 and not valid_uses(parts[1])):
        return [turn.reply("admin_invite_usage")]
    coop = await get_coop(services.db, parts[0].upper())
    if coop is None:
        raise UnknownCoop(coop_code=parts[0][:16])
    max_uses = int(parts[1]) if len(parts) == 2 else None
    invite = await invites.create_invite(
        services.db, coop.code, turn.event.actor, services.now(), max_uses=max_uses
    )
    context = invite_created_context(coop, invite, services.deep_links_for(invite.code))
    return [turn.reply("admin_invite_created", context)]


def invite_created_context(
    coop: Coop, invite: Invite, links: Mapping[str, str]
) -> dict[str, object]:
    """What `admin_invite_created` shows (the command line prints it too)."""
    return {"coop": coop, "code": invite.code, "max_uses": invite.max_uses, "links": links}


def valid_uses(text: str) -> bool:
    """Whether `text` is a use limit for an invite: 1 to MAX_INVITE_USES."""
    return text.isdigit() and 1 <= int(text) <= MAX_INVITE_USES


async def who_am_i(services: Services, turn: Turn) -> list[Reply]:
    person = turn.person
    context = {
        "platform": person.platform,
        "user_id": person.user_id,
        "is_admin": person.is_admin,
        "coop_codes": list(person.coop_codes),
    }
    return [turn.reply("admin_whoami", context)]


@admin_only
async def revoke_invite(services: Services, turn: Turn) -> list[Reply]:
    code = turn.args.strip()
    if not code or " " in code:
        return [turn.reply("admin_revoke_usage")]
    invite = await invites.revoke_invite(services.db, code[:64], services.now())
    return [
        turn.reply("admin_invite_revoked", {"code": invite.code, "coop_code": invite.coop_code})
    ]


@admin_only
async def list_reps(services: Services, turn: Turn) -> list[Reply]:
    coop = await get_coop(services.db, turn.args.strip().upper()[:16]) if turn.args else None
    if coop is None:
        return [turn.reply("admin_reps_usage")]
    return [await _reps_reply(services, turn, coop)]


@admin_only
async def remove_rep(services: Services, turn: Turn) -> list[Reply]:
    """ "ad:<coop>:<platform>:<user id>" """
    assert turn.payload is not None
    coop_code, platform, user_id = (turn.payload.str_arg(i) for i in range(3))
    coop = await get_coop(services.db, coop_code)
    if coop is None or not await reps.remove_rep(services.db, platform, user_id, coop_code):
        raise ForgedPayload(turn.payload)  # a stale list: that rep is gone already
    return [replace(await _reps_reply(services, turn, coop, removed=user_id), replace=True)]


async def _reps_reply(
    services: Services, turn: Turn, coop: Coop, removed: str | None = None
) -> Reply:
    found = await reps.reps_for_coop(services.db, coop.code)
    options = tuple(
        (
            Option(
                "buttons/admin_remove_rep",
                {"name": rep.display_name or rep.user_id},
                payload=encode("ad", coop.code, rep.platform, rep.user_id),
            ),
        )
        for rep in found
    )
    context = {"coop": coop, "reps": found, "removed": removed}
    return Reply("admin_reps", context, turn.language, options)


CALLBACKS: dict[str, Handler] = {"ad": remove_rep}

COMMANDS: dict[str, Handler] = {
    "undang": create_invite,
    "invite": create_invite,
    "admin": admin_admins.admin_command,
    "saya": who_am_i,
    "whoami": who_am_i,
    "cabut": revoke_invite,
    "revoke": revoke_invite,
    "pengurus": list_reps,
    "reps": list_reps,
}
