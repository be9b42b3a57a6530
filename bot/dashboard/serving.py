"""Running the dashboard: inside `belanja-bareng run` until it stops, or for the console demo.

`dashboard_site` serves the pages on `listen:port` (port 0: a free one) while the block runs
and gives the address it listens on ("http://127.0.0.1:8090"). `with_dashboard` gives the
handlers' `Services` the address `/dasbor` puts in its links (`[dashboard] public_url`).

`dashboard_thread` runs that site in a thread of its own, with its own event loop and its own
connection to the database file, for both of its users: `serve_dashboard` (`run`'s task, on
`[dashboard] listen:port` until `stop` is set) and `demo_dashboard` (the console demo's, on
127.0.0.1 and a free port). A page that reads for seconds (a yearly report) then holds up
neither the chat's commands, which wait for their own connection's lock only, nor the demo's
loop, which blocks while it reads the terminal. WAL lets the two connections read while the
other writes: a sign-in link that `/dasbor` commits on the bot's connection is seen by the
dashboard's next statement. A dashboard that cannot start (its port taken) is logged and the
chat goes on without it.
"""

from __future__ import annotations

import asyncio
import logging
import queue
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from aiohttp import web

from bot.config import Config, DashboardConfig
from bot.dashboard.app import BILL_DUE_DAYS, Dashboard
from bot.dashboard.pages import Pages
from bot.wiring import wire
from handlers.contract.services import Services
from purchasing.times import Clock
from storage.database import open_database

log = logging.getLogger(__name__)

# How long a page still being served may finish once the bot stops (aiohttp's default is
# 60 s; the service unit gives the whole process 30 s, `TimeoutStopSec`).
STOP_SECONDS = 5.0


def with_dashboard(services: Services, config: Config) -> Services:
    """`services` whose `/dasbor` gives links to the configured dashboard (if enabled)."""
    if not config.dashboard.enabled:
        return services
    return replace(
        services,
        dashboard_url=config.dashboard.public_url,
        dashboard_link_minutes=config.dashboard.link_minutes,
    )


@asynccontextmanager
async def dashboard_site(
    services: Services,
    settings: DashboardConfig,
    pages: Pages,
    *,
    bill_due_days: int = BILL_DUE_DAYS,
) -> AsyncIterator[str]:
    """Serve the dashboard while the block runs; its local address ("http://host:port")."""
    dashboard = Dashboard(services, settings, pages, bill_due_days=bill_due_days)
    runner = web.AppRunner(dashboard.app(), access_log=None, shutdown_timeout=STOP_SECONDS)
    await runner.setup()
    try:
        site = web.TCPSite(runner, settings.listen, settings.port)
        await site.start()
        port = settings.port
        for address in runner.addresses:
            if isinstance(address, tuple) and len(address) >= 2:
                port = int(address[1])
                break
        url = f"http://{settings.listen}:{port}"
        log.info("dashboard listening on %s", url)
        yield url
    finally:
        await runner.cleanup()


async def serve_dashboard(
    config: Config,
    database: Path,
    now: Clock,
    stop: asyncio.Event,
    *,
    on_ready: Callable[[str], None] | None = None,
) -> None:
    """`run`'s dashboard on `[dashboard] listen:port`, in its own thread and connection to
    `database`, until `stop` is set; `on_ready` is told its address once it listens."""
    async with dashboard_thread(config, config.dashboard, database, now) as url:
        if url is not None and on_ready is not None:
            on_ready(url)
        await stop.wait()


@asynccontextmanager
async def demo_dashboard(
    services: Services, config: Config, database: Path
) -> AsyncIterator[Services]:
    """The console demo's dashboard on 127.0.0.1 and a free port while the block runs, and
    `services` whose `/dasbor` links to it (unchanged if it did not start).

    The demo reads the terminal in its own event loop and blocks it while it waits for a line:
    the dashboard's own thread answers a page meanwhile."""
    settings = replace(config.dashboard, enabled=True, listen="127.0.0.1", port=0, public_url="")
    async with dashboard_thread(config, settings, database, services.now, name="demo") as url:
        minutes = config.dashboard.link_minutes
        opened = replace(services, dashboard_url=url or "", dashboard_link_minutes=minutes)
        yield services if url is None else opened


@asynccontextmanager
async def dashboard_thread(
    config: Config,
    settings: DashboardConfig,
    database: Path,
    now: Clock,
    *,
    name: str = "run",
) -> AsyncIterator[str | None]:
    """The dashboard on `settings`' address over `database`, served by a thread with its own
    event loop and connection while the block runs: its address, or None when it could not
    start (logged; the caller goes on without it). Leaving the block stops the site and
    waits for the thread to end."""
    started: queue.Queue[str | BaseException] = queue.Queue()
    stopper = _Stopper()

    async def serve() -> None:
        try:
            async with open_database(database) as db, stopper.attached() as stop:
                services = wire(config, db, now).services
                pages = Pages(config.timezone, config.office.name)
                due_days = config.office.bill_due_days
                async with dashboard_site(services, settings, pages, bill_due_days=due_days) as url:
                    started.put(url)
                    await stop.wait()
        except Exception as error:  # told to the caller, which goes on without a dashboard
            started.put(error)
        except BaseException as error:  # never leave the caller waiting for the start
            started.put(error)
            raise

    thread = threading.Thread(target=asyncio.run, args=(serve(),), name=f"{name}-dashboard")
    thread.start()
    try:
        first = await asyncio.to_thread(started.get)
        if isinstance(first, BaseException):
            log.error(
                "the web dashboard did not start on %s port %s, the chat goes on without it: %s",
                settings.listen, settings.port, first,
            )  # fmt: skip
            yield None
        else:
            yield first
    finally:
        stopper.stop()
        await asyncio.to_thread(thread.join)


@dataclass
class _Stopper:
    """How the caller's loop stops the dashboard thread's loop, before or after it started:
    the thread's `stop` event is set (on that thread's loop) once `stop()` was called."""

    _lock: threading.Lock = field(default_factory=threading.Lock)
    _stopping: bool = False
    _target: tuple[asyncio.AbstractEventLoop, asyncio.Event] | None = None

    @asynccontextmanager
    async def attached(self) -> AsyncIterator[asyncio.Event]:
        """The running loop's stop event, set at once if `stop()` came first."""
        stop = asyncio.Event()
        with self._lock:
            self._target = (asyncio.get_running_loop(), stop)
            if self._stopping:
                stop.set()
        try:
            yield stop
        finally:
            with self._lock:
                self._target = None

    def stop(self) -> None:
        """Stop the thread's loop (now, or as soon as it attaches); from any thread."""
        with self._lock:
            self._stopping = True
            if self._target is not None:
                loop, stop = self._target
                loop.call_soon_threadsafe(stop.set)
