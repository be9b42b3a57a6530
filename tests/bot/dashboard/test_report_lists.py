"""Over 10,000 coops a report page would weigh megabytes on the officer's phone: the coops
page shows the counts per status and the coops to act on, the payments page the coops that
owe most, each list cut at a few rows with how many more the downloads hold.

The story (as tests/bot/dashboard/test_report_pages.py): the example round closes with DT's
12 and ATTAQWA's 7 karung of sugar and KKPITB's rice below its MOQ; all three are new, the
other 17 coops never ordered; DT pays its bill, ATTAQWA owes Rp 5.985.000. This dashboard
shows 2 rows of each list."""

from __future__ import annotations

import csv
import io

from playwright.async_api import Browser, Page

from bot.config import DashboardConfig
from bot.dashboard.app import COOKIE
from bot.dashboard.pages import Pages
from bot.dashboard.serving import dashboard_site
from purchasing.model import Round
from purchasing.times import WIB
from tests.bot.dashboard.conftest import Dash
from tests.bot.dashboard.test_report_pages import _the_story
from usecases import dashboard


async def _words(page: Page, selector: str) -> str:
    return " ".join((await page.locator(selector).inner_text()).split())


async def _codes(page: Page, selector: str) -> list[str]:
    rows = page.locator(f"{selector} tr[data-coop]")
    return [str(await row.get_attribute("data-coop")) for row in await rows.all()]


async def test_report_pages_show_the_first_rows_and_say_how_many_more(
    dash: Dash, chat_round: Round, browser: Browser
) -> None:
    await _the_story(dash, chat_round)
    link = await dashboard.make_link(dash.services, "telegram", "9001")
    session = await dashboard.sign_in(dash.services, link.token)
    assert session is not None
    settings = DashboardConfig(enabled=True, listen="127.0.0.1", port=0)

    async with dashboard_site(dash.services, settings, Pages(WIB, "Dinas", rows_shown=2)) as url:
        context = await browser.new_context()
        await context.add_cookies([{"name": COOKIE, "value": session.token, "url": url}])
        page = await context.new_page()
        await page.goto(f"{url}/laporan/koperasi")

        counts = [
            await _words(page, f"[data-figure={name}]") for name in ("new", "never", "lapsed")
        ]
        assert counts == ["3 koperasi", "17 koperasi", "0 koperasi"]
        assert await _codes(page, "table[data-list=new]") == ["ATTAQWA", "DT"]  # by code
        assert (await _words(page, "[data-more=new]")).startswith("… dan 1 koperasi lainnya.")
        assert len(await _codes(page, "table[data-list=never]")) == 2
        assert (await _words(page, "[data-more=never]")).startswith("… dan 15 koperasi lainnya.")
        assert await page.locator("table[data-list=lapsed], [data-more=lapsed]").count() == 0
        download = await context.request.get(f"{url}/laporan/koperasi.csv")
        every = list(
            csv.reader(io.StringIO((await download.body()).decode("utf-8-sig")), delimiter=";")
        )
        assert len(every) == 1 + 20 and "KKPITB" in {row[0] for row in every}

        await page.goto(f"{url}/laporan/pembayaran")
        assert await _codes(page, "table") == ["ATTAQWA", "DT"]  # most owed first
        assert await page.locator("[data-more]").count() == 0
        await context.close()
