"""Group chats linked to the network: where round announcements and summaries are posted."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from storage.database import Database
from storage.encoding import from_db_time, to_db_time


@dataclass(frozen=True, slots=True)
class LinkedGroup:
    platform: str
    chat_id: str
    linked_by: str
    at: datetime


async def link_group(
    db: Database, platform: str, chat_id: str, linked_by: str, now: datetime
) -> bool:
    """False when the group was already linked."""
    async with db.transaction() as conn:
        cursor = await conn.execute(
            "INSERT OR IGNORE INTO linked_groups (platform, chat_id, linked_by, at) "
            "VALUES (?, ?, ?, ?)",
            (platform, chat_id, linked_by, to_db_time(now)),
        )
        return cursor.rowcount > 0


async def unlink_group(db: Database, platform: str, chat_id: str) -> bool:
    """False when the group was not linked."""
    async with db.transaction() as conn:
        cursor = await conn.execute(
            "DELETE FROM linked_groups WHERE platform = ? AND chat_id = ?", (platform, chat_id)
        )
        return cursor.rowcount > 0


async def linked_groups(db: Database, platform: str | None = None) -> list[LinkedGroup]:
    rows = await db.fetch_all(
        "SELECT * FROM linked_groups WHERE platform = COALESCE(?, platform) "
        "ORDER BY platform, at, chat_id",
        (platform,),
    )
    return [
        LinkedGroup(row["platform"], row["chat_id"], row["linked_by"], from_db_time(row["at"]))
        for row in rows
    ]
