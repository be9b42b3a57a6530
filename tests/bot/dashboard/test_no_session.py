"""Nothing of the dashboard is served to anyone without a live session: every route, with
no cookie or a made-up one, answers the 403 page that says how to sign in; but the page
signing out lands on (`/masuk`), which says only that."""

from __future__ import annotations

import re

from playwright.async_api import Browser

import tests.support.use_case_steps as steps
from bot.config import DashboardConfig
from bot.dashboard.app import COOKIE, SIGNED_OUT, Dashboard
from bot.dashboard.pages import Pages
from purchasing.model import Round
from purchasing.times import WIB
from tests.bot.dashboard.conftest import Dash

PARAMETER = re.compile(r"\{(\w+)(:[^}]*)?\}")


def every_route(dash: Dash, round_id: int) -> list[tuple[str, str]]:
    """(method, path) of every route the dashboard has, filled in with a real round."""
    app = Dashboard(dash.services, DashboardConfig(), Pages(WIB, "Dinas")).app()
    values = {"round": str(round_id), "token": "bukan-token-sungguhan", "number": "TG-001-DT"}
    found = []
    for route in app.router.routes():
        info = route.resource.get_info() if route.resource is not None else {}
        template = info.get("formatter") or info.get("path")
        assert isinstance(template, str), info
        path = PARAMETER.sub(lambda match: values[match.group(1)], template)
        found.append((route.method, path))
    return found


async def test_every_page_and_download_is_refused_without_a_session(
    dash: Dash, chat_round: Round, browser: Browser
) -> None:
    await steps.close_round(dash.services.db, chat_round.id, dash.clock(), force=True)
    routes = [*every_route(dash, chat_round.id), ("GET", "/tidak-ada"), ("GET", "/putaran/999"),
              ("GET", "/masuk/"), ("GET", "/masuk/a/b"), ("POST", SIGNED_OUT)]  # fmt: skip
    routes = [route for route in routes if route not in {("GET", SIGNED_OUT), ("HEAD", SIGNED_OUT)}]
    assert len({path for _, path in routes}) >= 10
    reports = {f"/laporan/{name}{kind}" for name in ("harga", "pemasok", "pembayaran")
               for kind in ("", ".xlsx", ".csv", ".pdf", ".png")}  # fmt: skip
    assert reports <= {path for _, path in routes}
    context = await browser.new_context()

    for cookie in (None, "dibuat-buat"):
        if cookie is not None:
            await context.add_cookies([{"name": COOKIE, "value": cookie, "url": dash.url}])
        for method, path in routes:
            response = await context.request.fetch(f"{dash.url}{path}", method=method)
            body = await response.text()
            assert response.status == 403, (method, path, response.status)
            assert "Belanja Bareng Desember" not in body and "Rp" not in body, (method, path)
            if method != "HEAD":
                assert ("/dasbor" in body) or ("tidak bisa dipakai" in body), (method, path)
            assert response.headers["cache-control"] == "no-store"

        signed_out = await context.request.get(f"{dash.url}{SIGNED_OUT}")
        body = await signed_out.text()
        assert signed_out.status == 200 and "Anda sudah keluar" in body and "/dasbor" in body
        assert "Belanja Bareng Desember" not in body and "Rp" not in body
        assert signed_out.headers["cache-control"] == "no-store"


async def test_a_made_up_sign_in_link_signs_nobody_in(
    dash: Dash, chat_round: Round, browser: Browser
) -> None:
    page = await (await browser.new_context()).new_page()
    response = await page.goto(f"{dash.url}/masuk/bukan-token-sungguhan")

    assert response is not None and response.status == 403
    assert "Tautan ini tidak bisa dipakai lagi" in await page.inner_text("h1")
    assert await page.context.cookies() == []


async def test_a_method_a_page_does_not_take_still_forbids_caching_and_framing(
    dash: Dash, browser: Browser
) -> None:
    context, _ = await dash.signed_in(browser)

    response = await context.request.fetch(f"{dash.url}/keluar", method="GET")  # POST only

    assert response.status == 405
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["x-frame-options"] == "DENY"
