"""The head of office reads the reports of prices, suppliers and payments on the dashboard,
and downloads each as XLSX, CSV and PDF in her language.

The story: the example round closes on Tue 1 Dec 2026 08.00 WIB with DT's 12 and ATTAQWA's
7 karung of sugar (GLP-50: 19 reach the tier of 10, Rp 855.000 against a market price of
Rp 900.000) and KKPITB's 10 karung of rice below their MOQ of 20. Bulog confirms delivery
on Thu 3 Dec; DT confirms its receipt on Sat 5 Dec (2 days late), ATTAQWA not yet. DT pays
its Rp 10.260.000 on Wed 9 Dec, a day after the due day (Tue 8 Dec); ATTAQWA owes
Rp 5.985.000, past due on Thu 10 Dec."""

from __future__ import annotations

from datetime import UTC, date, datetime
from io import BytesIO
from pathlib import Path

from openpyxl import load_workbook
from playwright.async_api import Browser, Page

import tests.support.use_case_steps as steps
from purchasing.model import Rep, Round
from spreadsheets.charts import PNG_SIGNATURE
from storage import payments
from storage.people import reps
from tests.bot.dashboard.conftest import Dash
from usecases.receipts import confirm_receipt
from usecases.supply import confirm_purchase_order

ORDERS = [("DT", "GLP-50", 12), ("KKPITB", "BRS-SPHP50", 10), ("ATTAQWA", "GLP-50", 7)]


async def _the_story(dash: Dash, round_: Round) -> None:
    db = dash.services.db
    for coop, product, quantity in ORDERS:
        await steps.set_commitment(
            db, round_id=round_.id, coop_code=coop, product_code=product, quantity=quantity,
            actor="telegram:5001", via="telegram:5001", now=dash.clock(),
        )  # fmt: skip
    await steps.close_round(db, round_.id, dash.clock(), force=True)
    await confirm_purchase_order(dash.services, "BULOG", date(2026, 12, 3), {}, "telegram:7001")
    dash.clock.now = datetime(2026, 12, 5, 3, 0, tzinfo=UTC)  # Sat 5 Dec 10.00 WIB
    await confirm_receipt(dash.services, "DT", {}, "telegram:5001")
    dash.clock.now = datetime(2026, 12, 10, 3, 0, tzinfo=UTC)  # Thu 10 Dec 10.00 WIB
    dt = next(bill for bill in await payments.bills_due(db) if bill.coop_code == "DT")
    await payments.record_payment(
        db, dt, dt.total, date(2026, 12, 9), "TRF TG-001-DT", "statement", "k1",
        "telegram:9001", dash.clock(),
    )  # fmt: skip


REPORT_PATHS = ("hemat", "koperasi", "harga", "pemasok", "pembayaran")


async def _opening(page: Page) -> list[str]:
    """The first three elements of the page's content."""
    tags = await page.evaluate(
        "() => [...document.querySelector('main').children].map(e => e.tagName)"
    )
    assert isinstance(tags, list)
    return [str(tag) for tag in tags[:3]]


async def _text(page: Page, selector: str) -> str:
    return " ".join((await page.locator(selector).first.inner_text()).split())


async def test_the_reports_show_prices_suppliers_and_payments(
    dash: Dash, chat_round: Round, browser: Browser
) -> None:
    await _the_story(dash, chat_round)
    _, page = await dash.signed_in(browser)

    await page.get_by_role("link", name="Laporan harga").click()  # a row per product: its latest
    sugar = await _text(page, "tr[data-product='GLP-50']")
    assert "Rp 900.000" in sugar and "Rp 855.000" in sugar and "19 karung" in sugar
    rice = await _text(page, "tr[data-product='BRS-SPHP50']")
    assert "tidak dibeli (tanpa pesanan atau di bawah MOQ)" in rice

    await page.get_by_role("link", name="Laporan pemasok").click()
    bulog = await _text(page, f"tr[data-supplier='{chat_round.id}-BULOG']")
    assert bulog.endswith("19 19 12 1 dari 2 03-12-2026 2 hari sejauh ini"), bulog  # 1 of 2 in

    await page.get_by_role("link", name="Laporan pembayaran").click()
    figures = [await _text(page, f"[data-figure={name}]") for name in ("on_time", "late", "owed")]
    assert figures == ["0 dari 2", "1", "Rp 5.985.000"]
    attaqwa = await _text(page, "tr[data-coop='ATTAQWA']")
    assert attaqwa.endswith("1 0 0 1 Rp 5.985.000 1"), attaqwa
    assert (await _text(page, "tr[data-coop='DT']")).endswith("1 0 1 0 Rp 0 0")


