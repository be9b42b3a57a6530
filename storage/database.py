"""The one SQLite connection of a process, and how tasks share it.

A `Database` wraps ONE aiosqlite connection (autocommit mode: we issue BEGIN ourselves).
Tasks of the same process share it, so every use of the connection is serialised by an
`asyncio.Lock`:

- `async with db.transaction() as conn:` takes the lock and runs `BEGIN IMMEDIATE`; it
  commits when the block ends and rolls back when it raises. Taking the write lock up
  front means a read-then-write inside the block can never lose an update.
- `async with db.read() as conn:` takes the same lock and runs a deferred `BEGIN`, so
  several SELECTs see one consistent snapshot and never see another task's unfinished
  transaction on this shared connection. In WAL mode it does not block other processes.
- `await db.fetch_all(sql, params)` and `await db.execute_one(sql, params)` run ONE
  statement under the same lock, without BEGIN: a single statement is already atomic and
  reads one consistent snapshot, and skipping BEGIN and ROLLBACK saves two of the three
  trips to aiosqlite's thread. Each trip costs a wake-up of that thread and of the event
  loop, which under load is far more than the query itself, so hot paths use these.
- `await db.in_one_trip(work)` runs a plain function `work(sqlite3.Connection)` inside
  `BEGIN IMMEDIATE` … `COMMIT` (ROLLBACK if it raises) in ONE trip to that thread, for a
  read-check-write use case that runs on every update (`storage.commitments.set_commitment`).
  `work` runs on aiosqlite's thread: it may only use the connection it is given and values
  it was passed, and must not await or touch the event loop.

Another process (the running bot and a CLI command) may open the same file: WAL lets
readers proceed, and `BEGIN IMMEDIATE` plus the busy timeout queues writers.

Neither block may be nested inside another on the same `Database` in the same task
(that would wait for itself): such a call raises `RuntimeError` instead of hanging.
Functions that need to compose take the `conn` they are given instead.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from contextlib import asynccontextmanager
from functools import partial
from pathlib import Path
from typing import TypeVar, cast

import aiosqlite

from purchasing.model import Round
from storage.migrator import apply_migrations

BUSY_TIMEOUT_MS = 5000
WAL_ATTEMPTS = 50
WAL_RETRY_SECONDS = 0.1

Parameters = Sequence[object] | Mapping[str, object]
# The connection a `transaction()` block or a storage hook hands out; callers outside
# storage/ name its type by this alias and pass it back to storage functions.
Connection = aiosqlite.Connection
T = TypeVar("T")


class Database:
    def __init__(self, path: Path, conn: aiosqlite.Connection) -> None:
        self.path = path
        self._conn = conn
        self._lock = asyncio.Lock()
        self._owner: asyncio.Task[object] | None = None
        # Rounds by id, with the `rounds.version` they were read at (see storage.round_cache).
        self.rounds_seen: dict[int, tuple[int, Round]] = {}

    @classmethod
    async def open(cls, path: str | Path, *, migrate_to: int | None = None) -> Database:
        """Connect, set the pragmas and bring the schema up to date (or to `migrate_to`)."""
        conn = await connect(path)
        try:
            await apply_migrations(conn, up_to=migrate_to)
        except BaseException:
            await conn.close()
            raise
        return cls(Path(path), conn)

    async def close(self) -> None:
        async with self._lock:
            await self._conn.close()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        async with self._hold():
            await self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                await self._conn.rollback()
                raise
            try:
                await self._conn.commit()
            except BaseException:
                await self._conn.rollback()
                raise

    @asynccontextmanager
    async def read(self) -> AsyncIterator[aiosqlite.Connection]:
        async with self._hold():
            await self._conn.execute("BEGIN")
            try:
                yield self._conn
            finally:
                await self._conn.rollback()

    async def fetch_all(self, sql: str, params: Parameters = ()) -> list[sqlite3.Row]:
        """The rows of ONE statement (a consistent snapshot by itself)."""
        async with self._hold():
            return list(await self._conn.execute_fetchall(sql, params))

    async def execute_one(self, sql: str, params: Parameters = ()) -> int:
        """Run ONE writing statement as its own transaction; how many rows it changed."""
        async with self._hold():
            cursor = await self._conn.execute(sql, params)
            return cursor.rowcount

    async def in_one_trip(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """`work(conn)` as ONE `BEGIN IMMEDIATE` transaction, in one trip to the thread."""
        async with self._hold():
            # aiosqlite has no public "run this function on your thread"; `_execute` is what
            # all its own methods use (the same in every version our pin allows).
            run = cast(Callable[..., Awaitable[T]], self._conn._execute)
            return await run(partial(_immediate, work, self._conn._conn))

    @asynccontextmanager
    async def _hold(self) -> AsyncIterator[None]:
        task = asyncio.current_task()
        if task is not None and task is self._owner:
            raise RuntimeError("nested use of the database in one task: pass the conn instead")
        async with self._lock:
            self._owner = task
            try:
                yield
            finally:
                self._owner = None


def _immediate(work: Callable[[sqlite3.Connection], T], conn: sqlite3.Connection) -> T:
    """On aiosqlite's thread: `work` in a write transaction, committed unless it raised."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        result = work(conn)
        conn.commit()
    except BaseException:
        conn.rollback()
        raise
    return result


async def _use_wal(conn: aiosqlite.Connection) -> None:
    """Switch the file to WAL. Two processes opening a new file at the same moment can make
    SQLite refuse the switch at once ("database is locked") instead of waiting, so retry."""
    for attempt in range(WAL_ATTEMPTS):
        try:
            await conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or attempt == WAL_ATTEMPTS - 1:
                raise
            await asyncio.sleep(WAL_RETRY_SECONDS)


async def connect(path: str | Path) -> aiosqlite.Connection:
    """A raw connection with our pragmas; `Database.open` is what the application uses."""
    conn = await aiosqlite.connect(path, isolation_level=None)
    try:
        conn.row_factory = sqlite3.Row
        await conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        await _use_wal(conn)
        await conn.execute("PRAGMA foreign_keys = ON")
        await conn.execute("PRAGMA synchronous = NORMAL")
        # 64 MB of page cache (the default is 2 MB): closing a round of 10,000 coops writes
        # to every commitment row, and a small cache makes that grow faster than linearly.
        await conn.execute("PRAGMA cache_size = -65536")
    except BaseException:
        await conn.close()
        raise
    return conn


@asynccontextmanager
async def open_database(
    path: str | Path, *, migrate_to: int | None = None
) -> AsyncIterator[Database]:
    db = await Database.open(path, migrate_to=migrate_to)
    try:
        yield db
    finally:
        await db.close()
