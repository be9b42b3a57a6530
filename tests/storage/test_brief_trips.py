"""Brief trips: the statements every update makes run on the event loop's own thread, and go
to SQLite's thread when another process holds the lock, so the loop never waits for it."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest

from storage import database
from storage.database import BUSY_TIMEOUT_MS, WAL_AUTOCHECKPOINT_PAGES, Database, open_database

_ADD_COOP = "INSERT INTO coops (code, name) VALUES (?, ?)"


class CoopAdder:
    """A trip's work that adds one coop and notes the thread of each attempt."""

    def __init__(self, code: str) -> None:
        self.code = code
        self.threads: list[int] = []

    def __call__(self, conn: sqlite3.Connection) -> str:
        self.threads.append(threading.get_ident())
        conn.execute(_ADD_COOP, (self.code, f"Koperasi {self.code}"))
        return self.code

    def ending(self, conn: sqlite3.Connection) -> tuple[str, bool]:
        return self(conn), True


async def _coops(db: Database) -> list[str]:
    return [row["code"] for row in await db.fetch_all("SELECT code FROM coops ORDER BY code")]


@asynccontextmanager
async def another_process_writing(path: Path) -> AsyncIterator[None]:
    """A CLI command (its own connection to the file) in the middle of a write transaction."""
    async with open_database(path) as cli, cli.transaction() as tx:
        await tx.execute(_ADD_COOP, ("CLI01", "Koperasi dari CLI"))
        yield


async def test_an_updates_trip_stays_on_the_event_loops_thread(db: Database) -> None:
    brief, plain = CoopAdder("KOP01"), CoopAdder("KOP02")

    await db.in_one_trip(brief, brief=True)
    await db.in_one_trip(plain)

    assert brief.threads == [threading.get_ident()]
    assert plain.threads != [threading.get_ident()]
    assert await _coops(db) == ["KOP01", "KOP02"]
    assert (await db.fetch_all("PRAGMA busy_timeout"))[0][0] == BUSY_TIMEOUT_MS


async def test_a_brief_trip_that_fails_leaves_nothing_and_the_busy_timeout_as_it_was(
    db: Database,
) -> None:
    await db.in_one_trip(CoopAdder("KOP01"), brief=True)

    with pytest.raises(sqlite3.IntegrityError):
        await db.in_one_trip(CoopAdder("KOP01"), brief=True)

    assert await _coops(db) == ["KOP01"]
    assert (await db.fetch_all("PRAGMA busy_timeout"))[0][0] == BUSY_TIMEOUT_MS
    assert (await db.fetch_all("PRAGMA wal_autocheckpoint"))[0][0] == WAL_AUTOCHECKPOINT_PAGES


async def test_while_the_cli_writes_an_update_waits_on_sqlites_thread_and_the_loop_goes_on(
    db: Database,
) -> None:
    adder = CoopAdder("KOP01")
    loop = asyncio.get_running_loop()
    async with another_process_writing(db.path):
        started = loop.time()
        order = asyncio.create_task(db.in_one_trip(adder, brief=True))
        for _ in range(5):
            await asyncio.sleep(0)
        held = loop.time() - started
        assert not order.done()
        # Had the trip waited for the lock on the loop, the loop would have stood still for
        # the whole busy timeout (and the trip failed there before going to the thread).
        assert held < BUSY_TIMEOUT_MS / 1000 / 2
        assert adder.threads == []  # refused at BEGIN on the loop, waiting on the thread

    assert await order == "KOP01"
    assert len(adder.threads) == 1 and adder.threads[0] != threading.get_ident()
    assert await _coops(db) == ["CLI01", "KOP01"]


