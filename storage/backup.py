"""A consistent copy of the live database through SQLite's online backup API."""

from __future__ import annotations

from pathlib import Path

import aiosqlite

from storage.database import Database


async def backup(db: Database, dest_path: str | Path) -> Path:
    """Copy the database to `dest_path` (replaced if it exists) while the bot keeps running."""
    dest = Path(dest_path)
    dest.parent.mkdir(parents=True, exist_ok=True)
    async with aiosqlite.connect(dest) as target, db.read() as conn:
        await conn.backup(target)
    return dest
