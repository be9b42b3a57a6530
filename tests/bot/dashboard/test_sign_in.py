"""An admin signs in to the web dashboard with the link `/dasbor` gives: once, for a while,
and only while they are an admin."""

from __future__ import annotations

from datetime import timedelta

from playwright.async_api import Browser

from messages.buttons import Verb, encode
from purchasing.model import Round
from storage.people import reps
from tests.bot.dashboard.conftest import Dash
from usecases.dashboard import LINK_MINUTES, SESSION_HOURS


async def test_admin_opens_the_chat_link_presses_masuk_and_sees_the_open_round(
    dash: Dash, chat_round: Round, browser: Browser
) -> None:
    link = await dash.link()
    assert f"berlaku {LINK_MINUTES} menit" in dash.admin.last_text

    context = await browser.new_context()
    page = await context.new_page()
    opened = await page.goto(link)
    assert opened is not None and opened.status == 200
    assert "Halo Mbak Rina" in await page.inner_text("main")
    assert await page.locator("nav").count() == 0  # no menu of pages that would answer 403
    await page.get_by_role("button", name="Masuk").click()
    await page.wait_for_url(f"{dash.url}/")

    heading = await page.inner_text("h1")
    assert f"Putaran Belanja Bareng Desember (#{chat_round.id})" in heading
    assert await page.locator("tr[data-product]").count() == len(chat_round.items)
    assert await page.locator("tr[data-waiting]").count() == 20  # nobody ordered yet
    [cookie] = await context.cookies()
    assert (cookie["name"], cookie["httpOnly"], cookie["sameSite"]) == ("bb_sesi", True, "Lax")
    assert cookie["secure"] is False  # served over http here; https public_url → Secure
    assert link.rsplit("/", 1)[1] not in cookie["value"]


async def test_the_same_link_opened_again_is_refused_even_by_a_browser_that_loaded_it_first(
    dash: Dash, chat_round: Round, browser: Browser
) -> None:
    link = await dash.link()
    first, second = await browser.new_context(), await browser.new_context()
    page, late = await first.new_page(), await second.new_page()
    await page.goto(link)
    await late.goto(link)  # both show the "Masuk" button

    await page.get_by_role("button", name="Masuk").click()
    await page.wait_for_url(f"{dash.url}/")
    await late.get_by_role("button", name="Masuk").click()
    await late.wait_for_load_state()

    assert "Tautan ini tidak bisa dipakai lagi" in await late.inner_text("h1")
    assert await second.cookies() == []
    again = await (await browser.new_context()).new_page()
    response = await again.goto(link)
    assert response is not None and response.status == 403
    assert "/dasbor" in await again.inner_text("main")


async def test_a_link_not_opened_within_its_minutes_is_refused(
    dash: Dash, chat_round: Round, browser: Browser
) -> None:
    link = await dash.link()
    dash.clock.advance(timedelta(minutes=LINK_MINUTES, seconds=1))

    page = await (await browser.new_context()).new_page()
    response = await page.goto(link)

    assert response is not None and response.status == 403
    assert "Tautan ini tidak bisa dipakai lagi" in await page.inner_text("h1")


async def test_a_session_older_than_its_hours_is_refused_and_asks_for_a_new_link(
    dash: Dash, chat_round: Round, browser: Browser
) -> None:
    _, page = await dash.signed_in(browser)
    dash.clock.advance(timedelta(hours=SESSION_HOURS) - timedelta(minutes=1))
    response = await page.reload()
    assert response is not None and response.status == 200

    dash.clock.advance(timedelta(minutes=2))
    response = await page.reload()

    assert response is not None and response.status == 403
    assert "Silakan masuk dulu" in await page.inner_text("h1")
    assert "Belanja Bareng Desember" not in await page.content()


async def test_dasbor_keluar_in_chat_signs_the_admin_out_of_every_browser(
    dash: Dash, chat_round: Round, browser: Browser
) -> None:
    _, phone = await dash.signed_in(browser)
    _, desk = await dash.signed_in(browser)
    unused = await dash.link()

    await dash.admin.send("/dasbor keluar")

    assert "keluar dari dasbor web di 2 perangkat" in dash.admin.last_text
    for page in (phone, desk):
        response = await page.reload()
        assert response is not None and response.status == 403
    response = await (await (await browser.new_context()).new_page()).goto(unused)
    assert response is not None and response.status == 403


async def test_removing_an_admin_ends_their_dashboard_session(
    dash: Dash, chat_round: Round, browser: Browser
) -> None:
    await reps.add_admin(dash.services.db, "telegram", "9002", "Pak Hadi", "config", dash.clock())
    _, page = await dash.signed_in(browser)

    assert await reps.remove_admin(dash.services.db, "telegram", "9001")
    response = await page.reload()

    assert response is not None and response.status == 403


async def test_signing_out_on_the_page_ends_that_session_and_lands_on_the_signed_out_page(
    dash: Dash, chat_round: Round, browser: Browser
) -> None:
    context, page = await dash.signed_in(browser)

    await page.get_by_role("button", name="Keluar (Mbak Rina)").click()
    await page.wait_for_url(f"{dash.url}/masuk")  # not left on /keluar

    assert "Anda sudah keluar" in await page.inner_text("h1")
    assert await context.cookies() == []
    again = await page.reload()  # posts nothing again
    assert again is not None and again.status == 200
    assert "Anda sudah keluar" in await page.inner_text("h1")
    response = await page.goto(f"{dash.url}/")
    assert response is not None and response.status == 403


async def test_keluar_answers_a_redirect_that_clears_the_cookie_and_keeps_the_headers(
    dash: Dash, chat_round: Round, browser: Browser
) -> None:
    context, _ = await dash.signed_in(browser)

    response = await context.request.post(f"{dash.url}/keluar", max_redirects=0)

    assert (response.status, response.headers["location"]) == (303, "/masuk")
    cleared = response.headers["set-cookie"]
    assert cleared.startswith("bb_sesi=") and "Max-Age=0" in cleared and "Path=/" in cleared
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert "default-src 'none'" in response.headers["content-security-policy"]


async def test_a_browser_still_signed_in_that_opens_masuk_goes_to_the_open_round(
    dash: Dash, chat_round: Round, browser: Browser
) -> None:
    _, page = await dash.signed_in(browser)

    await page.goto(f"{dash.url}/masuk")

    assert page.url == f"{dash.url}/"
    assert f"Putaran {chat_round.name} (#{chat_round.id})" in await page.inner_text("h1")


async def test_an_admin_who_reads_english_gets_the_pages_in_english(
    dash: Dash, chat_round: Round, browser: Browser
) -> None:
    await dash.admin.press(encode(Verb.LANGUAGE, "en"))
    context = await browser.new_context()
    page = await context.new_page()
    await page.goto(await dash.link())
    await page.get_by_role("button", name="Sign in").click()
    await page.wait_for_url(f"{dash.url}/")

    assert f"Round Belanja Bareng Desember (#{chat_round.id})" in await page.inner_text("h1")
    assert await page.get_attribute("html", "lang") == "en"
