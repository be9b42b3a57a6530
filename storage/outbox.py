"""The durable outbox: everything the bot sends on its own initiative waits here.

Use cases enqueue rows (inside their own transaction when given its `conn`, so a message
exists if and only if the change that caused it was committed). A rate-limited sender
drains `due_messages` and marks each row sent, retried later, unreachable (the person
blocked the bot or is outside the platform's window) or failed (gave up).

`dedupe_key` is UNIQUE: enqueueing the same message twice (a sweep that runs twice, a
restart) queues it once, so every summary reaches every recipient once.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

import aiosqlite

from storage.database import Database
from storage.encoding import (
    JsonObject,
    dump_json,
    from_db_time,
    load_json_object,
    optional_time,
    to_db_time,
)


class DeliveryStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"
    UNREACHABLE = "unreachable"


@dataclass(frozen=True, slots=True)
class OutboxMessage:
    id: int
    platform: str
    chat_id: str
    kind: str
    payload: JsonObject
    dedupe_key: str
    status: DeliveryStatus
    attempts: int
    next_attempt_at: datetime
    last_error: str
    created_at: datetime
    sent_at: datetime | None


async def enqueue(
    target: Database | aiosqlite.Connection,
    platform: str,
    chat_id: str,
    kind: str,
    payload: JsonObject,
    dedupe_key: str,
    now: datetime,
) -> bool:
    """Queue a message; False when one with this `dedupe_key` was queued before.

    Given a Database it runs its own transaction; given a connection it writes inside
    the caller's transaction.
    """
    if isinstance(target, Database):
        async with target.transaction() as conn:
            return await enqueue(conn, platform, chat_id, kind, payload, dedupe_key, now)
    at = to_db_time(now)
    cursor = await target.execute(
        "INSERT OR IGNORE INTO outbox (platform, chat_id, kind, payload, dedupe_key, "
        "next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (platform, chat_id, kind, dump_json(payload), dedupe_key, at, at),
    )
    return cursor.rowcount > 0


async def due_messages(db: Database, now: datetime, limit: int = 100) -> list[OutboxMessage]:
    """Pending messages whose time has come, oldest first."""
    async with db.read() as conn:
        rows = await conn.execute_fetchall(
            "SELECT * FROM outbox WHERE status = 'pending' AND next_attempt_at <= ? "
            "ORDER BY next_attempt_at, id LIMIT ?",
            (to_db_time(now), limit),
        )
    return [_message(row) for row in rows]


async def get_message(db: Database, message_id: int) -> OutboxMessage | None:
    async with db.read() as conn:
        rows = list(await conn.execute_fetchall("SELECT * FROM outbox WHERE id = ?", (message_id,)))
    return _message(rows[0]) if rows else None


async def mark_sent(db: Database, message_id: int, now: datetime) -> None:
    await _finish(db, message_id, DeliveryStatus.SENT, "", now)


async def mark_unreachable(db: Database, message_id: int, error: str) -> None:
    await _finish(db, message_id, DeliveryStatus.UNREACHABLE, error, None)


async def mark_failed(db: Database, message_id: int, error: str) -> None:
    await _finish(db, message_id, DeliveryStatus.FAILED, error, None)


async def mark_retry(db: Database, message_id: int, next_at: datetime, error: str) -> None:
    """Count a failed attempt and try again at `next_at`."""
    async with db.transaction() as conn:
        await conn.execute(
            "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?, last_error = ? "
            "WHERE id = ? AND status = 'pending'",
            (to_db_time(next_at), error, message_id),
        )


async def _finish(
    db: Database, message_id: int, status: DeliveryStatus, error: str, sent_at: datetime | None
) -> None:
    async with db.transaction() as conn:
        await conn.execute(
            "UPDATE outbox SET status = ?, attempts = attempts + 1, last_error = ?, sent_at = ? "
            "WHERE id = ? AND status = 'pending'",
            (status.value, error, None if sent_at is None else to_db_time(sent_at), message_id),
        )


async def delivery_counts(
    db: Database, *, kind_prefix: str = "", dedupe_prefix: str = ""
) -> dict[DeliveryStatus, int]:
    """How many messages are in each status, among those whose kind and dedupe key start
    with the given prefixes (every status is present, 0 when none)."""
    async with db.read() as conn:
        rows = await conn.execute_fetchall(
            "SELECT status, COUNT(*) AS n FROM outbox "
            "WHERE substr(kind, 1, ?) = ? AND substr(dedupe_key, 1, ?) = ? GROUP BY status",
            (len(kind_prefix), kind_prefix, len(dedupe_prefix), dedupe_prefix),
        )
    counts = dict.fromkeys(DeliveryStatus, 0)
    for row in rows:
        counts[DeliveryStatus(row["status"])] = int(row["n"])
    return counts


def _message(row: sqlite3.Row) -> OutboxMessage:
    return OutboxMessage(
        id=row["id"],
        platform=row["platform"],
        chat_id=row["chat_id"],
        kind=row["kind"],
        payload=load_json_object(row["payload"]),
        dedupe_key=row["dedupe_key"],
        status=DeliveryStatus(row["status"]),
        attempts=row["attempts"],
        next_attempt_at=from_db_time(row["next_attempt_at"]),
        last_error=row["last_error"],
        created_at=from_db_time(row["created_at"]),
        sent_at=optional_time(row["sent_at"]),
    )
