"""The supplier file may say where to transfer: an optional `rekening` column, read like
`kontak` (one cell of free text, at most 120 characters)."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from purchasing.model import Supplier
from spreadsheets import columns as c
from spreadsheets.catalog_xlsx import write_catalog_workbook
from spreadsheets.errors import ImportFailed
from spreadsheets.importing import Catalog, read_catalog_workbook, read_suppliers
from tests.support import EXAMPLES

BRI = "BRI 0123-01-000123-30-1 a.n. Perum Bulog"


def pemasok_csv(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "pemasok.csv"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("header", ["rekening", "Account", "No. Rekening", "NO_REKENING"])
def test_the_account_column_may_be_called_rekening_account_or_no_rekening(
    tmp_path: Path, header: str
) -> None:
    path = pemasok_csv(tmp_path, f"kode;nama;{header}\nbulog;Perum Bulog;  {BRI} \n")

    assert read_suppliers(path) == [Supplier("BULOG", "Perum Bulog", account=BRI)]


def test_the_sample_suppliers_each_name_an_account_and_the_workbook_holds_the_same() -> None:
    suppliers = read_suppliers(EXAMPLES / "pemasok.csv")
    workbook = read_catalog_workbook(EXAMPLES / "katalog.xlsx")

    assert all(" a.n. " in s.account for s in suppliers) and len(suppliers) == 4
    assert [s.account for s in workbook.suppliers] == [s.account for s in suppliers]


def test_a_file_without_the_column_or_with_a_blank_cell_gives_no_account(tmp_path: Path) -> None:
    without = pemasok_csv(tmp_path, "kode,nama,kontak\nS1,Pemasok Satu,0812\n")
    blank = tmp_path / "pemasok.xlsx"
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["kode", "nama", "rekening"])
    sheet.append(["S1", "Pemasok Satu", None])
    workbook.save(blank)

    assert read_suppliers(without) == [Supplier("S1", "Pemasok Satu", "0812", "")]
    assert read_suppliers(blank) == [Supplier("S1", "Pemasok Satu", "", "")]


def test_html_and_a_leading_equals_sign_are_kept_as_text_and_a_line_break_becomes_a_space(
    tmp_path: Path,
) -> None:
    path = pemasok_csv(
        tmp_path,
        "kode,nama,rekening\n"
        'S1,Satu,"BCA 123 a.n. <b>Toko</b> & Co"\n'
        'S2,Dua,"=HYPERLINK(""http://x"")"\n'
        'S3,Tiga,"Mandiri 456\na.n. Toko Tiga"\n',
    )

    assert [s.account for s in read_suppliers(path)] == [
        "BCA 123 a.n. <b>Toko</b> & Co",
        '=HYPERLINK("http://x")',
        "Mandiri 456 a.n. Toko Tiga",
    ]


def test_an_account_too_long_or_with_control_characters_refuses_the_file(tmp_path: Path) -> None:
    path = pemasok_csv(
        tmp_path, f"kode,nama,kontak,rekening\nS1,Satu,,{'1' * 121}\nS2,Dua,,BRI\x07 123\n"
    )

    with pytest.raises(ImportFailed) as failed:
        read_suppliers(path)

    assert [(p.key, p.params["row"], p.params["column"]) for p in failed.value.problems] == [
        ("import_text_too_long", 2, "D (rekening)"),
        ("import_control_characters", 3, "D (rekening)"),
    ]
    assert failed.value.problems[0].params["limit"] == 120


def test_the_catalog_workbook_the_app_writes_keeps_a_formula_looking_name_as_text(
    tmp_path: Path,
) -> None:
    evil = '=HYPERLINK("http://x.example","klik")'
    catalog = Catalog((), (Supplier("S1", evil, account=evil),), ())

    path = write_catalog_workbook(catalog, tmp_path / "katalog.xlsx")

    cell = load_workbook(path)[c.SUPPLIER_SHEETS[0]]["B2"]
    assert (cell.value, cell.data_type) == (evil, "s")
