"""The one SQLite connection of a process, how tasks share it, and the one way storage
functions take it.

A `Database` wraps ONE aiosqlite connection (autocommit mode: we issue BEGIN ourselves).
Tasks of the same process share it, so every use of the connection is serialised by an
`asyncio.Lock`.

Every storage function takes a `Connection` as its first argument: either the `Database`
itself, where each statement is its own transaction (a single statement is atomic and reads
one consistent snapshot), or the `Transaction` a use case holds, where every statement is part
of that transaction. Both answer the same four calls:

- `await conn.fetch_all(sql, params)`: the rows of ONE statement;
- `await conn.execute(sql, params)` and `await conn.execute_many(sql, rows)`: a write, and
  how many rows it changed (`Written`);
- `await conn.in_one_trip(work)`: a plain function `work(sqlite3.Connection)` run on SQLite's
  thread in ONE trip, for a read-check-write that runs on every update
  (`storage.delivery.updates.take_update`). `work` may only use the connection it is given
  and values it was passed, and must not await or touch the event loop;
- `brief=True` (on `fetch_all`, `in_one_trip`, `in_one_trip_ending`): the trip runs on the
  event loop's own thread instead (see "Brief trips" below);
- `async with conn.snapshot() as snap:` several reads that must agree (on a Database a
  deferred `BEGIN` … `ROLLBACK`; inside a transaction, the transaction itself), and
  `async with conn.write() as tx:` several writes that must happen together (on a Database a
  `BEGIN IMMEDIATE` … `COMMIT`; inside a write transaction, that transaction).

Use cases open their transaction with `async with db.transaction() as tx:` (`BEGIN IMMEDIATE`:
taking the write lock up front means a read-then-write inside the block can never lose an
update; committed when the block ends, rolled back when it raises) and read consistent
snapshots with `async with db.read() as snap:`. Each trip to aiosqlite's thread costs a
wake-up of that thread and of the event loop, which under load is far more than the query
itself, so a transaction's `BEGIN` travels with its first statement.

Brief trips: the few statements every update makes (its exactly-once record and who sent
it, the open round, an order: indexed reads of a few rows, and their writes) cost ~0.05 ms in
SQLite, while handing them to aiosqlite's thread and back costs ~0.25 ms of the CPU under
load (waking the thread, handing over the interpreter lock, waking the loop).
Such a trip, marked `brief=True`, runs on the event loop's thread with SQLite told not to wait
for a lock and not to checkpoint the WAL when it commits (aiosqlite's thread does, after
`BRIEF_COMMITS_PER_CHECKPOINT` of them, or at its own next commit). If another process holds
the lock (a CLI command, the close child), a trip that is a transaction of its own, or that
begins its transaction, is rolled back and goes to aiosqlite's thread, where it waits like
every other statement: the loop is never held up waiting for a lock. Never mark a scan, a
sum over a round's rows or anything else whose size grows with the round (an order's trip
reads each product's total from `units_ordered`, one key each, and leaves a share over a
supply cap among many coops to the thread): the loop serves every chat meanwhile.

Another process (the running bot and a CLI command) may open the same file: WAL lets
readers proceed, and `BEGIN IMMEDIATE` plus the busy timeout queues writers.

Neither block may be nested inside another on the same `Database` in the same task
(that would wait for itself): such a call raises `RuntimeError` instead of hanging.
Functions that compose pass on the `Transaction` they are given instead.

A file that cannot serve as the database is refused by `Database.open` with a typed error
that names it: `DatabaseNotSqlite`, `DatabaseReadOnly` (the file or its folder: SQLite
writes its -wal and -shm files beside it), `DatabaseCannotOpen` (a missing or locked-away
folder), and from the migrator `DatabaseSchemaNewer`. The file is opened with `sqlite3` on
a worker thread before aiosqlite gets it, so an open that fails never starts aiosqlite's
thread, which would otherwise outlive the event loop and print a traceback of its own.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Mapping, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TypeVar, cast

import aiosqlite

from purchasing.model import Round
from storage.errors import StorageError
from storage.migrator import apply_migrations, keep_copy

AIOSQLITE_CHUNK_SIZE = 64  # aiosqlite.connect's default
BUSY_TIMEOUT_MS = 5000
WAL_AUTOCHECKPOINT_PAGES = 1000  # SQLite's default: a commit past it checkpoints the WAL
# Brief trips never checkpoint; after this many of them committed, aiosqlite's thread does
# (an order writes about 36 kB of WAL: about SQLite's own 1,000 pages).
BRIEF_COMMITS_PER_CHECKPOINT = 100
PAGE_CACHE_KIB = 65536  # a connection's page cache unless opened with another size: 64 MB
WAL_ATTEMPTS = 50
WAL_RETRY_SECONDS = 0.1

log = logging.getLogger(__name__)
Parameters = Sequence[object] | Mapping[str, object]
Row = sqlite3.Row
T = TypeVar("T")
Work = Callable[[sqlite3.Connection], T]


class DatabaseUnusable(StorageError):
    """The base of the faults of the database file below (never raised itself); `path` is
    as configured, `folder` absolute."""

    key = "database_cannot_open"


class DatabaseNotSqlite(DatabaseUnusable):
    """Not a SQLite file (or a damaged one). Params: path."""

    key = "database_not_sqlite"


class DatabaseReadOnly(DatabaseUnusable):
    """The file or its folder cannot be written. Params: path, folder (str, absolute)."""

    key = "database_read_only"


class DatabaseCannotOpen(DatabaseUnusable):
    """The file can be neither opened nor created. Params: path, folder."""

    key = "database_cannot_open"


@dataclass(frozen=True, slots=True)
class Written:
    """What a writing statement did: rows changed, and the id of a row it inserted."""

    rowcount: int
    lastrowid: int | None = None


class Database:
    def __init__(
        self, path: Path, conn: aiosqlite.Connection, page_cache_kib: int = PAGE_CACHE_KIB
    ) -> None:
        self.path = path
        self.page_cache_kib = page_cache_kib  # SQLite's page cache of this connection
        self._conn = conn
        self._lock = asyncio.Lock()
        self._owner: asyncio.Task[object] | None = None
        # Rounds by id, with the `rounds.version` they were read at (see storage.round_cache).
        self.rounds_seen: dict[int, tuple[int, Round]] = {}
        self._brief_commits = 0  # since the last checkpoint
        self._checkpointing: asyncio.Task[None] | None = None
        self._closing = False

    @classmethod
    async def open(
        cls,
        path: str | Path,
        *,
        migrate_to: int | None = None,
        page_cache_kib: int = PAGE_CACHE_KIB,
    ) -> Database:
        """Connect, set the pragmas and bring the schema up to date (or to `migrate_to`)."""
        try:
            db = cls(Path(path), await connect(path, page_cache_kib), page_cache_kib)
            try:
                if migrate_to is None:
                    await keep_copy(db)
                await apply_migrations(db, up_to=migrate_to)
            except BaseException:
                await db.close()
                raise
        except sqlite3.Error as error:
            explained = unusable(Path(path), error)
            if explained is None:
                raise
            raise explained from error
        return db

    async def close(self) -> None:
        self._closing = True  # no checkpoint is queued from here on
        if self._checkpointing is not None:
            self._checkpointing.cancel()
            await asyncio.wait([self._checkpointing])
        async with self._lock:
            await self._conn.close()

    @property
    def database(self) -> Database:
        return self

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Transaction]:
        """A write transaction (`BEGIN IMMEDIATE`), committed unless the block raises."""
        async with self._hold():
            tx = Transaction(self, "BEGIN IMMEDIATE")
            try:
                yield tx
            except BaseException:
                await tx.end(commit=False)
                raise
            try:
                await tx.end(commit=True)
            except BaseException:
                await tx.end(commit=False)
                raise

    @asynccontextmanager
    async def read(self) -> AsyncIterator[Transaction]:
        """A consistent snapshot for several reads (a deferred `BEGIN`, rolled back)."""
        async with self._hold():
            snap = Transaction(self, "BEGIN")
            try:
                yield snap
            finally:
                await snap.end(commit=False)

    def snapshot(self) -> AbstractAsyncContextManager[Transaction]:
        """Several reads that agree: `read()`."""
        return self.read()

    def write(self) -> AbstractAsyncContextManager[Transaction]:
        """Several writes that happen together: `transaction()`."""
        return self.transaction()

    async def fetch_all(
        self, sql: str, params: Parameters = (), *, brief: bool = False
    ) -> list[Row]:
        """The rows of ONE statement (a consistent snapshot by itself)."""
        async with self._hold():
            return await self._trip(partial(_fetch_all, sql, params), brief=brief)

    async def execute(self, sql: str, params: Parameters = ()) -> Written:
        """Run ONE writing statement as its own transaction."""
        async with self._hold():
            return await self.on_thread(partial(_execute, sql, params))

    async def execute_many(self, sql: str, rows: Iterable[Parameters]) -> Written:
        """Run one statement for each of `rows`, all in one transaction."""
        async with self.transaction() as tx:
            return await tx.execute_many(sql, rows)

    async def in_one_trip(self, work: Work[T], *, brief: bool = False) -> T:
        """`work(conn)` as ONE `BEGIN IMMEDIATE` transaction, in one trip to the thread."""
        async with self._hold():
            return await self._trip(partial(_immediate, work), brief=brief)

    async def on_thread(self, work: Work[T]) -> T:
        """`work(conn)` on aiosqlite's thread; the caller holds the lock.

        Cancelled, the caller still waits for `work` to end before it lets go of the lock:
        aiosqlite's thread goes on with it regardless, and a brief trip on the loop's thread
        must never use the connection at the same time."""
        # aiosqlite has no public "run this function on your thread"; `_execute` is what
        # all its own methods use (the same in every version our pin allows).
        run = cast(Callable[..., Awaitable[T]], self._conn._execute)
        try:
            return await run(work, self._conn._conn)
        except asyncio.CancelledError:
            # aiosqlite's thread takes its trips in turn: this one ends once `work` has.
            await _finished(asyncio.ensure_future(run(_nothing, self._conn._conn)))
            raise

    async def _trip(self, work: Work[T], *, brief: bool, undoable: bool = True) -> T:
        """`work` on aiosqlite's thread, or when `brief` on this one (the caller holds the
        lock). `undoable`: `work` leaves nothing done when it fails (a transaction of its
        own, or one it begins and rolls back), so a locked database sends it to the thread."""
        if not brief:
            return await self.on_thread(work)
        conn = self._conn._conn
        changes = conn.total_changes
        conn.execute("PRAGMA busy_timeout = 0")
        conn.execute("PRAGMA wal_autocheckpoint = 0")  # a commit here never checkpoints
        try:
            result = work(conn)
        except sqlite3.OperationalError as error:
            if not (undoable and _locked(error)):
                raise
        else:
            # Counts a trip that wrote and committed (a trip committing only earlier trips'
            # writes is not counted: none does; such a commit is on aiosqlite's thread).
            if conn.total_changes != changes and not conn.in_transaction:
                self._brief_committed()
            return result
        finally:
            conn.execute(f"PRAGMA wal_autocheckpoint = {WAL_AUTOCHECKPOINT_PAGES}")
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        return await self.on_thread(work)

    def _brief_committed(self) -> None:
        """Count a brief trip's commit; every `BRIEF_COMMITS_PER_CHECKPOINT`, checkpoint the
        WAL on aiosqlite's thread (left to commits there, a stream of orders alone would
        grow it without bound: 100 MB per 3,000 orders)."""
        self._brief_commits += 1
        if self._brief_commits < BRIEF_COMMITS_PER_CHECKPOINT or self._closing:
            return
        if self._checkpointing is None:
            self._brief_commits = 0
            self._checkpointing = asyncio.get_running_loop().create_task(self._checkpoint())

    async def _checkpoint(self) -> None:
        """A PASSIVE checkpoint; one that fails is logged (the next commit on aiosqlite's
        thread, or the next count, checkpoints again)."""
        try:
            async with self._hold():
                await self.on_thread(_checkpoint)
        except sqlite3.Error:
            log.exception("checkpointing the WAL of %s failed", self.path)
        finally:
            self._checkpointing = None

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


class Transaction:
    """The connection a `transaction()` or `read()` block hands out: every statement runs in
    that one transaction, whose `BEGIN` is sent with its first statement."""

    def __init__(self, db: Database, begin: str) -> None:
        self._db = db
        self._begin = begin
        self._begun = False
        self._over = False  # committed by `in_one_trip_ending`: no statement may follow

    @property
    def database(self) -> Database:
        return self._db

    @property
    def rounds_seen(self) -> dict[int, tuple[int, Round]]:
        return self._db.rounds_seen

    @property
    def writes(self) -> bool:
        return self._begin != "BEGIN"

    async def fetch_all(
        self, sql: str, params: Parameters = (), *, brief: bool = False
    ) -> list[Row]:
        return await self._run(partial(_fetch_all, sql, params), brief=brief)

    async def execute(self, sql: str, params: Parameters = ()) -> Written:
        return await self._run(partial(_execute, sql, params))

    async def execute_many(self, sql: str, rows: Iterable[Parameters]) -> Written:
        return await self._run(partial(_execute_many, sql, list(rows)))

    async def in_one_trip(self, work: Work[T], *, brief: bool = False) -> T:
        return await self._run(work, brief=brief)

    async def in_one_trip_ending(self, work: Work[tuple[T, bool]], *, brief: bool = False) -> T:
        """`in_one_trip` for work that may complete the transaction: when `work` answers
        True besides its result, the transaction is committed in that same trip and is over
        (its block's end has nothing left to commit; a further statement raises)."""
        result, done = await self._run(partial(_commit_when_done, work), brief=brief)
        if done:
            self._begun, self._over = False, True
        return result

    @asynccontextmanager
    async def snapshot(self) -> AsyncIterator[Transaction]:
        yield self

    @asynccontextmanager
    async def write(self) -> AsyncIterator[Transaction]:
        if not self.writes:
            raise RuntimeError("a write inside a read snapshot: open db.transaction() instead")
        yield self

    async def end(self, *, commit: bool) -> None:
        """COMMIT (or ROLLBACK) what this transaction began; nothing if it ran no statement."""
        if self._begun:
            await self._db.on_thread(_commit if commit else _rollback)
            self._begun = False

    async def _run(self, work: Work[T], *, brief: bool = False) -> T:
        if self._over:
            raise RuntimeError("a statement after the transaction was committed")
        if self._begun:  # its locks are held: a statement here never waits for one
            return await self._db._trip(work, brief=brief, undoable=False)
        self._begun = True  # from here on, `end` finishes it (a failed BEGIN: a no-op)
        return await self._db._trip(partial(_begun_with, self._begin, work), brief=brief)


Connection = Database | Transaction
"""What every storage function takes first: the Database (each statement stands alone) or
the Transaction a use case holds."""


def _fetch_all(sql: str, params: Parameters, conn: sqlite3.Connection) -> list[Row]:
    return conn.execute(sql, params).fetchall()


def _execute(sql: str, params: Parameters, conn: sqlite3.Connection) -> Written:
    cursor = conn.execute(sql, params)
    return Written(cursor.rowcount, cursor.lastrowid)


def _execute_many(sql: str, rows: list[Parameters], conn: sqlite3.Connection) -> Written:
    return Written(conn.executemany(sql, rows).rowcount)


def _begun_with(begin: str, work: Work[T], conn: sqlite3.Connection) -> T:
    conn.execute(begin)
    try:
        return work(conn)
    except sqlite3.OperationalError as error:
        if _locked(error):  # undone, so that the trip may be made again on the thread
            conn.rollback()
        raise


def _nothing(conn: sqlite3.Connection) -> None:
    return None


async def _finished(trip: asyncio.Future[T]) -> None:
    """Wait until `trip` is done, however often this task is cancelled meanwhile (as long as
    the work queued before it on the thread takes)."""
    while not trip.done():
        try:
            await asyncio.wait([trip])
        except asyncio.CancelledError:
            continue
    if not trip.cancelled():
        trip.exception()  # retrieved: a no-op's failure (a closed connection) tells nothing


def _locked(error: sqlite3.OperationalError) -> bool:
    """SQLite would have had to wait for another connection's lock."""
    name = getattr(error, "sqlite_errorname", None) or ""
    return name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED"))


def _commit_when_done(work: Work[tuple[T, bool]], conn: sqlite3.Connection) -> tuple[T, bool]:
    result, done = work(conn)
    if done:
        conn.commit()
    return result, done


def _checkpoint(conn: sqlite3.Connection) -> None:
    conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()


def _commit(conn: sqlite3.Connection) -> None:
    conn.commit()


def _rollback(conn: sqlite3.Connection) -> None:
    conn.rollback()


def _immediate(work: Work[T], conn: sqlite3.Connection) -> T:
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


def unusable(path: Path, error: sqlite3.Error) -> DatabaseUnusable | None:
    """What SQLite's `error` on opening `path` means for the person who configured it
    (None: nothing they could have caused)."""
    name = getattr(error, "sqlite_errorname", None) or ""
    folder = str(path.absolute().parent)
    if name.startswith(("SQLITE_NOTADB", "SQLITE_CORRUPT")):
        return DatabaseNotSqlite(path=str(path))
    if name.startswith("SQLITE_READONLY"):
        return DatabaseReadOnly(path=str(path), folder=folder)
    if name.startswith("SQLITE_CANTOPEN"):
        return DatabaseCannotOpen(path=str(path), folder=folder)
    return None


def _sqlite_connect(path: str | Path) -> sqlite3.Connection:
    # Made here, used only on aiosqlite's thread from then on.
    return sqlite3.connect(path, isolation_level=None, check_same_thread=False)


async def connect(path: str | Path, page_cache_kib: int = PAGE_CACHE_KIB) -> aiosqlite.Connection:
    """A raw connection with our pragmas; `Database.open` is what the application uses."""
    opened = await asyncio.to_thread(_sqlite_connect, path)  # a failure starts no thread
    conn = aiosqlite.Connection(lambda: opened, AIOSQLITE_CHUNK_SIZE)
    try:
        await conn
    except BaseException:
        opened.close()
        raise
    try:
        conn.row_factory = sqlite3.Row
        await conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        await _use_wal(conn)
        await conn.execute("PRAGMA foreign_keys = ON")
        await conn.execute("PRAGMA synchronous = NORMAL")
        # 64 MB of page cache (the default is 2 MB): closing a round of 10,000 coops writes
        # to every commitment row, and a small cache makes that grow faster than linearly.
        await conn.execute(f"PRAGMA cache_size = -{page_cache_kib}")
    except BaseException:
        await conn.close()
        raise
    return conn


@asynccontextmanager
async def open_database(
    path: str | Path, *, migrate_to: int | None = None, page_cache_kib: int = PAGE_CACHE_KIB
) -> AsyncIterator[Database]:
    db = await Database.open(path, migrate_to=migrate_to, page_cache_kib=page_cache_kib)
    try:
        yield db
    finally:
        await db.close()
