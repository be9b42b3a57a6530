"""Group chats linked to the network: where round announcements and summaries are posted."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from purchasing.model import RepRole
from storage.database import Connection
from storage.encoding import from_db_time, to_db_time
from storage.people.reps import CURRENT_COOP, RepChat


@dataclass(frozen=True, slots=True)
class LinkedGroup:
    platform: str
    chat_id: str
    linked_by: str
    at: datetime


async def link_group(
    conn: Connection, platform: str, chat_id: str, linked_by: str, now: datetime
) -> bool:
    """False when the group was already linked."""
    async with conn.write() as tx:
        cursor = await tx.execute(
            "INSERT OR IGNORE INTO linked_groups (platform, chat_id, linked_by, at) "
            "VALUES (?, ?, ?, ?)",
            (platform, chat_id, linked_by, to_db_time(now)),
        )
        return cursor.rowcount > 0


async def unlink_group(conn: Connection, platform: str, chat_id: str) -> bool:
    """False when the group was not linked."""
    async with conn.write() as tx:
        cursor = await tx.execute(
            "DELETE FROM linked_groups WHERE platform = ? AND chat_id = ?", (platform, chat_id)
        )
        return cursor.rowcount > 0


async def linked_groups(conn: Connection, platform: str | None = None) -> list[LinkedGroup]:
    rows = await conn.fetch_all(
        "SELECT * FROM linked_groups WHERE platform = COALESCE(?, platform) "
        "ORDER BY platform, at, chat_id",
        (platform,),
    )
    return [
        LinkedGroup(row["platform"], row["chat_id"], row["linked_by"], from_db_time(row["at"]))
        for row in rows
    ]


@dataclass(frozen=True, slots=True)
class GroupAudience:
    """Who reads a post "to the group", read in one statement (see `usecases.notices.audience`):
    the linked groups as `linked_groups` orders them, and the private chats of reps with
    `role` on platforms without groups, as `reps.rep_chats` orders them."""

    groups: list[tuple[str, str]]  # (platform, chat id)
    rep_chats: list[RepChat]


async def group_audience(
    conn: Connection, groupless_platforms: Collection[str], role: RepRole
) -> GroupAudience:
    platforms = sorted(groupless_platforms)
    marks = ", ".join("?" for _ in platforms)
    rows = await conn.fetch_all(
        "SELECT 'group' AS kind, platform, chat_id AS user_id, NULL AS language, "
        "NULL AS first_coop, at FROM linked_groups "
        "UNION ALL "
        "SELECT 'rep', r.platform, r.user_id, p.language, MIN(r.coop_code), NULL FROM reps r "
        "LEFT JOIN user_prefs p ON p.platform = r.platform AND p.user_id = r.user_id "
        f"WHERE r.platform IN ({marks}) AND r.role = ? AND {CURRENT_COOP} "
        "GROUP BY r.platform, r.user_id "
        "ORDER BY kind, first_coop, platform, at, user_id",
        (*platforms, role.value),
    )
    return GroupAudience(
        groups=[(row["platform"], row["user_id"]) for row in rows if row["kind"] == "group"],
        rep_chats=[
            RepChat(row["platform"], row["user_id"], row["language"])
            for row in rows
            if row["kind"] == "rep"
        ],
    )
