"""Reps (who may order for a coop, or speak for a supplier) and admins (Dinas staff).

One chat identity may represent several coops: a rep row is keyed by
(platform, user_id, coop_code). `load_identity` reads everything known about one chat
identity (preferences, reps and the names of their coops, admin flag, conversation state) in
one statement: it runs on every update, so a reply can name the coop without another read.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from purchasing.errors import UnknownCoop
from purchasing.model import Admin, Rep, RepRole
from storage.database import Connection
from storage.encoding import from_db_time, to_db_time
from storage.errors import UnknownSupplier
from storage.people.conversations import ConversationState, state_from_columns
from storage.people.preferences import UserPrefs, prefs_from_row

# Of a rep row `r`: its coop was not retired (a supplier rep's code is no coop: kept).
CURRENT_COOP = (
    "NOT EXISTS (SELECT 1 FROM coops c WHERE c.code = r.coop_code AND c.retired_at IS NOT NULL)"
)
CONFIG_ADMIN = "config"  # `added_by` of the admins the config file lists


@dataclass(frozen=True, slots=True)
class Identity:
    """What we know about one chat identity: preferences, the reps it is, whether admin."""

    prefs: UserPrefs
    reps: tuple[Rep, ...]
    is_admin: bool
    conversation: ConversationState | None = None  # see storage.people.conversations
    # The name of each coop it is a treasurer of, by code (as the coops table holds it now).
    coop_names: Mapping[str, str] = field(default_factory=dict)


_IDENTITY = """
SELECT 'rep' AS kind, r.platform, r.user_id, r.coop_code, r.role, r.display_name,
       NULL AS language, NULL AS acting_coop_code, NULL AS last_inbound_at, c.name AS coop_name
  FROM reps r LEFT JOIN coops c ON c.code = r.coop_code AND r.role = 'treasurer'
 WHERE r.platform = :platform AND r.user_id = :user_id
UNION ALL
SELECT 'prefs', platform, user_id, NULL, NULL, NULL, language, acting_coop_code, last_inbound_at,
       NULL
  FROM user_prefs WHERE platform = :platform AND user_id = :user_id
UNION ALL
SELECT 'admin', platform, user_id, NULL, NULL, NULL, NULL, NULL, NULL, NULL
  FROM admins WHERE platform = :platform AND user_id = :user_id
UNION ALL
-- the conversation state's JSON rides in display_name, its time in last_inbound_at
SELECT 'state', platform, user_id, NULL, NULL, state, NULL, NULL, updated_at, NULL
  FROM conversation_state WHERE platform = :platform AND user_id = :user_id
ORDER BY kind, coop_code
"""


async def load_identity(conn: Connection, platform: str, user_id: str) -> Identity:
    """The person's preferences, reps (by coop code) and admin flag, in one snapshot."""
    rows = await conn.fetch_all(_IDENTITY, {"platform": platform, "user_id": user_id})
    return _identity(platform, user_id, rows)


def identity_in(conn: sqlite3.Connection, platform: str, user_id: str) -> Identity:
    """`load_identity` inside a trip that already holds the connection (`in_one_trip`)."""
    rows = conn.execute(_IDENTITY, {"platform": platform, "user_id": user_id}).fetchall()
    return _identity(platform, user_id, rows)


def _identity(platform: str, user_id: str, rows: list[sqlite3.Row]) -> Identity:
    prefs = next((row for row in rows if row["kind"] == "prefs"), None)
    state = next((row for row in rows if row["kind"] == "state"), None)
    rep_rows = [row for row in rows if row["kind"] == "rep"]
    return Identity(
        prefs=prefs_from_row(platform, user_id, prefs),
        reps=tuple(_rep(row) for row in rep_rows),
        is_admin=any(row["kind"] == "admin" for row in rows),
        conversation=None
        if state is None
        else state_from_columns(platform, user_id, state["display_name"], state["last_inbound_at"]),
        coop_names={row["coop_code"]: row["coop_name"] for row in rep_rows if row["coop_name"]},
    )


async def add_rep(conn: Connection, rep: Rep, now: datetime) -> bool:
    """Record a rep (UnknownCoop / UnknownSupplier if the code is not known).

    Returns False when the rep already existed; its display name is refreshed.
    """
    async with conn.write() as tx:
        return await insert_rep(tx, rep, now)


async def insert_rep(conn: Connection, rep: Rep, now: datetime) -> bool:
    table = "suppliers" if rep.role is RepRole.SUPPLIER else "coops"
    known = await conn.fetch_all(f"SELECT 1 FROM {table} WHERE code = ?", (rep.coop_code,))
    if not list(known):
        if rep.role is RepRole.SUPPLIER:
            raise UnknownSupplier(supplier_code=rep.coop_code, product_code="")
        raise UnknownCoop(coop_code=rep.coop_code)
    key = (rep.platform, rep.user_id, rep.coop_code)
    existing = await conn.fetch_all(
        "SELECT 1 FROM reps WHERE platform = ? AND user_id = ? AND coop_code = ?", key
    )
    await conn.execute(
        "INSERT INTO reps (platform, user_id, coop_code, role, display_name, added_at) "
        "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (platform, user_id, coop_code) DO UPDATE SET "
        "role = excluded.role, display_name = excluded.display_name",
        (*key, rep.role.value, rep.display_name, to_db_time(now)),
    )
    return not list(existing)


