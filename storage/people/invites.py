"""Invites (`purchasing.model.Invite`) in the database, and which party a typed code names.

`find_party` tells whether a code is a coop's or a supplier's; a code that names both is
refused (`CodeAmbiguous`), never guessed. The invite code is URL-safe (`[A-Za-z0-9_-]`, 16
characters), so it fits a Telegram `/start` deep link. Making, redeeming and revoking are
use cases (`usecases.people`): redeeming checks and counts the use in ONE transaction, so a
code with `max_uses` is never used more often, even by people redeeming at the same moment.
"""

from __future__ import annotations

import secrets
import sqlite3
from datetime import datetime

from purchasing.errors import UnknownCoop
from purchasing.model import Coop, Invite, RepRole, Supplier
from purchasing.order_text import shorten
from storage.database import Connection
from storage.encoding import from_db_time, optional_db_time, optional_time, to_db_time
from storage.errors import (
    CodeAmbiguous,
)

CODE_BYTES = 12  # 16 characters of base64url


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
        raise UnknownCoop(coop_code=shorten(code), or_supplier=True)
    if len(rows) > 1:
        names = {row["kind"]: row["name"] for row in rows}
        raise CodeAmbiguous(code=code, coop_name=names["coop"], supplier_name=names["supplier"])
    row = rows[0]
    if row["kind"] == "supplier":
        return Supplier(row["code"], row["name"], row["contact"])
    return Coop(row["code"], row["name"], row["address"], row["contact"])


async def insert_invite(conn: Connection, invite: Invite) -> None:
    await conn.execute(
        "INSERT INTO invites (code, coop_code, role, max_uses, expires_at, created_by, "
        "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            invite.code, invite.coop_code, invite.role.value, invite.max_uses,
            optional_db_time(invite.expires_at), invite.created_by, to_db_time(invite.created_at),
        ),
    )  # fmt: skip


def new_invite_code() -> str:
    """A fresh, URL-safe code (16 characters of base64url)."""
    return secrets.token_urlsafe(CODE_BYTES)


async def get_invite(conn: Connection, code: str) -> Invite | None:
    rows = await conn.fetch_all("SELECT * FROM invites WHERE code = ?", (code,))
    return _invite(rows[0]) if rows else None


async def count_use(conn: Connection, code: str) -> None:
    await conn.execute("UPDATE invites SET uses = uses + 1 WHERE code = ?", (code,))


async def expire_invite(conn: Connection, code: str, now: datetime) -> Invite | None:
    """Make the invite expire now (one that expired earlier keeps its time); None when
    there is no such invite."""
    async with conn.write() as tx:
        await tx.execute(
            "UPDATE invites SET expires_at = ? WHERE code = ? AND "
            "(expires_at IS NULL OR expires_at > ?)",
            (to_db_time(now), code, to_db_time(now)),
        )
        return await get_invite(tx, code)


async def coop_standing(conn: Connection, coop_code: str) -> tuple[bool, bool]:
    """(whether the coop exists, whether it was retired)."""
    rows = await conn.fetch_all("SELECT retired_at FROM coops WHERE code = ?", (coop_code,))
    return bool(rows), bool(rows) and rows[0]["retired_at"] is not None


async def list_invites(conn: Connection, coop_code: str | None = None) -> list[Invite]:
    """Every invite, or one coop's (or supplier's), oldest first (expired and used-up too)."""
    rows = await conn.fetch_all(
        "SELECT * FROM invites WHERE coop_code = COALESCE(?, coop_code) ORDER BY created_at, code",
        (coop_code,),
    )
    return [_invite(row) for row in rows]


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
