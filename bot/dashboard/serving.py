"""Running the dashboard: inside `belanja-bareng run` until it stops, or for the console demo.

`dashboard_site` serves the pages on `listen:port` (port 0: a free one) while the block runs
and gives the address it listens on ("http://127.0.0.1:8090"). `serve_dashboard` is `run`'s
task: the site until `stop` is set. `with_dashboard` gives the handlers' `Services` the
address `/dasbor` puts in its links (`[dashboard] public_url`). `demo_dashboard` is the
console demo's, on 127.0.0.1 and a free port.
"""

from __future__ import annotations

import asyncio
import logging
import queue
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import replace
from pathlib import Path

from aiohttp import web

from bot.config import Config, DashboardConfig
from bot.dashboard.app import BILL_DUE_DAYS, Dashboard
from bot.dashboard.pages import Pages
from bot.wiring import wire
from handlers.contract.services import Services
from storage.database import open_database

log = logging.getLogger(__name__)


def with_dashboard(services: Services, config: Config) -> Services:
    """`services` whose `/dasbor` gives links to the configured dashboard (if enabled)."""
    if not config.dashboard.enabled:
        return services
    return replace(services, dashboard_url=config.dashboard.public_url)


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
    runner = web.AppRunner(dashboard.app(), access_log=None)
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
    services: Services,
    stop: asyncio.Event,
    *,
    on_ready: Callable[[str], None] | None = None,
) -> None:
    """`run`'s dashboard on `[dashboard] listen:port` until `stop` is set."""
    pages = Pages(config.timezone, config.office.name)
    due_days = config.office.bill_due_days
    async with dashboard_site(services, config.dashboard, pages, bill_due_days=due_days) as url:
        if on_ready is not None:
            on_ready(url)
        await stop.wait()


@asynccontextmanager
async def demo_dashboard(
    services: Services, config: Config, database: Path
) -> AsyncIterator[Services]:
    """The console demo's dashboard on 127.0.0.1 and a free port while the block runs, and
    `services` whose `/dasbor` links to it.

    The demo reads the terminal in its own event loop and blocks it while it waits for a line,
    so the dashboard runs in a thread with its own loop and its own connection to the demo's
    database file (WAL lets both read and write it): a page answers while the demo waits.
    """
    settings = replace(config.dashboard, enabled=True, listen="127.0.0.1", port=0, public_url="")
    started: queue.Queue[tuple[str, asyncio.AbstractEventLoop, asyncio.Event] | BaseException]
    started = queue.Queue()

    async def serve() -> None:
        stop = asyncio.Event()
        try:
            async with open_database(database) as db:
                site_services = wire(config, db, services.now).services
                pages = Pages(config.timezone, config.office.name)
                due_days = config.office.bill_due_days
                async with dashboard_site(
                    site_services, settings, pages, bill_due_days=due_days
                ) as url:
                    started.put((url, asyncio.get_running_loop(), stop))
                    await stop.wait()
        except Exception as error:  # told to the demo, which goes on without a dashboard
            started.put(error)

    thread = threading.Thread(target=asyncio.run, args=(serve(),), name="demo-dashboard")
    thread.start()
    first = await asyncio.to_thread(started.get)
    try:
        if isinstance(first, BaseException):
            log.warning("demo dashboard did not start: %s", first)
            yield services
            return
        url, loop, stop = first
        try:
            yield replace(services, dashboard_url=url)
        finally:
            loop.call_soon_threadsafe(stop.set)
    finally:
        await asyncio.to_thread(thread.join)
