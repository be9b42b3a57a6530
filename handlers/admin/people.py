"""Who may do what: invites for coops and suppliers, more admins, and `/saya` (anyone's id).

- `/undang KODE [MAKS_PAKAI]` (alias /invite) makes an invite code for a coop, or, with a
  supplier's code, for a supplier's rep (who then receives that supplier's purchase order at
  close and cannot order); a code that names both is refused (`storage.errors.CodeAmbiguous`).
  The reply shows the code, until when it is valid (`[invites] valid_days` after today,
  applied by `usecases.people.create_invite`; 0: for ever), the `/start KODE` instruction
  and a deep link when the platform has one.
- `/admin ID` makes the person with that user id (same platform) an admin, and
  `/admin hapus ID` (alias `/admin remove`) removes one: see `handlers.admin.admins`.
- `/saya` (alias /whoami) shows anyone their platform, user id and roles (admin, the coops
  they are a treasurer of, the suppliers they speak for), so an admin can be told which id
  to add.
- `/cabut KODE_UNDANGAN` (alias /revoke) makes an invite expire now.
- `/pengurus KODE` (alias /reps) lists who acts for a coop or a supplier, each with a button
  "ad:<code>:<platform>:<user id>" that removes them (checked again when pressed).
"""

from __future__ import annotations

from dataclasses import replace

from handlers.admin import admins
from handlers.admin.guard import admin_only
from handlers.contract.flow import Handler, Turn
from handlers.contract.services import Services
from messages.buttons import ForgedPayload, Verb, encode
from messages.replies import Option, Reply
from purchasing.errors import UnknownCoop
from purchasing.membership import role_for, valid_invite_uses
from purchasing.model import Coop, Supplier
from storage.people import reps
from storage.people.invites import find_party
from usecases import people


@admin_only
async def create_invite(services: Services, turn: Turn) -> list[Reply]:
    parts = turn.args.split()
    if not 1 <= len(parts) <= 2 or (len(parts) == 2 and not valid_invite_uses(parts[1])):
        return [turn.reply("admin_invite_usage")]
    max_uses = int(parts[1]) if len(parts) == 2 else None
    made = await people.create_invite(
        services, parts[0].upper(), turn.event.actor, max_uses=max_uses
    )
    links = services.deep_links_for(made.invite.code)
    template = "admin_invite_created_supplier" if made.for_supplier else "admin_invite_created"
    return [turn.reply(template, made.context(links))]


async def who_am_i(services: Services, turn: Turn) -> list[Reply]:
    person = turn.person
    context = {
        "platform": person.platform,
        "user_id": person.user_id,
        "is_admin": person.is_admin,
        "coop_codes": list(person.coop_codes),
        "supplier_codes": list(person.supplier_codes),
    }
    return [turn.reply("admin_whoami", context)]


@admin_only
async def revoke_invite(services: Services, turn: Turn) -> list[Reply]:
    code = turn.args.strip()
    if not code or " " in code:
        return [turn.reply("admin_revoke_usage")]
    revoked = await people.revoke_invite(services, code[:64])
    return [turn.reply("admin_invite_revoked", revoked.context())]


@admin_only
async def list_reps(services: Services, turn: Turn) -> list[Reply]:
    """`/pengurus KODE`: a coop's treasurers, or a supplier's reps."""
    code = turn.args.strip().upper()
    if not code:
        return [turn.reply("admin_reps_usage")]
    return [await _reps_reply(services, turn, await find_party(services.db, code))]


@admin_only
async def remove_rep(services: Services, turn: Turn) -> list[Reply]:
    """ "ad:<coop or supplier>:<platform>:<user id>" """
    assert turn.payload is not None
    code, platform, user_id = (turn.payload.str_arg(i) for i in range(3))
    try:
        party = await find_party(services.db, code)
    except UnknownCoop:
        raise ForgedPayload(turn.payload) from None
    named = {rep.user_id: rep.display_name for rep in await reps.reps_for_coop(services.db, code)}
    if not await people.remove_rep(services, platform, user_id, code):
        raise ForgedPayload(turn.payload)  # a stale list: that rep is gone already
    removed = named.get(user_id) or user_id
    return [replace(await _reps_reply(services, turn, party, removed=removed), replace=True)]


async def _reps_reply(
    services: Services, turn: Turn, party: Coop | Supplier, removed: str | None = None
) -> Reply:
    role = role_for(party)
    found = [rep for rep in await reps.reps_for_coop(services.db, party.code) if rep.role is role]
    options = tuple(
        (
            Option(
                "buttons/admin_remove_rep",
                {"name": rep.display_name or rep.user_id},
                payload=encode(Verb.REMOVE_REP, party.code, rep.platform, rep.user_id),
            ),
        )
        for rep in found
    )
    if isinstance(party, Supplier):
        context: dict[str, object] = {"supplier": party, "reps": found, "removed": removed}
        return Reply("admin_reps_supplier", context, turn.language, options)
    context = {"coop": party, "reps": found, "removed": removed}
    return Reply("admin_reps", context, turn.language, options)


CALLBACKS: dict[Verb, Handler] = {Verb.REMOVE_REP: remove_rep}

COMMANDS: dict[str, Handler] = {
    "undang": create_invite,
    "invite": create_invite,
    "admin": admins.admin_command,
    "saya": who_am_i,
    "whoami": who_am_i,
    "cabut": revoke_invite,
    "revoke": revoke_invite,
    "pengurus": list_reps,
    "reps": list_reps,
}