async def remove_rep(conn: Connection, platform: str, user_id: str, coop_code: str) -> bool:
    """False when there was no such rep."""
    async with conn.write() as tx:
        cursor = await tx.execute(
            "DELETE FROM reps WHERE platform = ? AND user_id = ? AND coop_code = ?",
            (platform, user_id, coop_code),
        )
        return cursor.rowcount > 0


async def reps_for_user(conn: Connection, platform: str, user_id: str) -> list[Rep]:
    return await _reps(conn, "platform = ? AND user_id = ?", (platform, user_id))


async def reps_for_coop(conn: Connection, coop_code: str) -> list[Rep]:
    return await _reps(conn, "coop_code = ?", (coop_code,))


async def all_reps(conn: Connection) -> list[Rep]:
    return await _reps(conn, "1 = 1", ())


@dataclass(frozen=True, slots=True)
class RepChat:
    """A chat identity that represents one or more coops (or suppliers), and its language."""

    platform: str
    user_id: str
    language: str | None


async def rep_chats(
    conn: Connection, *, platform: str | None = None, role: RepRole | None = None
) -> list[RepChat]:
    """Each rep's chat once, however many coops it represents, in the order of `all_reps`;
    a rep only of coops that were retired is left out (they hear no more announcements)."""
    rows = await conn.fetch_all(
        "SELECT r.platform, r.user_id, p.language, MIN(r.coop_code) AS first_coop "
        "FROM reps r LEFT JOIN user_prefs p ON p.platform = r.platform AND p.user_id = r.user_id "
        "WHERE r.platform = COALESCE(?, r.platform) AND r.role = COALESCE(?, r.role) "
        f"AND {CURRENT_COOP} "
        "GROUP BY r.platform, r.user_id ORDER BY first_coop, r.platform, r.user_id",
        (platform, None if role is None else role.value),
    )
    return [RepChat(row["platform"], row["user_id"], row["language"]) for row in rows]


async def _reps(conn: Connection, where: str, params: tuple[str, ...]) -> list[Rep]:
    rows = await conn.fetch_all(
        f"SELECT * FROM reps WHERE {where} ORDER BY coop_code, platform, user_id", params
    )
    return [_rep(row) for row in rows]


def _rep(row: sqlite3.Row) -> Rep:
    return Rep(
        platform=row["platform"],
        user_id=row["user_id"],
        coop_code=row["coop_code"],
        role=RepRole(row["role"]),
        display_name=row["display_name"],
    )


async def add_admin(
    conn: Connection, platform: str, user_id: str, display_name: str, added_by: str, now: datetime
) -> bool:
    """False when already an admin (the display name is refreshed; one the config file lists
    is marked as such even if first added in the chat, since it comes back at every start)."""
    async with conn.write() as tx:
        existing = await tx.fetch_all(
            "SELECT 1 FROM admins WHERE platform = ? AND user_id = ?", (platform, user_id)
        )
        await tx.execute(
            "INSERT INTO admins (platform, user_id, display_name, added_by, added_at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (platform, user_id) DO UPDATE SET "
            "display_name = excluded.display_name, added_by = CASE WHEN excluded.added_by = "
            f"'{CONFIG_ADMIN}' THEN excluded.added_by ELSE admins.added_by END",
            (platform, user_id, display_name, added_by, to_db_time(now)),
        )
        return not list(existing)


async def remove_admin(conn: Connection, platform: str, user_id: str) -> bool:
    """False when they were not an admin, or were the last one (there is always one left:
    checked in the same statement, so two admins removing each other cannot both succeed)."""
    async with conn.write() as tx:
        cursor = await tx.execute(
            "DELETE FROM admins WHERE platform = ? AND user_id = ? "
            "AND (SELECT COUNT(*) FROM admins) > 1",
            (platform, user_id),
        )
        return cursor.rowcount > 0


async def is_admin(conn: Connection, platform: str, user_id: str) -> bool:
    rows = await conn.fetch_all(
        "SELECT 1 FROM admins WHERE platform = ? AND user_id = ?", (platform, user_id)
    )
    return bool(rows)


async def list_admins(conn: Connection) -> list[Admin]:
    rows = await conn.fetch_all("SELECT * FROM admins ORDER BY platform, user_id")
    return [
        Admin(
            platform=row["platform"],
            user_id=row["user_id"],
            display_name=row["display_name"],
            added_by=row["added_by"],
            added_at=from_db_time(row["added_at"]),
        )
        for row in rows
    ]


async def may_send_files(
    conn: Connection, platform: str, user_id: str, *, as_treasurer: bool
) -> bool:
    """Whether a file from this person is worth fetching: an admin's (a catalog or a bank
    statement) or, `as_treasurer` (a proof of payment), a treasurer's."""
    rows = await conn.fetch_all(
        "SELECT 1 FROM admins WHERE platform = :p AND user_id = :u UNION ALL "
        "SELECT 1 FROM reps WHERE platform = :p AND user_id = :u AND role = 'treasurer' "
        "AND :treasurer LIMIT 1",
        {"p": platform, "u": user_id, "treasurer": as_treasurer},
    )
    return bool(rows)
