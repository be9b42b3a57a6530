"""Per-person preferences: language, the coop they act for, and when they last wrote to us.

`last_inbound_at` matters on WhatsApp: free-form messages may only be sent within 24 hours
of the person's last message.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from storage.database import Connection
from storage.encoding import optional_time, to_db_time


@dataclass(frozen=True, slots=True)
class UserPrefs:
    platform: str
    user_id: str
    language: str | None = None
    acting_coop_code: str | None = None
    last_inbound_at: datetime | None = None


async def get_prefs(conn: Connection, platform: str, user_id: str) -> UserPrefs:
    """The person's preferences (all None when we know nothing yet)."""
    rows = await conn.fetch_all(
        "SELECT * FROM user_prefs WHERE platform = ? AND user_id = ?", (platform, user_id)
    )
    return prefs_from_row(platform, user_id, rows[0] if rows else None)


def prefs_from_row(platform: str, user_id: str, row: sqlite3.Row | None) -> UserPrefs:
    """The preferences in a `user_prefs` row (all None without a row)."""
    if row is None:
        return UserPrefs(platform, user_id)
    return UserPrefs(
        platform,
        user_id,
        row["language"],
        row["acting_coop_code"],
        optional_time(row["last_inbound_at"]),
    )


async def set_language(conn: Connection, platform: str, user_id: str, language: str | None) -> None:
    await _set(conn, platform, user_id, "language", language)


async def set_acting_coop(
    conn: Connection, platform: str, user_id: str, coop_code: str | None
) -> None:
    await _set(conn, platform, user_id, "acting_coop_code", coop_code)


async def record_inbound(conn: Connection, platform: str, user_id: str, now: datetime) -> None:
    await _set(conn, platform, user_id, "last_inbound_at", to_db_time(now))


async def _set(
    conn: Connection, platform: str, user_id: str, column: str, value: str | None
) -> None:
    async with conn.write() as tx:
        await tx.execute(
            f"INSERT INTO user_prefs (platform, user_id, {column}) VALUES (?, ?, ?) "
            f"ON CONFLICT (platform, user_id) DO UPDATE SET {column} = excluded.{column}",
            (platform, user_id, value),
        )
