"""Sign-in links and sessions of the web dashboard (migration 0018); SQL only.

Tokens arrive here already hashed (`usecases.dashboard` hashes them): the tables never hold
a token itself. A link is used by one conditional UPDATE (`use_link`), so two browsers
opening the same link at once cannot both sign in. A session counts only while its admin is
still in `admins` (`session_admin` joins them): removing an admin ends their sessions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from storage.database import Connection, Row
from storage.encoding import to_db_time


@dataclass(frozen=True, slots=True)
class SignedIn:
    """Who a live session (or an unused link) belongs to, and the language they read."""

    platform: str
    user_id: str
    display_name: str
    language: str | None


async def add_link(
    conn: Connection, token_hash: str, platform: str, user_id: str, now: datetime, expires: datetime
) -> None:
    await conn.execute(
        "INSERT INTO dashboard_links (token_hash, platform, user_id, created_at, expires_at) "
        "VALUES (?, ?, ?, ?, ?)",
        (token_hash, platform, user_id, to_db_time(now), to_db_time(expires)),
    )


_WHO = """
SELECT a.platform, a.user_id, a.display_name, p.language
  FROM {table} t
  JOIN admins a ON a.platform = t.platform AND a.user_id = t.user_id
  LEFT JOIN user_prefs p ON p.platform = t.platform AND p.user_id = t.user_id
 WHERE t.token_hash = :hash AND t.expires_at > :now AND t.{open_column} IS NULL
"""


async def link_admin(conn: Connection, token_hash: str, now: datetime) -> SignedIn | None:
    """Whose unused, unexpired link this is (None: unknown, used, expired, or no admin now)."""
    sql = _WHO.format(table="dashboard_links", open_column="used_at")
    return _signed_in(await conn.fetch_all(sql, {"hash": token_hash, "now": to_db_time(now)}))


async def use_link(conn: Connection, token_hash: str, now: datetime) -> SignedIn | None:
    """Mark the link used, once: who it was for, or None when it cannot sign in (anymore)."""
    async with conn.write() as tx:
        who = await link_admin(tx, token_hash, now)
        if who is None:
            return None
        written = await tx.execute(
            "UPDATE dashboard_links SET used_at = ? WHERE token_hash = ? AND used_at IS NULL",
            (to_db_time(now), token_hash),
        )
        return who if written.rowcount == 1 else None


async def add_session(
    conn: Connection, token_hash: str, who: SignedIn, now: datetime, expires: datetime
) -> None:
    await conn.execute(
        "INSERT INTO dashboard_sessions (token_hash, platform, user_id, created_at, expires_at) "
        "VALUES (?, ?, ?, ?, ?)",
        (token_hash, who.platform, who.user_id, to_db_time(now), to_db_time(expires)),
    )


async def session_admin(conn: Connection, token_hash: str, now: datetime) -> SignedIn | None:
    """Whose live session this is (None: unknown, expired, revoked, or no admin any more)."""
    sql = _WHO.format(table="dashboard_sessions", open_column="revoked_at")
    return _signed_in(await conn.fetch_all(sql, {"hash": token_hash, "now": to_db_time(now)}))


async def revoke_session(conn: Connection, token_hash: str, now: datetime) -> None:
    await conn.execute(
        "UPDATE dashboard_sessions SET revoked_at = ? WHERE token_hash = ? AND revoked_at IS NULL",
        (to_db_time(now), token_hash),
    )


async def revoke_sessions_of(conn: Connection, platform: str, user_id: str, now: datetime) -> int:
    """End every live session and unused link of one admin; how many sessions were live."""
    at = to_db_time(now)
    async with conn.write() as tx:
        await tx.execute(
            "UPDATE dashboard_links SET used_at = ? "
            "WHERE platform = ? AND user_id = ? AND used_at IS NULL",
            (at, platform, user_id),
        )
        written = await tx.execute(
            "UPDATE dashboard_sessions SET revoked_at = ? WHERE platform = ? AND user_id = ? "
            "AND revoked_at IS NULL AND expires_at > ?",
            (at, platform, user_id, at),
        )
    return written.rowcount


def _signed_in(rows: list[Row]) -> SignedIn | None:
    if not rows:
        return None
    row = rows[0]
    return SignedIn(row["platform"], row["user_id"], row["display_name"], row["language"])