async def test_the_coops_page_names_each_treasurer_and_the_chat_app_to_reach_them_on(
    dash: Dash, chat_round: Round, browser: Browser
) -> None:
    # DT's treasurer is Bu Siti on Telegram; ATTAQWA's joined on WhatsApp without a name.
    for rep in (
        Rep("telegram", "5001", "DT", display_name="Bu Siti"),
        Rep("whatsapp", "6281200000105", "ATTAQWA"),
    ):
        await reps.add_rep(dash.services.db, rep, dash.clock())
    await _the_story(dash, chat_round)
    _, page = await dash.signed_in(browser)

    await page.get_by_role("link", name="Laporan koperasi").click()

    dt = await _text(page, "table[data-list=new] tr[data-coop='DT']")
    assert "Bu Siti (Telegram)" in dt and "telegram" not in dt
    assert "6281200000105 (WhatsApp)" in await _text(page, "tr[data-coop='ATTAQWA']")


async def test_each_report_downloads_as_xlsx_csv_and_pdf(
    dash: Dash, chat_round: Round, browser: Browser, tmp_path: Path
) -> None:
    await _the_story(dash, chat_round)
    context, page = await dash.signed_in(browser)
    await page.goto(f"{dash.url}/laporan/pembayaran")

    async with page.expect_download() as waiting:
        await page.get_by_role("link", name="Excel (XLSX)").click()
    download = await waiting.value
    assert download.suggested_filename == "payments.xlsx"
    saved = tmp_path / download.suggested_filename
    await download.save_as(saved)
    sheet = load_workbook(saved).active
    assert sheet is not None
    assert [cell.value for cell in sheet[1]][:3] == ["Kode koperasi", "Koperasi", "Tagihan"]
    rows = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["ATTAQWA"][2:] == (1, 0, 0, 1, 5_985_000, 1)

    for path, name in (("harga", "prices"), ("pemasok", "suppliers"), ("pembayaran", "payments")):
        xlsx = await context.request.get(f"{dash.url}/laporan/{path}.xlsx")
        assert xlsx.status == 200
        assert load_workbook(BytesIO(await xlsx.body())).active is not None
        csv = await context.request.get(f"{dash.url}/laporan/{path}.csv")
        assert csv.headers["content-disposition"] == f'attachment; filename="{name}.csv"'
        assert (await csv.body()).startswith("\ufeff".encode())
        pdf = await context.request.get(f"{dash.url}/laporan/{path}.pdf")
        assert (await pdf.body()).startswith(b"%PDF")
    csv = await context.request.get(f"{dash.url}/laporan/pemasok.csv")
    assert "BULOG;" in (await csv.body()).decode("utf-8-sig")


async def test_each_report_page_shows_its_chart_which_nobody_else_gets(
    dash: Dash, chat_round: Round, browser: Browser
) -> None:
    await _the_story(dash, chat_round)
    context, page = await dash.signed_in(browser)

    for path in REPORT_PATHS:
        await page.goto(f"{dash.url}/laporan/{path}")
        chart = page.locator(f"figure.chart img[data-chart='{path}']")
        assert await chart.evaluate("img => img.complete && img.naturalWidth") == 1080, path
        assert await _opening(page) == ["H1", "P", "FIGURE"], path  # its title, a line, the chart
    assert await chart.get_attribute("alt") == (
        "Grafik disiplin pembayaran 2 tagihan: 0 lunas tepat waktu, 1 lunas terlambat, "
        "1 belum lunas (sisa Rp 5.985.000, 1 lewat jatuh tempo)."
    )
    png = await context.request.get(f"{dash.url}/laporan/pembayaran.png")
    assert png.headers["content-type"] == "image/png"
    assert (await png.body()).startswith(PNG_SIGNATURE)

    stranger = await browser.new_context()
    refused = await stranger.request.get(f"{dash.url}/laporan/pembayaran.png")
    assert refused.status == 403
    assert not (await refused.body()).startswith(PNG_SIGNATURE)


async def test_before_any_round_closes_each_report_page_still_opens_with_its_chart(
    dash: Dash, chat_round: Round, browser: Browser
) -> None:
    _, page = await dash.signed_in(browser)

    for path in REPORT_PATHS:
        await page.goto(f"{dash.url}/laporan/{path}")
        assert await _opening(page) == ["H1", "P", "FIGURE"], path
    chart = page.locator("figure.chart img[data-chart='pembayaran']")
    assert await chart.evaluate("img => img.complete && img.naturalWidth") == 1080
    await page.goto(f"{dash.url}/laporan/koperasi")
    alt = await page.locator("figure.chart img[data-chart='koperasi']").get_attribute("alt")
    assert alt == "Grafik keikutsertaan koperasi: belum ada putaran yang ditutup."
