"""When each round's progress chart last went to the group (table `round_chart_posts`,
migration 0019), and which chart files queued messages still have to send; SQL only. The
day is the office's local day, written "YYYY-MM-DD", so text order is day order."""

from __future__ import annotations

from datetime import date, datetime

from storage.database import Connection
from storage.encoding import to_db_time


async def posted_on(conn: Connection, round_id: int) -> date | None:
    """The local day the round's chart was last posted (None: never)."""
    rows = await conn.fetch_all(
        "SELECT posted_on FROM round_chart_posts WHERE round_id = ?", (round_id,)
    )
    return date.fromisoformat(rows[0]["posted_on"]) if rows else None


async def claim_day(conn: Connection, round_id: int, day: date, at: datetime) -> bool:
    """Note that the round's chart is posted on `day`; False (nothing written) when it was
    already posted that day or later, so of two sweeps at once only one posts."""
    written = await conn.execute(
        "INSERT INTO round_chart_posts (round_id, posted_on, posted_at) VALUES (?, ?, ?) "
        "ON CONFLICT (round_id) DO UPDATE SET "
        "posted_on = excluded.posted_on, posted_at = excluded.posted_at "
        "WHERE round_chart_posts.posted_on < excluded.posted_on",
        (round_id, day.isoformat(), to_db_time(at)),
    )
    return written.rowcount == 1


async def files_to_send(conn: Connection) -> set[str]:
    """The files attached to the outbox's messages not sent yet (their paths as queued)."""
    rows = await conn.fetch_all(
        "SELECT DISTINCT json_extract(payload, '$.attachment') AS file FROM outbox "
        "WHERE status = 'pending' AND json_extract(payload, '$.attachment') IS NOT NULL"
    )
    return {str(row["file"]) for row in rows}
