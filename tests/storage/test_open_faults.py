"""A file that cannot serve as the database is refused when it is opened, with an error that
names the file (and the template that says what to fix), and a failed open leaves nothing
running behind it: no aiosqlite worker thread that outlives the event loop."""

from __future__ import annotations

import sqlite3
import threading
from contextlib import closing
from pathlib import Path

import pytest

from storage.database import DatabaseCannotOpen, DatabaseNotSqlite, open_database
from storage.migrator import DatabaseSchemaNewer, latest_version


async def test_a_file_that_is_not_sqlite_is_refused_and_left_as_it_was(tmp_path: Path) -> None:
    path = tmp_path / "belanja.db"
    path.write_text("kode;nama\nDT;Kopontren Daarut Tauhid\n" * 50, encoding="utf-8")
    before = path.read_bytes()

    with pytest.raises(DatabaseNotSqlite) as refused:
        async with open_database(path):
            pass

    assert refused.value.params == {"path": str(path)}
    assert path.read_bytes() == before


async def test_a_database_written_by_a_newer_version_is_refused_and_not_migrated(
    tmp_path: Path,
) -> None:
    path = tmp_path / "belanja.db"
    newer = latest_version() + 1
    async with open_database(path) as db:
        await db.execute(
            "INSERT INTO schema_version (version, name, applied_at) VALUES (?, 'future', '')",
            (newer,),
        )

    with pytest.raises(DatabaseSchemaNewer) as refused:
        async with open_database(path):
            pass

    assert refused.value.params == {
        "path": str(path),
        "found": newer,
        "supported": latest_version(),
    }
    with closing(sqlite3.connect(path)) as conn:
        assert conn.execute("SELECT MAX(version) FROM schema_version").fetchone() == (newer,)


async def test_a_database_that_cannot_be_created_leaves_no_worker_thread_running(
    tmp_path: Path,
) -> None:
    (tmp_path / "data").write_text("", encoding="utf-8")  # a file where a folder should be
    path = tmp_path / "data" / "belanja.db"
    before = set(threading.enumerate())

    with pytest.raises(DatabaseCannotOpen) as refused:
        async with open_database(path):
            pass

    assert refused.value.params == {"path": str(path), "folder": str(tmp_path / "data")}
    left = [
        thread.name
        for thread in threading.enumerate()
        if thread not in before and not thread.name.startswith("asyncio_")  # the loop's pool
    ]
    assert left == []
