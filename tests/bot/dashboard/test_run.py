"""The dashboard inside `belanja-bareng run`: served by a thread with its own event loop and
its own connection to the bot's database file, so an admin's `/dasbor` link (written by the
bot's connection) signs a browser in on the dashboard's, a page that reads for long holds up
no chat command, SIGTERM stops both, and a dashboard that cannot start leaves the chat
running."""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import logging
import os
import re
import signal
import socket
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
import pytest

from bot.cli.context import CliContext
from bot.cli.run_command import run_bot
from bot.config import Admin, Config, DashboardConfig
from messages.render import Renderer
from purchasing.model import Rep, Round
from storage.commitment_reads import totals_for_round
from storage.database import Database, open_database
from storage.people import reps
from tests.support.builders import NOW
from tests.support.fake_telegram import FakeTelegram
from tests.support.fake_telegram.chats import FakeUser
from tests.support.fixtures.telegram import config_for
from tests.support.storage_builders import seed_open_round
from usecases import dashboard
from usecases.context import UseCaseContext

PUBLIC = "http://dasbor.test"
LINK = re.compile(re.escape(PUBLIC) + r"/masuk/([A-Za-z0-9_-]+)")
ADMIN_ID = 4242
WITHIN = 10.0


@dataclass(frozen=True)
class Console(CliContext):
    """`run`'s command line, whose announcements (`cli/run_started…`) a test can wait for."""

    announced: dict[str, asyncio.Future[dict[str, object]]] = field(default_factory=dict)

    def say(self, name: str, **context: object) -> None:
        super().say(name, **context)
        self._announcement(name).set_result(context)

    async def said(self, name: str) -> dict[str, object]:
        return await asyncio.wait_for(asyncio.shield(self._announcement(name)), WITHIN)

    def _announcement(self, name: str) -> asyncio.Future[dict[str, object]]:
        return self.announced.setdefault(name, asyncio.get_running_loop().create_future())


@dataclass
class Running:
    """`run` with the dashboard on; `dashboard` is its address once it listens."""

    console: Console
    fake: FakeTelegram
    admin: FakeUser
    dashboard: str = ""

    async def link_token(self) -> str:
        """The token of the link the admin's `/dasbor` gives (made on the bot's connection)."""
        await self.fake.send_text(self.admin, "/dasbor")
        message = await self.fake.wait_for_message(self.admin.id)
        found = LINK.search(message.text or "")
        assert found is not None, message.text
        return found.group(1)

    async def signed_in(self, browser: aiohttp.ClientSession) -> None:
        """Open the admin's fresh link and press "Masuk", on `run`'s dashboard."""
        sign_in = f"{self.dashboard}/masuk/{await self.link_token()}"
        async with browser.get(sign_in) as page:
            assert page.status == 200 and "Masuk" in await page.text()
        async with browser.post(sign_in, allow_redirects=False) as answer:
            assert (answer.status, answer.headers["Location"]) == (303, "/")


def dashboard_config(fake: FakeTelegram, database: Path, port: int = 0) -> Config:
    settings = DashboardConfig(enabled=True, listen="127.0.0.1", port=port, public_url=PUBLIC)
    return dataclasses.replace(
        config_for(fake, database), admins=(Admin("telegram", str(ADMIN_ID)),), dashboard=settings
    )


@asynccontextmanager
async def running(config: Config, fake: FakeTelegram) -> AsyncIterator[Running]:
    """`belanja-bareng run` until the block ends, then SIGTERM, as systemd stops it; the
    dashboard's thread is over by the time `run` has returned."""
    console = Console(config, "id", Renderer(), lambda: NOW, {})
    task = asyncio.create_task(run_bot(console, argparse.Namespace()))
    try:
        await console.said("run_started")
        yield Running(console, fake, fake.user(ADMIN_ID, "Rina"))
    finally:
        if not task.done():  # (its signal handlers are gone once it has ended)
            os.kill(os.getpid(), signal.SIGTERM)
        await asyncio.wait_for(task, timeout=WITHIN)
    assert [t.name for t in threading.enumerate() if t.name.endswith("-dashboard")] == []


