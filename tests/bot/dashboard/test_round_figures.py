"""What the dashboard shows of a round is what the chat shows: the same figures as `/rekap`,
the bills of a closed round with what each coop paid, and the round's workbook."""

from __future__ import annotations

from datetime import date, timedelta

from playwright.async_api import Browser, Page

import tests.support.use_case_steps as steps
from messages.formatting import number, rupiah
from purchasing.model import Round
from purchasing.progress import ProductProgress
from storage import payments
from tests.bot.dashboard.conftest import Dash
from tests.support.fixtures.chat import button
from tests.support.storage_builders import begin_closing

ORDERS = [("DT", "GLP-50", 12), ("KKPITB", "BRS-SPHP50", 10), ("ATTAQWA", "GLP-50", 7)]


async def _order(dash: Dash, round_: Round) -> None:
    for coop, product, quantity in ORDERS:
        await steps.set_commitment(
            dash.services.db, round_id=round_.id, coop_code=coop, product_code=product,
            quantity=quantity, actor="telegram:5001", via="telegram:5001", now=dash.clock(),
        )  # fmt: skip


async def _figure(page: Page, name: str, within: str = "main") -> str:
    return (await page.locator(f"{within} [data-figure={name}]").first.inner_text()).strip()


async def test_the_round_page_shows_the_same_figures_as_rekap_in_the_chat(
    dash: Dash, chat_round: Round, browser: Browser
) -> None:
    await _order(dash, chat_round)
    [recap] = await dash.admin.send("/rekap")
    chat_text = dash.admin.last_text
    products = await dash.admin.press(button([recap], "arp:"))
    progress = products[0].context["progress"]
    assert isinstance(progress, tuple)

    _, page = await dash.signed_in(browser)

    headline = recap.context
    value, saving = rupiah(int(str(headline["value"]))), rupiah(int(str(headline["saving"])))
    assert (await _figure(page, "value"), await _figure(page, "saving")) == (value, saving)
    assert value in chat_text and saving in chat_text and value != rupiah(0)
    waiting = rupiah(int(str(headline["value_waiting"])))
    assert await _figure(page, "value_waiting") == waiting and waiting in chat_text
    ordered = f"{headline['ordered_count']} dari {headline['coop_count']} koperasi"
    assert await _figure(page, "ordered") == ordered == "3 dari 20 koperasi"
    for line in progress:
        assert isinstance(line, ProductProgress)
        row = f"tr[data-product='{line.product_code}']"
        assert await _figure(page, "total", row) == number(line.total)
        assert await _figure(page, "unit_price", row) == rupiah(line.unit_price)


async def test_a_closed_rounds_bills_show_who_paid_and_download_with_its_workbook(
    dash: Dash, chat_round: Round, browser: Browser
) -> None:
    await _order(dash, chat_round)
    await steps.close_round(dash.services.db, chat_round.id, dash.clock(), force=True)
    bills = {bill.coop_code: bill for bill in await payments.bills_due(dash.services.db)}
    dt = bills["DT"]
    await payments.record_payment(
        dash.services.db, dt, dt.total, date(2026, 12, 2), "TRF DT", "statement", "k1",
        "telegram:9001", dash.clock(),
    )  # fmt: skip
    _, page = await dash.signed_in(browser)

    await page.goto(f"{dash.url}/putaran/{chat_round.id}/tagihan")

    rows = {
        code: await page.locator(f"tr[data-bill='{bill.number}']").inner_text()
        for code, bill in bills.items()
    }
    assert "lunas" in rows["DT"] and rupiah(dt.total) in rows["DT"]
    assert sorted(rows) == ["ATTAQWA", "DT"]  # KKPITB's rice stayed below its MOQ: no bill
    assert "belum dibayar" in rows["ATTAQWA"]
    assert await _figure(page, "paid") == rupiah(dt.total)
    assert await _figure(page, "owing") == f"{len(bills) - 1} tagihan"
    assert await page.locator("[data-figure=overpaid]").count() == 0

    attaqwa = bills["ATTAQWA"]
    await payments.record_payment(
        dash.services.db, attaqwa, attaqwa.total + 474_000, date(2026, 12, 2), "TRF AT",
        "statement", "k2", "telegram:9001", dash.clock(),
    )  # fmt: skip
    await page.reload()
    row = await page.locator(f"tr[data-bill='{attaqwa.number}']").inner_text()
    assert "lebih bayar Rp 474.000" in row
    assert await _figure(page, "overpaid") == "Rp 474.000"
    assert await _figure(page, "paid") == rupiah(dt.total + attaqwa.total)  # towards the bills

    async with page.expect_download() as started:
        await page.get_by_role("link", name=dt.number).click()
    bill = await (await started.value).path()
    assert bill is not None and bill.read_bytes()[:5] == b"%PDF-"

    workbook = f"{dash.url}/putaran/{chat_round.id}/buku-kerja.xlsx"
    served = await page.context.request.get(workbook)
    assert served.headers["content-type"].startswith("application/vnd.openxmlformats")
    await page.goto(f"{dash.url}/putaran/{chat_round.id}")
    async with page.expect_download() as started:
        await page.get_by_role("link", name="Unduh buku kerja (XLSX)").click()
    download = await started.value
    assert download.suggested_filename.endswith(".xlsx")
    saved = await download.path()
    assert saved is not None and saved.read_bytes()[:2] == b"PK"


