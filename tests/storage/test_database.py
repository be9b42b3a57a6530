"""The shared connection: pragmas, transactions that commit or roll back, and locking."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from storage.database import BUSY_TIMEOUT_MS, PAGE_CACHE_KIB, Database, open_database
from storage.round_rows import EXPORT_CACHE_KIB, small_page_cache


async def _scalar(db: Database, sql: str) -> object:
    async with db.read() as conn:
        rows = list(await conn.fetch_all(sql))
    return rows[0][0]


async def test_the_database_uses_wal_foreign_keys_and_a_busy_timeout(db: Database) -> None:
    assert await _scalar(db, "PRAGMA journal_mode") == "wal"
    assert await _scalar(db, "PRAGMA foreign_keys") == 1
    assert await _scalar(db, "PRAGMA busy_timeout") == BUSY_TIMEOUT_MS


async def test_a_transaction_that_raises_leaves_nothing_behind(db: Database) -> None:
    with pytest.raises(RuntimeError, match="boom"):
        async with db.transaction() as conn:
            await conn.execute("INSERT INTO coops (code, name) VALUES ('KOP01', 'Satu')")
            raise RuntimeError("boom")

    assert await _scalar(db, "SELECT COUNT(*) FROM coops") == 0


async def test_a_finished_transaction_is_visible_to_another_process(tmp_path: Path) -> None:
    async with (
        open_database(tmp_path / "shared.db") as bot,
        open_database(tmp_path / "shared.db") as cli,
    ):
        async with cli.transaction() as conn:
            await conn.execute("INSERT INTO coops (code, name) VALUES ('KOP01', 'Satu')")

        assert await _scalar(bot, "SELECT name FROM coops") == "Satu"


async def test_a_reader_never_sees_another_tasks_unfinished_transaction(db: Database) -> None:
    inside = asyncio.Event()
    release = asyncio.Event()

    async def writer() -> None:
        async with db.transaction() as conn:
            await conn.execute("INSERT INTO coops (code, name) VALUES ('KOP01', 'Satu')")
            inside.set()
            await release.wait()
            raise RuntimeError("changed my mind")

    reading = asyncio.Event()

    async def count_coops() -> object:
        reading.set()
        return await _scalar(db, "SELECT COUNT(*) FROM coops")

    task = asyncio.create_task(writer())
    await inside.wait()
    reader = asyncio.create_task(count_coops())
    await reading.wait()
    release.set()
    with pytest.raises(RuntimeError):
        await task

    assert await reader == 0


async def test_nesting_a_transaction_in_the_same_task_fails_loudly_instead_of_hanging(
    db: Database,
) -> None:
    async with db.transaction():
        with pytest.raises(RuntimeError, match="nested"):
            async with db.read():
                pass


async def test_opening_twice_keeps_one_schema_version_per_migration(tmp_path: Path) -> None:
    async with open_database(tmp_path / "b.db"):
        pass
    async with open_database(tmp_path / "b.db") as again:
        count = await _scalar(again, "SELECT COUNT(*) FROM schema_version")
        distinct = await _scalar(again, "SELECT COUNT(DISTINCT version) FROM schema_version")

    assert count == distinct


async def test_the_running_bot_opens_its_database_with_a_smaller_page_cache(
    tmp_path: Path,
) -> None:
    async with open_database(tmp_path / "bot.db", page_cache_kib=16384) as bot:
        assert await _scalar(bot, "PRAGMA cache_size") == -16384
        async with small_page_cache(bot):  # an export of a round, then back to its own size
            assert await _scalar(bot, "PRAGMA cache_size") == -EXPORT_CACHE_KIB
        assert await _scalar(bot, "PRAGMA cache_size") == -16384

    async with open_database(tmp_path / "bot.db") as cli:
        assert await _scalar(cli, "PRAGMA cache_size") == -PAGE_CACHE_KIB
