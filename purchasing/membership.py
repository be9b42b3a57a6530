"""Who may take part: a coop that orders, an invite that is redeemed.

- A coop orders, and is invited, only while it is current: `check_coop_current` raises
  UnknownCoop for a code no coop has and CoopRetired for a coop that left the JUK (its
  orders in past rounds stand).
- There is always at least one admin (`check_not_last_admin`: LastAdmin); an admin is named
  as "platform:user_id", or by a user id on the platform of the person naming them
  (`find_admin`: AdminUnknown when nobody is).
- An invite is redeemed only before it expires (`check_invite_open`: InviteExpired) and
  only as often as it allows (`check_invite_has_uses`: InviteUsedUp). Someone who already
  represents the invite's coop gets their place back without using up the invite, so the
  use count is checked only for a newcomer.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from purchasing.errors import (
    AdminUnknown,
    CoopRetired,
    InviteExpired,
    InviteUsedUp,
    LastAdmin,
    UnknownCoop,
)
from purchasing.model import Admin, Coop, Invite, RepRole, Supplier

MAX_INVITE_USES = 1000


def valid_invite_uses(text: str) -> bool:
    """Whether `text` is a use limit for an invite: 1 to MAX_INVITE_USES."""
    return text.isdigit() and 1 <= int(text) <= MAX_INVITE_USES


def check_coop_current(coop_code: str, *, exists: bool, retired: bool) -> None:
    if not exists:
        raise UnknownCoop(coop_code=coop_code)
    if retired:
        raise CoopRetired(coop_code=coop_code)


def check_invite_open(invite: Invite, now: datetime) -> None:
    if invite.expires_at is not None and invite.expires_at <= now:
        raise InviteExpired(coop_code=invite.coop_code, expires_at=invite.expires_at)


def check_invite_has_uses(invite: Invite) -> None:
    if invite.max_uses is not None and invite.uses >= invite.max_uses:
        raise InviteUsedUp(coop_code=invite.coop_code, max_uses=invite.max_uses)


def role_for(party: Coop | Supplier) -> RepRole:
    """What an invite for this coop or supplier makes the person who redeems it: a treasurer
    who orders for the coop, or a supplier's rep who receives its purchase order."""
    return RepRole.SUPPLIER if isinstance(party, Supplier) else RepRole.TREASURER


def admin_id(admin: Admin) -> str:
    """ "telegram:9001": how admins are named when there is more than one platform."""
    return f"{admin.platform}:{admin.user_id}"


def find_admin(admins: Sequence[Admin], typed: str, platform: str | None) -> Admin:
    """The admin `typed` names: "platform:user_id", or a user id on `platform`."""
    for admin in admins:
        if admin_id(admin) == typed or (admin.platform == platform and admin.user_id == typed):
            return admin
    raise AdminUnknown(admin=typed[:70], admins=list(admins))


def check_not_last_admin(admins: Sequence[Admin], leaving: Admin) -> None:
    if [admin for admin in admins if admin != leaving] == []:
        raise LastAdmin(admin=admin_id(leaving))
