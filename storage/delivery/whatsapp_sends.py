"""Business-initiated WhatsApp messages: the tier's daily limit, and replies held back.

Outside the 24-hour customer-service window only an approved template may be sent, and
each template to someone not messaged that way in the last 24 hours opens a
business-initiated conversation; the account's tier caps how many distinct people may be
in one over any rolling 24 hours. `reserve_conversation` checks and counts in ONE
transaction, so concurrent senders never exceed the cap; when it is full it says when the
next place frees up, so the message waits for it instead of being dropped.

A template carries only a summary; the full reply is *held* here and moved into the outbox
(`release_held`, one transaction) as soon as the person writes again, which reopens the
window so the free-form text may follow. A held reply that is out of date before the person
writes (a round's reminder once the round has closed) is dropped with its waiting stand-in
(`withdraw_held`).

The id (wamid) of every message the sender sent is kept for a month (`record_sent`), so a
"failed" status Meta posts later finds its outbox row (`unfailed_send`), and its failure is
recorded once (`record_failure`; `bot.whatsapp.failures` does both in one transaction). A
refusal because the window had closed (131047) also closes the window as far as the bot is
concerned, until the person writes again (`window_refused_at`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from storage.database import Connection
from storage.delivery import outbox
from storage.encoding import JsonObject, dump_json, from_db_time, load_json_object, to_db_time

CONVERSATION_SPAN = timedelta(hours=24)
HELD_KIND = "whatsapp_held"
# A reply's stand-in, due when a place of the daily limit frees up (`bot.whatsapp.waiting`).
WAITING_KIND = "whatsapp_waiting"
PLATFORM = "whatsapp"
KEEP_SENT = timedelta(days=30)
WINDOW_CLOSED = 131047
SENT_AS_TEXT, SENT_AS_TEMPLATE = "text", "template"


async def reserve_conversation(
    conn: Connection, user_id: str, template: str, now: datetime, daily_limit: int
) -> datetime | None:
    """Count a template to `user_id` at `now`; None if it fits the limit, else the time at
    which a place frees up (nothing is counted then)."""
    since = to_db_time(now - CONVERSATION_SPAN)
    async with conn.write() as tx:
        mine = list(
            await tx.fetch_all(
                "SELECT 1 FROM whatsapp_conversations WHERE user_id = ? AND started_at > ?",
                (user_id, since),
            )
        )
        if not mine:
            latest = list(
                await tx.fetch_all(
                    "SELECT user_id, MAX(started_at) AS at FROM whatsapp_conversations "
                    "WHERE started_at > ? GROUP BY user_id ORDER BY at",
                    (since,),
                )
            )
            if len(latest) >= daily_limit:
                # The place of the person whose last template is oldest frees up first.
                return from_db_time(latest[len(latest) - daily_limit]["at"]) + CONVERSATION_SPAN
        await tx.execute(
            "INSERT INTO whatsapp_conversations (user_id, template, started_at) VALUES (?, ?, ?)",
            (user_id, template, to_db_time(now)),
        )
        await tx.execute(
            "DELETE FROM whatsapp_conversations WHERE started_at <= ?",
            (to_db_time(now - 2 * CONVERSATION_SPAN),),
        )
    return None


async def hold_reply(conn: Connection, user_id: str, payload: JsonObject, now: datetime) -> bool:
    """Keep an encoded reply until the person writes again; False if held already."""
    text = dump_json(payload)
    digest = hashlib.sha256(text.encode()).hexdigest()
    async with conn.write() as tx:
        cursor = await tx.execute(
            "INSERT OR IGNORE INTO whatsapp_held_replies (user_id, payload, digest, created_at) "
            "VALUES (?, ?, ?, ?)",
            (user_id, text, digest, to_db_time(now)),
        )
        return cursor.rowcount > 0


async def held_replies(conn: Connection, user_id: str) -> list[JsonObject]:
    async with conn.snapshot() as snap:
        rows = await snap.fetch_all(
            "SELECT payload FROM whatsapp_held_replies WHERE user_id = ? ORDER BY id", (user_id,)
        )
    return [load_json_object(row["payload"]) for row in rows]


async def release_held(conn: Connection, platform: str, user_id: str, now: datetime) -> int:
    """Move the person's held replies into the outbox, oldest first; how many."""
    async with conn.write() as tx:
        rows = list(
            await tx.fetch_all(
                "SELECT id, payload FROM whatsapp_held_replies WHERE user_id = ? ORDER BY id",
                (user_id,),
            )
        )
        for row in rows:
            key = f"{HELD_KIND}:{row['id']}"
            payload = load_json_object(row["payload"])
            await outbox.enqueue(tx, platform, user_id, HELD_KIND, payload, key, now)
        await tx.execute("DELETE FROM whatsapp_held_replies WHERE user_id = ?", (user_id,))
    return len(rows)


