"""Deduplication of webhook deliveries: platforms retry, we act on each update once."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from functools import partial

from storage.database import Connection
from storage.encoding import to_db_time
from storage.people.reps import Identity, identity_in

_RECORD = "INSERT OR IGNORE INTO processed_updates (platform, update_id, at) VALUES (?, ?, ?)"


async def seen_update(
    conn: Connection, platform: str, update_id: str | int, now: datetime | None = None
) -> bool:
    """Record the update; True when it had been recorded before (so: skip it)."""
    at = to_db_time(now or datetime.now(UTC))
    inserted = await conn.execute(_RECORD, (platform, str(update_id), at))
    return inserted.rowcount == 0


async def take_update(
    conn: Connection, platform: str, update_id: str, user_id: str, now: datetime
) -> Identity | None:
    """Record the update and read who sent it, in one brief trip to SQLite (this runs on every
    update); None when the update had been recorded before (so: skip it)."""
    work = partial(_take_in, platform, update_id, user_id, now)
    return await conn.in_one_trip(work, brief=True)


def _take_in(
    platform: str, update_id: str, user_id: str, now: datetime, conn: sqlite3.Connection
) -> Identity | None:
    if conn.execute(_RECORD, (platform, update_id, to_db_time(now))).rowcount == 0:
        return None
    return identity_in(conn, platform, user_id)


async def forget_update(conn: Connection, platform: str, update_id: str | int) -> None:
    """Undo `seen_update` for an update that could not be handled, so its retry counts."""
    await conn.execute(
        "DELETE FROM processed_updates WHERE platform = ? AND update_id = ?",
        (platform, str(update_id)),
    )


async def forget_updates_before(conn: Connection, cutoff: datetime) -> int:
    """Drop records older than `cutoff` (platforms stop retrying after a day or so)."""
    async with conn.write() as tx:
        cursor = await tx.execute(
            "DELETE FROM processed_updates WHERE at < ?", (to_db_time(cutoff),)
        )
        return cursor.rowcount