def browser() -> aiohttp.ClientSession:
    """An HTTP client that keeps the session cookie of 127.0.0.1 (an address, not a name)."""
    return aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))


async def status_of(session: aiohttp.ClientSession, url: str) -> int:
    async with session.get(url) as page:
        return page.status


async def test_an_admin_signs_in_on_runs_dashboard_with_the_link_dasbor_gave_in_the_chat(
    fake_telegram: FakeTelegram, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = dashboard_config(fake_telegram, tmp_path / "bot.sqlite3")
    async with browser() as session:
        async with running(config, fake_telegram) as bot:
            announced = await bot.console.said("run_started_dashboard")
            bot.dashboard = str(announced["url"])
            assert announced["public_url"] == PUBLIC
            await bot.signed_in(session)
            async with session.get(f"{bot.dashboard}/putaran") as rounds:
                assert rounds.status == 200 and "Semua putaran (0)" in await rounds.text()
        # SIGTERM with the browser's connection still open: stopped within seconds
        with pytest.raises(aiohttp.ClientConnectionError):
            await session.get(f"{bot.dashboard}/putaran")

    printed = capsys.readouterr().out
    assert f"Dasbor web: menunggu di {bot.dashboard}, dibuka admin lewat {PUBLIC}" in printed
    assert fake_telegram.errors == []


async def test_a_treasurer_is_answered_while_a_dashboard_page_holds_its_connection_in_a_read(
    fake_telegram: FakeTelegram, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reading, done = threading.Event(), threading.Event()

    async def a_long_read(ctx: UseCaseContext) -> list[Round]:
        """The rounds list, reading until the test says: as a yearly report reads for long."""
        db = ctx.db
        assert isinstance(db, Database)
        async with db.read() as snap:
            await snap.fetch_all("SELECT id FROM rounds")
            reading.set()
            await asyncio.to_thread(done.wait, WITHIN)
        return []

    monkeypatch.setattr(dashboard, "all_rounds", a_long_read)
    database = tmp_path / "bot.sqlite3"
    siti = fake_telegram.user(5001, "Siti")
    async with open_database(database) as db:
        round_ = await seed_open_round(db, now=NOW)
        await reps.add_rep(db, Rep("telegram", str(siti.id), "KOP01"), NOW)
    async with running(dashboard_config(fake_telegram, database), fake_telegram) as bot:
        bot.dashboard = str((await bot.console.said("run_started_dashboard"))["url"])
        async with browser() as session:
            await bot.signed_in(session)
            page = asyncio.create_task(status_of(session, f"{bot.dashboard}/putaran"))
            try:
                assert await asyncio.to_thread(reading.wait, WITHIN)

                await fake_telegram.send_text(siti, "/pesan GLP1 12")
                answer = await fake_telegram.wait_for_message(siti.id)
                assert not done.is_set()  # the page is still reading
            finally:
                done.set()
            assert await page == 200
    assert "GLP1" in (answer.text or "")
    async with open_database(database) as db:
        assert await totals_for_round(db, round_.id) == {"GLP1": 12}


async def test_a_dashboard_whose_port_is_taken_is_logged_and_the_chat_runs_on(
    fake_telegram: FakeTelegram, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    siti = fake_telegram.user(5001, "Siti")
    with socket.socket() as other_program:
        other_program.bind(("127.0.0.1", 0))
        other_program.listen()
        port = other_program.getsockname()[1]
        config = dashboard_config(fake_telegram, tmp_path / "bot.sqlite3", port)
        async with running(config, fake_telegram) as bot:
            await fake_telegram.send_text(siti, "/bantuan")
            await fake_telegram.wait_for_message(siti.id)

    assert "run_started_dashboard" not in bot.console.announced
    [failed] = [r for r in caplog.records if "dashboard did not start" in r.getMessage()]
    assert failed.levelno == logging.ERROR
    assert f"127.0.0.1 port {port}" in failed.getMessage()