async def test_while_the_cli_writes_a_chats_order_is_made_once_after_it(db: Database) -> None:
    adder = CoopAdder("KOP01")

    async def order() -> str:
        async with db.transaction() as tx:
            return await tx.in_one_trip_ending(adder.ending, brief=True)

    loop = asyncio.get_running_loop()
    async with another_process_writing(db.path):
        started = loop.time()
        task = asyncio.create_task(order())
        for _ in range(5):
            await asyncio.sleep(0)
        assert loop.time() - started < BUSY_TIMEOUT_MS / 1000 / 2  # the loop was not held
        assert not task.done()

    assert await task == "KOP01"
    assert len(adder.threads) == 1 and adder.threads[0] != threading.get_ident()
    assert await _coops(db) == ["CLI01", "KOP01"]


async def test_a_brief_read_does_not_wait_for_a_writer(db: Database) -> None:
    await db.in_one_trip(CoopAdder("KOP01"), brief=True)

    async with another_process_writing(db.path):
        rows = await db.fetch_all("SELECT code FROM coops", brief=True)

    assert [row["code"] for row in rows] == ["KOP01"]  # WAL: the committed state, at once


async def test_a_call_cancelled_while_it_waits_on_sqlites_thread_keeps_others_off_the_connection(
    db: Database,
) -> None:
    adder = CoopAdder("KOP01")
    loop = asyncio.get_running_loop()
    async with another_process_writing(db.path):
        given_up = asyncio.create_task(db.in_one_trip(adder, brief=True))
        for _ in range(3):
            await asyncio.sleep(0)  # refused on the loop, now waiting on SQLite's thread
        given_up.cancel()
        started = loop.time()
        reader = asyncio.create_task(db.fetch_all("SELECT code FROM coops", brief=True))
        for _ in range(5):
            await asyncio.sleep(0)
        # The reader waits for the cancelled call's work to end instead of running beside
        # it on the same connection (where it would hold the loop for the busy timeout).
        assert loop.time() - started < BUSY_TIMEOUT_MS / 1000 / 2
        assert not reader.done()

    with pytest.raises(asyncio.CancelledError):
        await given_up
    # aiosqlite's thread did the work the caller gave up on, and only then did the reader go.
    assert [row["code"] for row in await reader] == ["CLI01", "KOP01"]
    assert len(adder.threads) == 1


class Checkpoints:
    """Each checkpoint of the WAL the connection runs, with the thread it ran on."""

    def __init__(self, db: Database) -> None:
        self.threads: list[int] = []
        self.ran = asyncio.Event()
        self._loop = asyncio.get_running_loop()
        db._conn._conn.set_trace_callback(self._traced)

    def _traced(self, statement: str) -> None:
        if statement.startswith("PRAGMA wal_checkpoint"):
            self.threads.append(threading.get_ident())
            self._loop.call_soon_threadsafe(self.ran.set)


async def test_a_stream_of_brief_commits_checkpoints_the_wal_on_sqlites_thread(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(database, "BRIEF_COMMITS_PER_CHECKPOINT", 3)
    checkpoints = Checkpoints(db)

    for code in ("KOP01", "KOP02"):
        await db.in_one_trip(CoopAdder(code), brief=True)
    for _ in range(5):
        await db.fetch_all("SELECT code FROM coops", brief=True)  # reads commit nothing
    assert checkpoints.threads == []
    await db.in_one_trip(CoopAdder("KOP03"), brief=True)
    await asyncio.wait_for(checkpoints.ran.wait(), 5)

    assert len(checkpoints.threads) == 1 and checkpoints.threads[0] != threading.get_ident()
    assert await _coops(db) == ["KOP01", "KOP02", "KOP03"]


async def test_closing_with_a_checkpoint_still_to_run_closes_cleanly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(database, "BRIEF_COMMITS_PER_CHECKPOINT", 1)
    async with open_database(tmp_path / "belanja.db") as db:
        await db.in_one_trip(CoopAdder("KOP01"), brief=True)  # a checkpoint is queued

    async with open_database(tmp_path / "belanja.db") as again:
        assert await _coops(again) == ["KOP01"]
