"""The checks of `belanja-bareng doctor` on this server: the database (file, schema) and the
disk space. See `bot.cli.doctor`."""

from __future__ import annotations

import errno
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from bot.cli.errors import DatabaseFolderUnusable, DatabaseMissing
from bot.cli.findings import Finding, failed, fault, ok, warning
from bot.cli.startup import (
    check_database_writable,
)
from storage.database import (
    Database,
    DatabaseReadOnly,
    DatabaseUnusable,
    connect,
    unusable,
)
from storage.migrator import DatabaseSchemaNewer, latest_version, schema_version

MB = 1024 * 1024
DISK_FAILS_BELOW = 100 * MB
DISK_WARNS_BELOW = 1024 * MB


class FreeSpace(Protocol):
    @property
    def free(self) -> int: ...


DiskUsage = Callable[[Path], FreeSpace]


# -- the database, the disk -----------------------------------------------------------------


async def database_checks(path: Path) -> list[Finding]:
    try:
        check_database_file(path)
        version = await read_schema_version(path)
    except (DatabaseMissing, DatabaseFolderUnusable, DatabaseUnusable) as error:
        return [fault("database", error)]
    latest = latest_version()
    found = [ok("database", "database_ok", path=str(path))]
    if version > latest:
        newer = DatabaseSchemaNewer(path=str(path), found=version, supported=latest)
        return [*found, fault("schema", newer)]
    if version < latest:
        return [*found, warning("schema", "schema_pending", found=version, latest=latest)]
    return [*found, ok("schema", "schema_ok", version=version)]


def check_database_file(path: Path) -> None:
    """Refuse a database file that is missing, or that this user may not write (the file
    or its folder, where SQLite writes its -wal and -shm files). A missing file whose folder
    `init` could not make either is refused as `init` and `run` would refuse it, not with
    the advice to run `init`."""
    if not path.exists():
        _check_folder_can_be_made(path.absolute().parent)
        raise DatabaseMissing(path=str(path))
    check_database_writable(path)
    folder = path.absolute().parent
    if not os.access(folder, os.W_OK):
        raise DatabaseReadOnly(path=str(path), folder=str(folder))


def _check_folder_can_be_made(folder: Path) -> None:
    """DatabaseFolderUnusable when `folder` is not a folder this user can use or make: a
    file in its place (or in a parent's), or a nearest existing folder it may not write."""
    existing = folder
    while not existing.exists():
        existing = existing.parent
    if not existing.is_dir():
        detail = os.strerror(errno.ENOTDIR)
    elif not os.access(existing, os.W_OK | os.X_OK):
        detail = os.strerror(errno.EACCES)
    else:
        return
    raise DatabaseFolderUnusable(folder=str(folder), detail=detail)


async def read_schema_version(path: Path) -> int:
    """The schema version of the existing file `path`, read without migrating it
    (`Database.open` would): a connection with the bot's pragmas, and one read."""
    try:
        db = Database(path, await connect(path))
        try:
            return await schema_version(db)
        finally:
            await db.close()
    except sqlite3.Error as error:
        told = unusable(path, error)
        if told is None:
            raise
        raise told from error


def disk_check(database: Path, disk_usage: DiskUsage) -> Finding:
    folder = database.absolute().parent
    while not folder.exists() and folder != folder.parent:  # no database yet: where it goes
        folder = folder.parent
    free = disk_usage(folder).free
    params: dict[str, object] = {"free_mb": free // MB, "folder": str(folder)}
    if free < DISK_FAILS_BELOW:
        return failed("disk", "disk_low", **params)
    if free < DISK_WARNS_BELOW:
        return warning("disk", "disk_low", **params)
    return ok("disk", "disk_ok", **params)
