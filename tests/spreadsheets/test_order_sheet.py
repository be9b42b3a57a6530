"""A sheet of orders typed from paper: read as CSV or XLSX under Indonesian or English
headers; a file with any bad row is refused whole, every problem named by row and column."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from spreadsheets.errors import ImportFailed
from spreadsheets.orders import SheetOrder, is_order_sheet, read_order_sheet
from tests.support import EXAMPLES


def write(tmp_path: Path, text: str, name: str = "pesanan.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8-sig")
    return path


def problems_of(path: Path) -> list[tuple[str, int, str, str]]:
    with pytest.raises(ImportFailed) as failed:
        read_order_sheet(path, path.name)
    return [
        (p.key, int(str(p.params["row"])), str(p.params["column"]), str(p.params["value"]))
        for p in failed.value.problems
    ]


def test_the_example_sheet_holds_twelve_orders_of_five_coops() -> None:
    orders = read_order_sheet(EXAMPLES / "pesanan-contoh.csv", "pesanan-contoh.csv")

    assert len(orders) == 12
    assert len({order.coop_code for order in orders}) == 5
    assert orders[0] == SheetOrder(2, "DT", "BRS-SPHP50", 20)


def test_english_headers_lower_case_codes_grouped_thousands_and_a_zero(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "Coop Code;Product Code;Quantity;Note\n dt ;glp-50;1.000;\nkkpitb;IDM-GRG;0;remove\n",
    )

    assert read_order_sheet(path, "orders.csv") == [
        SheetOrder(2, "DT", "GLP-50", 1000),
        SheetOrder(3, "KKPITB", "IDM-GRG", 0),
    ]


def test_an_xlsx_sheet_called_pesanan_with_number_cells(tmp_path: Path) -> None:
    workbook = Workbook()
    workbook.worksheets[0].title = "catatan"
    sheet = workbook.create_sheet("Pesanan")
    sheet.append(["kode_koperasi", "kode_produk", "jumlah"])
    sheet.append(["DT", "BRS-SPHP50", 20.0])
    sheet.append(["KKPITB", "GLP-50", 3])
    path = tmp_path / "pesanan.xlsx"
    workbook.save(path)

    assert read_order_sheet(path, "pesanan.xlsx") == [
        SheetOrder(2, "DT", "BRS-SPHP50", 20),
        SheetOrder(3, "KKPITB", "GLP-50", 3),
    ]


def test_a_sheet_with_bad_rows_is_refused_naming_each_row_and_column(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "koperasi,produk,jumlah\n"
        "DT,BRS-SPHP50,20\n"
        "KKPITB,,5\n"
        'KOPERTIS4,GLP-50,"2,5"\n'
        "ATTAQWA,GLP-50,-3\n"
        "FATHULHUDA,IDM GRG,4\n"
        "dt,brs-sphp50,10\n",
    )

    assert problems_of(path) == [
        ("import_empty_value", 3, "B (produk)", ""),
        ("import_bad_quantity", 4, "C (jumlah)", "2,5"),
        ("import_bad_quantity", 5, "C (jumlah)", "-3"),
        ("import_bad_code", 6, "B (produk)", "IDM GRG"),
        ("import_duplicate_order", 7, "B (produk)", "DT BRS-SPHP50"),
    ]


def test_a_fraction_in_a_number_cell_is_not_read_as_thousands(tmp_path: Path) -> None:
    workbook = Workbook()
    only = workbook.worksheets[0]
    only.append(["koperasi", "produk", "jumlah"])
    only.append(["DT", "GLP-50", 2.125])
    path = tmp_path / "pesanan.xlsx"
    workbook.save(path)

    assert problems_of(path) == [("import_bad_quantity", 2, "C (jumlah)", "2.125")]


def test_missing_columns_and_a_sheet_without_rows_are_refused(tmp_path: Path) -> None:
    assert problems_of(write(tmp_path, "koperasi,nama,banyak\nDT,Daarut Tauhid,5\n")) == [
        ("import_missing_column", 1, "produk", "produk, product, kode_produk, product_code"),
        ("import_missing_column", 1, "jumlah", "jumlah, quantity, qty"),
    ]
    assert problems_of(write(tmp_path, "koperasi,produk,jumlah\n", "kosong.csv")) == [
        ("import_no_rows", 1, "", "")
    ]


@pytest.mark.parametrize(
    ("name", "orders"),
    [("pesanan-desember.csv", True), ("Orders Dec.xlsx", True), ("produk.csv", False),
     ("mutasi-desember.csv", False), ("pesanannya.csv", False)],
)  # fmt: skip
def test_a_file_of_orders_is_known_by_a_word_of_its_name(name: str, orders: bool) -> None:
    assert is_order_sheet(name) is orders


def test_an_unquoted_decimal_comma_is_refused_not_read_as_the_whole_part(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "koperasi,produk,jumlah\nDT,BRS-SPHP50,20,,\nPERSIS,IDM-GRG,2,5\nKKPITB,GLP-50,1,000\n",
    )

    assert problems_of(path) == [
        ("import_extra_cells", 3, "D", "5"),
        ("import_extra_cells", 4, "D", "000"),
    ]
