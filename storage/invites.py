"""Invites: a code an admin hands out so a treasurer can link their chat to a coop, or a
supplier's rep to that supplier (`role` SUPPLIER: they receive its purchase order at close).

`find_party` tells which of the two a typed code names; a code that names both is refused
(`CodeAmbiguous`), never guessed. The invite code is URL-safe (`[A-Za-z0-9_-]`, 16
characters), so it fits a Telegram `/start` deep link. Redeeming checks and counts the use
in ONE transaction, so a code with `max_uses` is never used more often, even by people
redeeming at the same moment.
"""

from __future__ import annotations

import secrets
import sqlite3
from dataclasses import dataclass
from datetime import datetime

from purchasing.errors import UnknownCoop
from purchasing.model import Coop, Rep, RepRole, Supplier
from purchasing.order_text import shorten
from storage.database import Connection
from storage.encoding import from_db_time, optional_db_time, optional_time, to_db_time
from storage.errors import (
    CodeAmbiguous,
    CoopRetired,
    InviteExpired,
    InviteUnknown,
    InviteUsedUp,
    UnknownSupplier,
)
from storage.reps import insert_rep

CODE_BYTES = 12  # 16 characters of base64url


@dataclass(frozen=True, slots=True)
class Invite:
    code: str
    coop_code: str
    max_uses: int | None
    uses: int
    expires_at: datetime | None
    created_by: str
    created_at: datetime
    role: RepRole = RepRole.TREASURER  # SUPPLIER: coop_code is a supplier's code


_PARTY = """
SELECT 'coop' AS kind, code, name, address, contact FROM coops WHERE code = :code
UNION ALL
SELECT 'supplier', code, name, '', contact FROM suppliers WHERE code = :code
"""


async def find_party(conn: Connection, code: str) -> Coop | Supplier:
    """The coop or the supplier whose code this is (exactly as stored: upper case).

    Raises UnknownCoop when neither has it, and CodeAmbiguous when both do: coops and
    suppliers are separate tables, so nothing in the schema stops one code naming both.
    """
    rows = await conn.fetch_all(_PARTY, {"code": code})
    if not rows:
        raise UnknownCoop(coop_code=shorten(code))
    if len(rows) > 1:
        names = {row["kind"]: row["name"] for row in rows}
        raise CodeAmbiguous(code=code, coop_name=names["coop"], supplier_name=names["supplier"])
    row = rows[0]
    if row["kind"] == "supplier":
        return Supplier(row["code"], row["name"], row["contact"])
    return Coop(row["code"], row["name"], row["address"], row["contact"])


def role_for(party: Coop | Supplier) -> RepRole:
    """What an invite for this coop or supplier makes the person who redeems it."""
    return RepRole.SUPPLIER if isinstance(party, Supplier) else RepRole.TREASURER


async def create_invite(
    conn: Connection,
    coop_code: str,
    created_by: str,
    now: datetime,
    max_uses: int | None = None,
    expires_at: datetime | None = None,
    role: RepRole = RepRole.TREASURER,
) -> Invite:
    """A new invite for a coop, or with role SUPPLIER for a supplier whose code `coop_code`
    is (UnknownCoop / UnknownSupplier if there is no such coop / supplier; CoopRetired for
    a retired coop)."""
    code = secrets.token_urlsafe(CODE_BYTES)
    async with conn.write() as tx:
        if role is RepRole.SUPPLIER:
            known = await tx.fetch_all("SELECT 1 FROM suppliers WHERE code = ?", (coop_code,))
            if not list(known):
                raise UnknownSupplier(supplier_code=coop_code, product_code="")
        else:
            await _require_current_coop(tx, coop_code)
        await tx.execute(
            "INSERT INTO invites (code, coop_code, role, max_uses, expires_at, created_by, "
            "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (code, coop_code, role.value, max_uses, optional_db_time(expires_at), created_by,
             to_db_time(now)),
        )  # fmt: skip
    return Invite(code, coop_code, max_uses, 0, expires_at, created_by, now, role)


async def get_invite(conn: Connection, code: str) -> Invite | None:
    async with conn.snapshot() as snap:
        rows = list(await snap.fetch_all("SELECT * FROM invites WHERE code = ?", (code,)))
    return _invite(rows[0]) if rows else None


async def redeem_invite(
    conn: Connection, code: str, platform: str, user_id: str, display_name: str, now: datetime
) -> Rep:
    """Make this chat identity a rep of the invite's coop (or supplier, for a supplier invite).

    Raises InviteUnknown, InviteExpired, InviteUsedUp or CoopRetired (the invite's coop was
    retired since) and then changes nothing. Someone who is already a rep of that coop gets
    their rep back without using up the invite.
    """
    async with conn.write() as tx:
        rows = list(await tx.fetch_all("SELECT * FROM invites WHERE code = ?", (code,)))
        if not rows:
            raise InviteUnknown(code=code[:32])
        invite = _invite(rows[0])
        rep = Rep(platform, user_id, invite.coop_code, invite.role, display_name)
        if invite.expires_at is not None and invite.expires_at <= now:
            raise InviteExpired(coop_code=invite.coop_code, expires_at=invite.expires_at)
        if invite.role is RepRole.TREASURER:
            await _require_current_coop(tx, invite.coop_code)
        if not await insert_rep(tx, rep, now):
            return rep
        # Raising after the insert is fine: the transaction rolls it back.
        if invite.max_uses is not None and invite.uses >= invite.max_uses:
            raise InviteUsedUp(coop_code=invite.coop_code, max_uses=invite.max_uses)
        await tx.execute("UPDATE invites SET uses = uses + 1 WHERE code = ?", (code,))
    return rep


async def revoke_invite(conn: Connection, code: str, now: datetime) -> Invite:
    """Make the invite expire now (InviteUnknown if there is none). Reps who joined with it
    stay; remove them one by one (`storage.reps.remove_rep`)."""
    async with conn.write() as tx:
        await tx.execute(
            "UPDATE invites SET expires_at = ? WHERE code = ? AND "
            "(expires_at IS NULL OR expires_at > ?)",
            (to_db_time(now), code, to_db_time(now)),
        )
        rows = list(await tx.fetch_all("SELECT * FROM invites WHERE code = ?", (code,)))
    if not rows:
        raise InviteUnknown(code=code[:32])
    return _invite(rows[0])


async def list_invites(conn: Connection, coop_code: str | None = None) -> list[Invite]:
    """Every invite, or one coop's (or supplier's), oldest first (expired and used-up too)."""
    rows = await conn.fetch_all(
        "SELECT * FROM invites WHERE coop_code = COALESCE(?, coop_code) ORDER BY created_at, code",
        (coop_code,),
    )
    return [_invite(row) for row in rows]


async def _require_current_coop(conn: Connection, coop_code: str) -> None:
    """UnknownCoop if there is no such coop, CoopRetired if it was retired."""
    rows = list(await conn.fetch_all("SELECT retired_at FROM coops WHERE code = ?", (coop_code,)))
    if not rows:
        raise UnknownCoop(coop_code=coop_code)
    if rows[0]["retired_at"] is not None:
        raise CoopRetired(coop_code=coop_code)


def _invite(row: sqlite3.Row) -> Invite:
    return Invite(
        code=row["code"],
        coop_code=row["coop_code"],
        max_uses=row["max_uses"],
        uses=row["uses"],
        expires_at=optional_time(row["expires_at"]),
        created_by=row["created_by"],
        created_at=from_db_time(row["created_at"]),
        role=RepRole(row["role"]),
    )
