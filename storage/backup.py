"""A consistent copy of the live database through SQLite's online backup API."""

from __future__ import annotations

import sqlite3
from functools import partial
from pathlib import Path

from storage.database import Connection


async def backup(conn: Connection, dest_path: str | Path) -> Path:
    """Copy the database to `dest_path` (replaced if it exists) while the bot keeps running."""
    dest = Path(dest_path)
    dest.parent.mkdir(parents=True, exist_ok=True)
    async with conn.snapshot() as snap:
        await snap.in_one_trip(partial(_copy_to, dest))
    return dest


def _copy_to(dest: Path, source: sqlite3.Connection) -> None:
    target = sqlite3.connect(dest)
    try:
        source.backup(target)
    finally:
        target.close()
