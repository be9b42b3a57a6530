"""The head of office prints the reports across rounds (`belanja-bareng report … --out`, the
dashboard's downloads): the wide tables read as typed, on A4."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from messages.formatting import rupiah
from purchasing.round_reports import PaymentReport, PriceReport, SupplierReport
from spreadsheets.pdf import NO_BREAK
from spreadsheets.report_files import ReportTable, write_report_files
from tests.support.samples.reports_files import SAMPLES
from usecases.reports import report_table


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
