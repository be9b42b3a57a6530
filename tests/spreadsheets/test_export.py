"""After close, the Dinas downloads the round as one workbook or as CSV files for other tools."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from purchasing.settlement import BillDue
from spreadsheets import labels as L
from spreadsheets.export import export_csv, export_workbook
from tests.support.closed_round import AUDIT, COOPS, the_outcome, the_round


def rows(sheet: Worksheet) -> list[tuple[object, ...]]:
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


def fact(sheet: Worksheet, label: str) -> object:
    return next(row[1] for row in rows(sheet) if row[0] == label)


@pytest.fixture
def workbook_path(tmp_path: Path) -> Path:
    return export_workbook(the_outcome(), the_round(), AUDIT, COOPS, tmp_path / "putaran.xlsx")


def test_the_workbook_has_the_four_sheets_in_order(workbook_path: Path) -> None:
    workbook = load_workbook(workbook_path)

    assert workbook.sheetnames == ["Ringkasan", "Pesanan Pembelian", "Tagihan", "Log Perubahan"]


def test_the_overview_shows_the_round_and_its_value_as_money_cells(workbook_path: Path) -> None:
    sheet = load_workbook(workbook_path)[L.SHEET_OVERVIEW]
    outcome = the_outcome()

    assert fact(sheet, L.ROUND) == "Belanja Bareng November"
    assert fact(sheet, L.CLOSES_AT) == "2026-11-28 10:00 WIB"
    assert fact(sheet, L.STATUS) == "Ditutup"
    assert fact(sheet, L.ORDER_VALUE) == outcome.overview.order_value
    assert fact(sheet, L.SAVINGS) == outcome.overview.savings > 0
    value_cell = next(row[1] for row in sheet.iter_rows() if row[0].value == L.ORDER_VALUE)
    assert value_cell.number_format == "#,##0"
    noodles = next(row for row in rows(sheet) if row[0] == "IDM-GRG")
    assert noodles[6] is None and noodles[-1] == L.LINE_STATUS["unfilled"]
    assert noodles[9] == 30  # short of the MOQ of 50


def test_purchase_order_rows_per_coop_add_up_to_the_supplier_total(workbook_path: Path) -> None:
    sheet = load_workbook(workbook_path)[L.SHEET_PURCHASE_ORDERS]
    order = the_outcome().purchase_orders[0]
    data = rows(sheet)[1:]

    per_coop = [row for row in data if row[5] is not None]
    assert [(row[2], row[5], row[7]) for row in per_coop] == [
        ("GLP-50", "DT", 40), ("GLP-50", "KKPITB", 20),
        ("MKITA-1L", "ATTAQWA", 112), ("MKITA-1L", "DT", 188),
    ]  # fmt: skip
    assert per_coop[0][6] == "Kopontren Daarut Tauhid"
    assert sum(int(str(row[9])) for row in per_coop) == order.total
    supplier_total = next(row for row in data if row[3] == L.TOTAL_SUPPLIER)
    assert supplier_total[9] == order.total
    product_totals = [row[7] for row in data if row[6] == L.TOTAL_PRODUCT]
    assert product_totals == [60, 300]


def test_each_coop_bill_ends_with_its_total_and_saving(workbook_path: Path) -> None:
    sheet = load_workbook(workbook_path)[L.SHEET_BILLS]
    totals = {row[0]: (row[9], row[10]) for row in rows(sheet) if row[3] == L.TOTAL_BILL}

    assert totals == {bill.coop_code: (bill.total, bill.saving) for bill in the_outcome().bills}
    cut_line = next(row for row in rows(sheet) if row[0] == "ATTAQWA" and row[2] == "MKITA-1L")
    assert cut_line[5:8] == (120, 112, 183_000)
    assert cut_line[11] == L.LINE_STATUS["cut"]


def test_the_change_log_is_in_time_order_and_in_wib(workbook_path: Path) -> None:
    sheet = load_workbook(workbook_path)[L.SHEET_AUDIT]

    assert rows(sheet)[1:] == [
        ("2026-11-22 08:05 WIB", "DT", "Kopontren Daarut Tauhid", "MKITA-1L", "Minyakita 1 L",
         0, 150, "telegram:42", "telegram", "m1"),
        ("2026-11-25 16:30 WIB", "DT", "Kopontren Daarut Tauhid", "MKITA-1L", "Minyakita 1 L",
         150, 200, "telegram:42", "telegram", "m2"),
    ]  # fmt: skip


def test_exporting_into_a_folder_names_the_file_after_the_round(tmp_path: Path) -> None:
    path = export_workbook(the_outcome(), the_round(), AUDIT, COOPS, tmp_path)

    assert path == tmp_path / "putaran-7.xlsx" and path.exists()
    assert list(tmp_path.iterdir()) == [path]


def test_the_csv_files_start_with_a_bom_and_parse_back_to_the_same_money(tmp_path: Path) -> None:
    paths = export_csv(the_outcome(), the_round(), AUDIT, COOPS, tmp_path / "csv", delimiter=",")
    outcome = the_outcome()

    assert sorted(p.name for p in paths) == [
        "audit_log.csv", "bills.csv", "overview.csv", "purchase_orders.csv",
    ]  # fmt: skip
    assert all(p.read_bytes().startswith(b"\xef\xbb\xbf") for p in paths)
    with (tmp_path / "csv" / "bills.csv").open(encoding="utf-8-sig", newline="") as file:
        bills = list(csv.DictReader(file))
    totals = {
        row[L.COOP_CODE]: int(row[L.SUBTOTAL]) for row in bills if row[L.PRODUCT] == L.TOTAL_BILL
    }
    assert totals == {bill.coop_code: bill.total for bill in outcome.bills}
    with (tmp_path / "csv" / "overview.csv").open(encoding="utf-8-sig", newline="") as file:
        overview = {row[0]: row[1] for row in csv.reader(file) if len(row) >= 2}
    assert int(overview[L.ORDER_VALUE]) == outcome.overview.order_value
    with (tmp_path / "csv" / "audit_log.csv").open(encoding="utf-8-sig", newline="") as file:
        assert len(list(csv.reader(file))) == 1 + len(AUDIT)


def test_csv_files_use_semicolons_for_indonesian_excel_unless_told_otherwise(
    tmp_path: Path,
) -> None:
    paths = export_csv(the_outcome(), the_round(), [], COOPS, tmp_path)

    header = next(p for p in paths if p.name == "purchase_orders.csv").read_text("utf-8-sig")
    assert header.startswith(f"{L.SUPPLIER_CODE};{L.SUPPLIER};")


def test_once_bills_are_being_paid_a_payments_sheet_and_csv_show_paid_and_left(
    tmp_path: Path,
) -> None:
    outcome, round_ = the_outcome(), the_round()
    first, second = outcome.bills[0], outcome.bills[1]
    bills = [
        BillDue(round_.id, round_.name, first.coop_code, first.coop_name, first.total,
                paid=first.total),
        BillDue(round_.id, round_.name, second.coop_code, second.coop_name, second.total,
                paid=1_000),
    ]  # fmt: skip

    path = export_workbook(outcome, round_, AUDIT, COOPS, tmp_path / "p.xlsx", bills=bills)
    paths = export_csv(outcome, round_, AUDIT, COOPS, tmp_path / "csv", bills=bills)

    sheet = load_workbook(path)[L.SHEET_PAYMENTS]
    table = rows(sheet)
    assert table[0] == (
        L.COOP_CODE, L.COOP, L.BILL_NUMBER, L.TOTAL_BILL, L.PAID, L.BALANCE, L.STATUS,
    )  # fmt: skip
    assert table[1][2:] == (bills[0].number, first.total, first.total, 0, L.PAID_IN_FULL)
    assert table[2][4:] == (1_000, second.total - 1_000, L.NOT_PAID)
    assert table[3][1] == L.TOTAL_ALL and table[3][4] == first.total + 1_000
    assert sheet["E2"].number_format == "#,##0"
    assert paths[-1].name == "payments.csv"
    payments_csv = paths[-1].read_text("utf-8-sig").splitlines()
    assert payments_csv[1].split(";")[2:5] == [bills[0].number, str(first.total), str(first.total)]


def test_a_name_that_looks_like_a_formula_stays_text_in_the_workbook_and_the_csv(
    tmp_path: Path,
) -> None:
    outcome = the_outcome()
    evil = '=HYPERLINK("http://x.example","klik")'
    first = outcome.bills[0]
    bills = [BillDue(1, "Maret", first.coop_code, evil, first.total)]

    path = export_workbook(outcome, the_round(), AUDIT, COOPS, tmp_path / "p.xlsx", bills=bills)
    paths = export_csv(outcome, the_round(), AUDIT, COOPS, tmp_path / "csv", bills=bills)

    cell = load_workbook(path)[L.SHEET_PAYMENTS]["B2"]
    assert (cell.value, cell.data_type) == (evil, "s")
    with paths[-1].open(encoding="utf-8-sig", newline="") as file:
        assert list(csv.reader(file, delimiter=";"))[1][1] == "'" + evil


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_text_starting_like_a_formula_never_runs_and_numbers_stay_numbers(
    tmp_path: Path, start: str
) -> None:
    outcome = the_outcome()
    evil = f'{start}cmd|" /C calc"!A0'
    first = outcome.bills[0]
    bills = [BillDue(1, "Maret", first.coop_code, evil, first.total)]

    path = export_workbook(outcome, the_round(), AUDIT, COOPS, tmp_path / "p.xlsx", bills=bills)
    paths = export_csv(outcome, the_round(), AUDIT, COOPS, tmp_path / "csv", bills=bills)

    sheet = load_workbook(path)[L.SHEET_PAYMENTS]
    shown = evil.replace("\r", "\n")  # XML keeps a carriage return as a line feed
    assert (sheet["B2"].value, sheet["B2"].data_type) == (shown, "s")  # text, not a formula
    assert (sheet["D2"].value, sheet["D2"].data_type) == (first.total, "n")
    with paths[-1].open(encoding="utf-8-sig", newline="") as file:
        row = list(csv.reader(file, delimiter=";"))[1]
    assert row[1] == "'" + evil and row[3] == str(first.total)
