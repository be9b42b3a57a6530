"""Rounds are read on every update and change rarely: `Round` values remembered per database.

Every change of a round goes through `round_rows.save_round`, which raises `rounds.version`,
and a round's item snapshot is only written when the round is created or in the same
transaction as such a change. So a round's (id, version) names exactly one `Round` value:
a reader reads the version (one cheap statement, often together with what else it needs)
and takes the remembered value when the version matches. A change made by another process
shows up as a new version. Only committed state is remembered: `load_remembered` must run
before its transaction writes to the round.
"""

from __future__ import annotations

from purchasing.model import Round
from storage.database import Connection
from storage.round_rows import load_round


def remembered(conn: Connection, round_id: int, version: int) -> Round | None:
    """The round as read at `version`, if this database has read it at that version."""
    seen = conn.rounds_seen.get(round_id)
    return seen[1] if seen is not None and seen[0] == version else None


async def load_remembered(
    conn: Connection, round_id: int, version: int | None = None
) -> Round | None:
    """The round in `conn`'s snapshot (a transaction or a read), remembered for later.

    `version` is the version this snapshot already read, if any; None when there is no
    such round.
    """
    if version is None:
        rows = list(await conn.fetch_all("SELECT version FROM rounds WHERE id = ?", (round_id,)))
        if not rows:
            return None
        version = int(rows[0]["version"])
    found = remembered(conn, round_id, version)
    if found is None:
        found = await load_round(conn, round_id)
        if found is not None:
            conn.rounds_seen[round_id] = (version, found)
    return found
