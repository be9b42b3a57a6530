"""Deduplication of webhook deliveries: platforms retry, we act on each update once."""

from __future__ import annotations

from datetime import UTC, datetime

from storage.database import Database
from storage.encoding import to_db_time


async def seen_update(
    db: Database, platform: str, update_id: str | int, now: datetime | None = None
) -> bool:
    """Record the update; True when it had been recorded before (so: skip it)."""
    at = to_db_time(now or datetime.now(UTC))
    inserted = await db.execute_one(
        "INSERT OR IGNORE INTO processed_updates (platform, update_id, at) VALUES (?, ?, ?)",
        (platform, str(update_id), at),
    )
    return inserted == 0


async def forget_update(db: Database, platform: str, update_id: str | int) -> None:
    """Undo `seen_update` for an update that could not be handled, so its retry counts."""
    await db.execute_one(
        "DELETE FROM processed_updates WHERE platform = ? AND update_id = ?",
        (platform, str(update_id)),
    )


async def forget_updates_before(db: Database, cutoff: datetime) -> int:
    """Drop records older than `cutoff` (platforms stop retrying after a day or so)."""
    async with db.transaction() as conn:
        cursor = await conn.execute(
            "DELETE FROM processed_updates WHERE at < ?", (to_db_time(cutoff),)
        )
        return cursor.rowcount