async def test_the_reports_and_the_rounds_list_show_the_closed_round(
    dash: Dash, chat_round: Round, browser: Browser
) -> None:
    await _order(dash, chat_round)
    await steps.close_round(dash.services.db, chat_round.id, dash.clock(), force=True)
    _, page = await dash.signed_in(browser)
    assert "Tidak ada putaran yang sedang buka" in await page.inner_text("h1")

    await page.goto(f"{dash.url}/putaran")
    assert "tutup" in await page.locator(f"tr[data-round='{chat_round.id}']").inner_text()
    await page.goto(f"{dash.url}/laporan/hemat")
    assert (await _figure(page, "saving")).startswith("Rp ")
    await page.goto(f"{dash.url}/laporan/koperasi")
    assert "baru" in await page.locator("tr[data-coop='DT']").inner_text()
    assert "belum pernah" in await page.locator("tr[data-coop='PUSDAI']").inner_text()


async def test_on_a_phone_screen_the_page_fits_its_width_and_wide_tables_scroll_inside(
    dash: Dash, chat_round: Round, browser: Browser
) -> None:
    await _order(dash, chat_round)
    context = await browser.new_context(viewport={"width": 360, "height": 740})
    page = await context.new_page()
    await page.goto(await dash.link())
    await page.get_by_role("button", name="Masuk").click()
    await page.wait_for_url(f"{dash.url}/")

    assert await page.evaluate("document.documentElement.scrollWidth") <= 360
    assert await page.locator("[data-figure=value]").is_visible()
    table = page.locator("div.table").first
    assert await table.evaluate("box => box.scrollWidth > box.clientWidth")


async def test_a_round_staff_are_closing_shows_as_being_closed_on_its_page_and_in_the_list(
    dash: Dash, chat_round: Round, browser: Browser
) -> None:
    await _order(dash, chat_round)
    await begin_closing(dash.services.db, chat_round.id, dash.clock())
    _, page = await dash.signed_in(browser)

    closing = await page.locator("[data-closing]").inner_text()
    assert closing.startswith("sedang ditutup sejak ") and "tidak menerima pesanan" in closing

    await page.goto(f"{dash.url}/putaran")
    row = await page.locator(f"tr[data-round='{chat_round.id}']").inner_text()
    assert "sedang ditutup" in row and "buka" not in row


async def test_a_closed_round_page_reads_as_its_close_and_a_cancelled_one_as_cancelled(
    dash: Dash, chat_round: Round, browser: Browser
) -> None:
    await _order(dash, chat_round)  # KKPITB's 10 sacks of rice stay below the MOQ of 20
    await steps.close_round(dash.services.db, chat_round.id, dash.clock(), force=True)
    _, page = await dash.signed_in(browser)

    await page.goto(f"{dash.url}/putaran/{chat_round.id}")

    main = await page.inner_text("main")
    assert "pesanan saat putaran ditutup" in main and "Tidak memesan (17)" in main
    assert "Tidak jadi dipesan (di bawah minimal pesanan)" in main
    assert "Harga berikutnya" not in main and "Menunggu minimal pesanan" not in main
    rice = await page.locator("tr[data-product='BRS-SPHP50']").inner_text()
    assert "tidak dipesan, kurang 10" in rice

    now = dash.clock()
    cancelled = await steps.create_round(dash.services.db, "Tambahan", now, now + timedelta(days=3))
    await steps.cancel_round(dash.services.db, cancelled.id, now=now)
    await page.goto(f"{dash.url}/putaran/{cancelled.id}")
    assert "dibatalkan: tidak ada yang dibeli" in await page.inner_text("[data-cancelled]")
    await page.goto(f"{dash.url}/putaran/{cancelled.id}/tagihan")
    assert "Putaran ini dibatalkan: tidak ada tagihan." in await page.inner_text("main")
