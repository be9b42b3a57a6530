"""The head of office opens and prints the reports across rounds (`belanja-bareng report …
--out`, the dashboard's downloads): days are real dates in Excel, on the office's calendar,
and the wide tables read as typed, on A4."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from messages.formatting import rupiah
from purchasing.reports import ClosedRoundRef
from purchasing.round_reports import (
    PaymentReport,
    PriceLine,
    PriceReport,
    SupplierReport,
    SupplyLine,
    price_report,
    supplier_report,
)
from purchasing.times import WIB
from spreadsheets.pdf import NO_BREAK
from spreadsheets.report_files import ReportTable, write_report_files
from tests.support.samples.reports_files import SAMPLES
from usecases.reports import report_table, write_files

# Closed on Fri 4 Dec 2026 at 20.00 UTC: Sat 5 Dec 03.00 WIB, the day the office calls it.
LATE_NIGHT = ClosedRoundRef(1, "Belanja Bareng Desember", datetime(2026, 12, 4, 20, 0, tzinfo=UTC))


def _printed(table: ReportTable, out: Path) -> tuple[PdfReader, list[str]]:
    files = write_report_files(table, out, "laporan", rupiah)
    [pdf] = [file for file in files if file.suffix == ".pdf"]
    reader = PdfReader(pdf)
    text = "\n".join(page.extract_text() for page in reader.pages).replace(NO_BREAK, " ")
    return reader, [line.strip() for line in text.splitlines()]


@pytest.mark.parametrize("name", ["prices", "suppliers", "payments"])
def test_a_printed_report_wraps_its_cells_between_words_never_inside_one(
    name: str, tmp_path: Path
) -> None:
    report = SAMPLES[f"cli/report_{name}"]["report"]
    assert isinstance(report, PriceReport | SupplierReport | PaymentReport)
    table = report_table(report, "id")  # 8 to 11 columns

    reader, lines = _printed(table, tmp_path)

    page = reader.pages[0].mediabox
    assert page.width > page.height  # A4 on its side for so many columns
    printed = {word for line in lines for word in line.split()}
    typed = [*table.header, *(cell for row in table.rows for cell in row if isinstance(cell, str))]
    assert {word for text in typed for word in text.split()} - printed == set()
    money = [cell for row in table.rows for n in table.money if isinstance(cell := row[n], int)]
    assert all(rupiah(amount) in lines for amount in money)  # "Rp" beside its figure


async def test_the_xlsx_holds_real_dates_of_the_office_s_day_and_the_csv_iso_text(
    tmp_path: Path,
) -> None:
    prices = price_report([PriceLine(LATE_NIGHT, "BRS", "Beras", "karung", 630_000, 675_000, 5)])
    # Bulog delivers on Mon 7 Dec; DT confirms at 23.30 UTC that day, Tue 8 Dec in WIB.
    received = datetime(2026, 12, 7, 23, 30, tzinfo=UTC)
    supplies = supplier_report(
        [SupplyLine(LATE_NIGHT, "BULOG", "Bulog", "DT", 5, 0, 0, date(2026, 12, 7), received)],
        WIB,
    )

    await write_files(prices, "prices", tmp_path, "id", WIB)
    await write_files(supplies, "suppliers", tmp_path, "id", WIB)

    sheet = load_workbook(tmp_path / "prices.xlsx").active
    assert sheet is not None
    closed = sheet.cell(row=2, column=6)  # Tanggal tutup: a date, not text
    assert (closed.value, closed.number_format) == (datetime(2026, 12, 5), "dd-mm-yyyy")
    sheet = load_workbook(tmp_path / "suppliers.xlsx").active
    assert sheet is not None
    days = [(cell.value, cell.number_format) for cell in sheet[2][8:10]]  # delivery, receipt
    assert days == [(datetime(2026, 12, d), "dd-mm-yyyy") for d in (7, 8)]
    csv = (tmp_path / "suppliers.csv").read_text(encoding="utf-8-sig").splitlines()
    assert csv[1].endswith(";2026-12-07;2026-12-08;1"), csv[1]
    assert ";2026-12-05;" in (tmp_path / "prices.csv").read_text(encoding="utf-8-sig")
    _, lines = _printed(report_table(supplies, "id", WIB), tmp_path / "pdf")
    assert {"07-12-2026", "08-12-2026"} <= {word for line in lines for word in line.split()}
