"""When each coop was last nudged in a round (`/ingatkan`, table `coop_nudges`, migration 0017).

Every nudge is a row (who nudged which coop, when): `last_nudged` answers the once-an-hour
rule of `usecases.nudges`, and the rows stay as the audit of who nudged whom.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from storage.database import Connection
from storage.encoding import from_db_time, to_db_time


async def last_nudged(conn: Connection, round_id: int) -> dict[str, datetime]:
    """Per coop code, when it was last nudged in the round (coops never nudged are absent)."""
    rows = await conn.fetch_all(
        "SELECT coop_code, MAX(nudged_at) AS at FROM coop_nudges WHERE round_id = ? "
        "GROUP BY coop_code",
        (round_id,),
    )
    return {row["coop_code"]: from_db_time(row["at"]) for row in rows}


async def record_nudges(
    conn: Connection, round_id: int, coop_codes: Iterable[str], at: datetime, by: str
) -> int:
    """One row per coop nudged now by `by`; how many were written."""
    written = await conn.execute_many(
        "INSERT INTO coop_nudges (round_id, coop_code, nudged_at, nudged_by) VALUES (?, ?, ?, ?)",
        [(round_id, code, to_db_time(at), by) for code in coop_codes],
    )
    return written.rowcount