async def withdraw_held(
    conn: Connection, templates: Sequence[str], round_id: int, reason: str
) -> int:
    """Drop the held replies that are one of `templates` about round `round_id` (none of them
    is sent when the person writes), and withdraw those already released or waiting for a
    place in the outbox (`outbox.withdraw_replies`); how many in all."""
    cursor = await conn.execute(
        "DELETE FROM whatsapp_held_replies "
        "WHERE json_extract(payload, '$.template') IN (SELECT value FROM json_each(?)) "
        "AND json_extract(payload, '$.context.round_id') = ?",
        (dump_json(list(templates)), round_id),
    )
    kinds = (HELD_KIND, WAITING_KIND)
    return cursor.rowcount + await outbox.withdraw_replies(conn, kinds, templates, round_id, reason)


async def record_sent(
    conn: Connection, user_id: str, wamids: Sequence[str], sent_as: str, now: datetime
) -> None:
    """Remember the ids of the messages one send became (the last is the outbox row's)."""
    if not wamids:
        return
    at = to_db_time(now)
    async with conn.write() as tx:
        await tx.execute_many(
            "INSERT OR IGNORE INTO whatsapp_sent_messages "
            "(wamid, user_id, outbox_wamid, sent_as, sent_at) VALUES (?, ?, ?, ?, ?)",
            [(wamid, user_id, wamids[-1], sent_as, at) for wamid in wamids],
        )
        await tx.execute(
            "DELETE FROM whatsapp_sent_messages WHERE sent_at <= ?",
            (to_db_time(now - KEEP_SENT),),
        )


async def window_refused_at(conn: Connection, user_id: str) -> datetime | None:
    """When the latest message Meta refused because the window was closed was sent."""
    async with conn.snapshot() as snap:
        rows = list(
            await snap.fetch_all(
                "SELECT MAX(sent_at) AS at FROM whatsapp_sent_messages "
                f"WHERE user_id = ? AND failed_code = {WINDOW_CLOSED}",
                (user_id,),
            )
        )
    return from_db_time(rows[0]["at"]) if rows and rows[0]["at"] else None


@dataclass(frozen=True, slots=True)
class SentRecord:
    """A message the sender sent (`record_sent`) whose failure is not recorded yet."""

    wamid: str
    outbox_wamid: str
    sent_as: str
    sent_at: datetime


async def unfailed_send(conn: Connection, wamid: str) -> SentRecord | None:
    rows = await conn.fetch_all(
        "SELECT outbox_wamid, sent_as, sent_at FROM whatsapp_sent_messages "
        "WHERE wamid = ? AND failed_code IS NULL",
        (wamid,),
    )
    if not rows:
        return None
    row = rows[0]
    return SentRecord(wamid, row["outbox_wamid"], row["sent_as"], from_db_time(row["sent_at"]))


async def record_failure(conn: Connection, wamid: str, code: int, now: datetime) -> None:
    await conn.execute(
        "UPDATE whatsapp_sent_messages SET failed_code = ?, failed_at = ? WHERE wamid = ?",
        (code, to_db_time(now), wamid),
    )
