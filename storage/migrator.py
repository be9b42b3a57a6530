"""Forward-only schema migrations, applied when a database is opened.

Migrations are the files `storage/migrations/NNNN_name.sql`, applied in number order.
Each applied one is recorded in `schema_version`. All pending migrations run in one
`BEGIN IMMEDIATE` transaction, so a failure leaves the schema as it was and two processes
opening the same file at once cannot both apply the same migration. Never edit a
migration that has been released: add the next number instead.

A file whose schema is newer than the newest migration here was written by a newer release;
this one refuses it (`DatabaseSchemaNewer`) instead of running on tables it does not know.

Before migrating a file that holds data (schema version 1 or more), the bot keeps a copy
of it as it was, `<name>.sebelum-migrasi-v<NNNN>.sqlite3` beside it (`keep_copy`): an
upgrade that goes wrong can be undone by restoring that copy (docs/deploy.md).
"""

from __future__ import annotations

import logging
import re
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING

from storage.errors import StorageError

if TYPE_CHECKING:
    from storage.database import Connection, Database

log = logging.getLogger(__name__)
_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")

_BOOTSTRAP = """
CREATE TABLE IF NOT EXISTS schema_version (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    applied_at TEXT NOT NULL
)
"""


class DatabaseSchemaNewer(StorageError):
    """Params: path (str), found (int, the file's schema version), supported (int, ours)."""

    key = "database_schema_newer"


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    sql: str


def available_migrations() -> tuple[Migration, ...]:
    folder = files("storage").joinpath("migrations")
    found: list[Migration] = []
    for entry in folder.iterdir():
        match = _NAME.match(entry.name)
        if match:
            found.append(Migration(int(match[1]), match[2], entry.read_text(encoding="utf-8")))
    found.sort(key=lambda migration: migration.version)
    versions = [migration.version for migration in found]
    if versions != list(range(1, len(found) + 1)):
        raise RuntimeError(f"migrations must be numbered 1..n without gaps, found {versions}")
    return tuple(found)


def latest_version() -> int:
    return len(available_migrations())


async def schema_version(conn: Connection) -> int:
    exists = await conn.fetch_all(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'"
    )
    if not exists:
        return 0
    rows = await conn.fetch_all("SELECT MAX(version) FROM schema_version")
    return int(rows[0][0] or 0)


async def keep_copy(db: Database) -> Path | None:
    """A consistent copy of a file with data about to be migrated, beside it; None when
    there is nothing to migrate, or nothing in it yet."""
    current = await schema_version(db)
    if current == 0 or current >= latest_version():
        return None
    dest = db.path.with_name(f"{db.path.stem}.sebelum-migrasi-v{current:04d}.sqlite3")
    if not dest.exists():
        from storage.backup import backup  # storage.backup needs storage.database, which needs us

        await backup(db, dest)
        log.info("kept a copy of the database before migrating it: %s", dest)
    return dest


async def apply_migrations(db: Database, *, up_to: int | None = None) -> int:
    """Apply every migration above the current version (up to `up_to`); return the version.
    A file at a version above every migration here raises `DatabaseSchemaNewer`."""
    async with db.transaction() as tx:
        await tx.execute(_BOOTSTRAP)
        current = await schema_version(tx)
        migrations = available_migrations()
        if current > len(migrations):
            raise DatabaseSchemaNewer(path=str(db.path), found=current, supported=len(migrations))
        for migration in migrations:
            if migration.version <= current or (up_to is not None and migration.version > up_to):
                continue
            for statement in split_statements(migration.sql):
                await tx.execute(statement)
            await tx.execute(
                "INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)",
                (migration.version, migration.name, datetime.now(UTC).isoformat()),
            )
            current = migration.version
    return current


def split_statements(script: str) -> list[str]:
    """Split a script into complete statements (executescript would COMMIT our transaction)."""
    statements: list[str] = []
    buffer = ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            statement = buffer.strip()
            if _has_code(statement):
                statements.append(statement)
            buffer = ""
    if _has_code(buffer):
        raise ValueError(f"incomplete SQL statement at end of migration: {buffer.strip()!r}")
    return statements


def _has_code(text: str) -> bool:
    return any(line.strip() and not line.strip().startswith("--") for line in text.splitlines())
