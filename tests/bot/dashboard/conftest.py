"""A real dashboard on 127.0.0.1 over the chat tests' database and clock, and a real headless
Chromium (Debian's, driven by Playwright) to look at it.

`dash` serves the dashboard of `tests.support.fixtures.chat`'s database (the examples' 20
coops and 25 products) with the test's `Clock`; `dash.admin` is Mbak Rina in her private chat,
whose `/dasbor` links to it. `browser` is Chromium; tests are skipped only when no Chromium is
installed (`.ci/run` installs it).
"""

from __future__ import annotations

import re
import shutil
from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from playwright.async_api import Browser, BrowserContext, Page, async_playwright

from bot.config import DashboardConfig, OfficeConfig
from bot.dashboard.pages import Pages
from bot.dashboard.serving import dashboard_site
from bot.documents import RoundFiles
from bot.exports import workbook_writer
from handlers.contract.services import Services
from messages import Renderer
from purchasing.times import WIB
from storage.people import reps
from tests.support.clock import Clock
from tests.support.fixtures.chat import ChatUser

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
LINK = re.compile(r"http://127\.0\.0\.1:[0-9]+/masuk/[A-Za-z0-9_-]+")


def chromium_path() -> str | None:
    if Path(CHROMIUM).is_file():
        return CHROMIUM
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    path = chromium_path()
    if path is None:
        pytest.skip("no Chromium installed (apt-get install chromium; .ci/run does)")
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            await launched.close()


@dataclass
class Dash:
    """The running dashboard, and the admin whose chat gives links to it."""

    url: str
    services: Services
    admin: ChatUser
    clock: Clock

    async def link(self, user: ChatUser | None = None) -> str:
        """The sign-in link `/dasbor` gives in `user`'s chat (the admin's by default)."""
        user = user or self.admin
        await user.send("/dasbor")
        found = [match.group(0) for match in LINK.finditer(user.last_text)]
        assert len(found) == 1, user.last_text
        return found[0]

    async def signed_in(self, browser: Browser) -> tuple[BrowserContext, Page]:
        """A new browser that opened a fresh link and pressed "Masuk": on the open round."""
        context = await browser.new_context()
        page = await context.new_page()
        await page.goto(await self.link())
        await page.get_by_role("button", name="Masuk").click()
        await page.wait_for_url(f"{self.url}/")
        return context, page


@pytest.fixture
async def dash(
    chat_services: Services, chat_renderer: Renderer, chat_clock: Clock, tmp_path: Path
) -> AsyncIterator[Dash]:
    exports = tmp_path / "ekspor"
    services = replace(
        chat_services,
        round_workbook=workbook_writer(chat_services.db, exports),
        round_file=RoundFiles(chat_services.db, exports, OfficeConfig(), chat_renderer),
    )
    settings = DashboardConfig(enabled=True, listen="127.0.0.1", port=0)
    async with dashboard_site(services, settings, Pages(WIB, "Dinas KUMKM")) as url:
        linked = replace(services, dashboard_url=url)
        await reps.add_admin(linked.db, "telegram", "9001", "Mbak Rina", "config", chat_clock())
        yield Dash(url, linked, ChatUser(linked, chat_renderer, "9001", "Mbak Rina"), chat_clock)
