"""Who may do what: invites, joining with one, representatives, admins, linked groups.

Each is one transaction that asks `purchasing.membership` for the rule:

- `create_invite`: an invite for a current coop, or for a supplier's rep (the typed code
  names exactly one of them, `storage.people.invites.find_party`). Unless the caller gives
  an expiry, it expires `ctx.invite_valid_days` days after it was made (`[invites]
  valid_days` in the config; 0: never).
- `join_with_invite`: `/start KODE` (any platform): the invite must be open
  (`check_invite_open`), its coop current, and, for a newcomer, not used up
  (`check_invite_has_uses`), checked and counted in ONE transaction. A newcomer is also
  announced to every admin (`admin_joined`, through the outbox, in the same transaction;
  key "joined:<invite>:<platform>:<user id>:<admin platform>:<admin id>").
- `revoke_invite`, `remove_rep`.
- `add_admin`, `remove_admin`: never the last admin (`check_not_last_admin`, and the DELETE
  itself counts, so two admins removing each other at once cannot both succeed). Every
  change is logged (INFO) with who made it.
- `link_group`: a group chat where announcements and progress posts go.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from messages.replies import Reply
from purchasing.membership import (
    admin_id,
    check_coop_current,
    check_invite_has_uses,
    check_invite_open,
    check_not_last_admin,
    find_admin,
    role_for,
)
from purchasing.model import Admin, Coop, Invite, Rep, RepRole, Supplier
from storage.database import Connection
from storage.errors import InviteUnknown
from storage.people import groups, invites, reps
from storage.people.audience import load_audience
from usecases.context import UseCaseContext
from usecases.notices.posts import Post, queue_posts

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class InviteMade:
    party: Coop | Supplier
    invite: Invite

    @property
    def for_supplier(self) -> bool:
        return isinstance(self.party, Supplier)

    def context(self, links: Mapping[str, str]) -> dict[str, object]:
        """What the chat's and the command line's "invite created" texts show: the coop (or
        supplier), the code, its use limit, and per platform the link that opens the chat."""
        party = "supplier" if self.for_supplier else "coop"
        invite = self.invite
        return {
            party: self.party,
            "code": invite.code,
            "max_uses": invite.max_uses,
            "expires_at": invite.expires_at,
            "links": links,
        }


async def create_invite(
    ctx: UseCaseContext,
    code: str,
    created_by: str,
    *,
    max_uses: int | None = None,
    expires_at: datetime | None = None,
) -> InviteMade:
    """An invite for the coop or supplier whose code `code` is (UnknownCoop, CodeAmbiguous;
    CoopRetired for a retired coop), valid until `expires_at`, or without one for
    `ctx.invite_valid_days` days (0: for ever)."""
    now = ctx.now()
    if expires_at is None and ctx.invite_valid_days > 0:
        expires_at = now + timedelta(days=ctx.invite_valid_days)
    async with ctx.db.transaction() as tx:
        party = await invites.find_party(tx, code)
        role = role_for(party)
        if role is RepRole.TREASURER:
            exists, retired = await invites.coop_standing(tx, party.code)
            check_coop_current(party.code, exists=exists, retired=retired)
        invite = Invite(
            invites.new_invite_code(), party.code, max_uses, 0, expires_at, created_by, now, role
        )
        await invites.insert_invite(tx, invite)
    return InviteMade(party, invite)


async def join_with_invite(
    ctx: UseCaseContext, code: str, platform: str, user_id: str, display_name: str
) -> Rep:
    """Make this chat identity a rep of the invite's coop (or supplier).

    Raises InviteUnknown, InviteExpired, InviteUsedUp or CoopRetired (the invite's coop was
    retired since) and then changes nothing. Someone who already represents that coop gets
    their place back without using up the invite.
    """
    now = ctx.now()
    async with ctx.db.transaction() as tx:
        invite = await invites.get_invite(tx, code)
        if invite is None:
            raise InviteUnknown(code=code[:32])
        check_invite_open(invite, now)
        if invite.role is RepRole.TREASURER:
            exists, retired = await invites.coop_standing(tx, invite.coop_code)
            check_coop_current(invite.coop_code, exists=exists, retired=retired)
        rep = Rep(platform, user_id, invite.coop_code, invite.role, display_name)
        if await reps.insert_rep(tx, rep, now):
            check_invite_has_uses(invite)  # raising now rolls the new rep back
            await invites.count_use(tx, code)
            await _tell_admins_who_joined(tx, ctx.default_language, invite, rep, now)
    return rep


async def _tell_admins_who_joined(
    tx: Connection, default_language: str, invite: Invite, rep: Rep, now: datetime
) -> None:
    """Every admin hears, through the outbox, who joined for which coop (or supplier)."""
    party = await invites.find_party(tx, invite.coop_code)
    audience = await load_audience(tx)
    context = {
        "party_name": party.name,
        "party_code": party.code,
        "for_supplier": isinstance(party, Supplier),
        "name": rep.display_name,
        "platform": rep.platform,
    }
    prefix = f"joined:{invite.code}:{rep.platform}:{rep.user_id}"
    posts = []
    for platform, admin_user in audience.admins:
        language = audience.language(platform, admin_user, default_language)
        reply = Reply("admin_joined", context, language)
        key = f"{prefix}:{platform}:{admin_user}"
        posts.append(Post(platform, admin_user, "admin_joined", key, reply))
    await queue_posts(tx, posts, now)


@dataclass(frozen=True, slots=True)
class Revoked:
    """A revoked invite, and when it had stopped working already (expired or revoked
    before), if it had: then nothing changed."""

    invite: Invite
    ended_before: datetime | None

    def context(self) -> dict[str, object]:
        invite = self.invite
        return {"code": invite.code, "coop_code": invite.coop_code,
                "ended_before": self.ended_before}  # fmt: skip


async def revoke_invite(ctx: UseCaseContext, code: str) -> Revoked:
    """Make the invite expire now (InviteUnknown if there is none). Reps who joined with it
    stay; remove them one by one (`remove_rep`)."""
    now = ctx.now()
    invite = await invites.expire_invite(ctx.db, code, now)
    if invite is None:
        raise InviteUnknown(code=code[:32])
    ended = invite.expires_at
    return Revoked(invite, ended if ended is not None and ended < now else None)


async def remove_rep(ctx: UseCaseContext, platform: str, user_id: str, code: str) -> bool:
    """Someone no longer acts for a coop (or supplier); False when they did not."""
    return await reps.remove_rep(ctx.db, platform, user_id, code)


async def add_admin(
    ctx: UseCaseContext, platform: str, user_id: str, display_name: str, by: str
) -> bool:
    """Make someone an admin (False: they already were)."""
    added = await reps.add_admin(ctx.db, platform, user_id, display_name, by, ctx.now())
    if added:
        log.info("admin %s:%s added by %s", platform, user_id, by)
    return added


async def add_config_admins(ctx: UseCaseContext, listed: Iterable[tuple[str, str]]) -> int:
    """Every admin the config file lists ((platform, user id)), marked as from the config
    (they come back at every start); how many were new."""
    added = 0
    for platform, user_id in listed:
        if await reps.add_admin(ctx.db, platform, user_id, "", reps.CONFIG_ADMIN, ctx.now()):
            added += 1
    return added


async def remove_admin(
    ctx: UseCaseContext, typed: str, by: str, platform: str | None = None
) -> Admin:
    """Remove the admin `typed` names (`purchasing.membership.find_admin`); the admin as
    they were. Raises AdminUnknown or LastAdmin, and then changes nothing."""
    async with ctx.db.transaction() as tx:
        admins = await reps.list_admins(tx)
        admin = find_admin(admins, typed, platform)
        check_not_last_admin(admins, admin)
        await reps.remove_admin(tx, admin.platform, admin.user_id)
    log.info("admin %s removed by %s", admin_id(admin), by)
    return admin


async def link_group(ctx: UseCaseContext, platform: str, chat_id: str, by: str) -> bool:
    """Announcements go to this group from now on; False when it was linked already."""
    return await groups.link_group(ctx.db, platform, chat_id, by, ctx.now())
