"""Business-initiated WhatsApp messages: the tier's daily limit, and replies held back.

Outside the 24-hour customer-service window only an approved template may be sent, and
each template to someone not messaged that way in the last 24 hours opens a
business-initiated conversation; the account's tier caps how many distinct people may be
in one over any rolling 24 hours. `reserve_conversation` checks and counts in ONE
transaction, so concurrent senders never exceed the cap; when it is full it says when the
next place frees up, so the message waits for it instead of being dropped.

A template carries only a summary; the full reply is *held* here and moved into the outbox
(`release_held`, one transaction) as soon as the person writes again, which reopens the
window so the free-form text may follow.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from storage import outbox
from storage.database import Database
from storage.encoding import JsonObject, dump_json, from_db_time, load_json_object, to_db_time

CONVERSATION_SPAN = timedelta(hours=24)
HELD_KIND = "whatsapp_held"


async def reserve_conversation(
    db: Database, user_id: str, template: str, now: datetime, daily_limit: int
) -> datetime | None:
    """Count a template to `user_id` at `now`; None if it fits the limit, else the time at
    which a place frees up (nothing is counted then)."""
    since = to_db_time(now - CONVERSATION_SPAN)
    async with db.transaction() as conn:
        mine = list(
            await conn.execute_fetchall(
                "SELECT 1 FROM whatsapp_conversations WHERE user_id = ? AND started_at > ?",
                (user_id, since),
            )
        )
        if not mine:
            latest = list(
                await conn.execute_fetchall(
                    "SELECT user_id, MAX(started_at) AS at FROM whatsapp_conversations "
                    "WHERE started_at > ? GROUP BY user_id ORDER BY at",
                    (since,),
                )
            )
            if len(latest) >= daily_limit:
                # The place of the person whose last template is oldest frees up first.
                return from_db_time(latest[len(latest) - daily_limit]["at"]) + CONVERSATION_SPAN
        await conn.execute(
            "INSERT INTO whatsapp_conversations (user_id, template, started_at) VALUES (?, ?, ?)",
            (user_id, template, to_db_time(now)),
        )
        await conn.execute(
            "DELETE FROM whatsapp_conversations WHERE started_at <= ?",
            (to_db_time(now - 2 * CONVERSATION_SPAN),),
        )
    return None


async def hold_reply(db: Database, user_id: str, payload: JsonObject, now: datetime) -> bool:
    """Keep an encoded reply until the person writes again; False if held already."""
    text = dump_json(payload)
    digest = hashlib.sha256(text.encode()).hexdigest()
    async with db.transaction() as conn:
        cursor = await conn.execute(
            "INSERT OR IGNORE INTO whatsapp_held_replies (user_id, payload, digest, created_at) "
            "VALUES (?, ?, ?, ?)",
            (user_id, text, digest, to_db_time(now)),
        )
        return cursor.rowcount > 0


async def held_replies(db: Database, user_id: str) -> list[JsonObject]:
    async with db.read() as conn:
        rows = await conn.execute_fetchall(
            "SELECT payload FROM whatsapp_held_replies WHERE user_id = ? ORDER BY id", (user_id,)
        )
    return [load_json_object(row["payload"]) for row in rows]


async def release_held(db: Database, platform: str, user_id: str, now: datetime) -> int:
    """Move the person's held replies into the outbox, oldest first; how many."""
    async with db.transaction() as conn:
        rows = list(
            await conn.execute_fetchall(
                "SELECT id, payload FROM whatsapp_held_replies WHERE user_id = ? ORDER BY id",
                (user_id,),
            )
        )
        for row in rows:
            key = f"{HELD_KIND}:{row['id']}"
            payload = load_json_object(row["payload"])
            await outbox.enqueue(conn, platform, user_id, HELD_KIND, payload, key, now)
        await conn.execute("DELETE FROM whatsapp_held_replies WHERE user_id = ?", (user_id,))
    return len(rows)
