"""After close, the Dinas downloads the round as one workbook or as CSV files for other tools."""

from __future__ import annotations

import csv
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from bot.exports import RoundExport, sheet_words
from purchasing.settlement import BillDue
from spreadsheets.export import export_csv, export_workbook
from tests.support.closed_round import AUDIT, CLOSES_AT, COOPS, the_outcome, the_round

ID = sheet_words("id")  # the words of an Indonesian reader


def rows(sheet: Worksheet) -> list[tuple[object, ...]]:
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


def fact(sheet: Worksheet, label: str) -> object:
    return next(row[1] for row in rows(sheet) if row[0] == label)


@pytest.fixture
def workbook_path(tmp_path: Path) -> Path:
    return export_workbook(
        the_outcome(), the_round(), AUDIT, COOPS, tmp_path / "putaran.xlsx", words=ID
    )


def test_the_workbook_has_the_four_sheets_in_order(workbook_path: Path) -> None:
    workbook = load_workbook(workbook_path)

    assert workbook.sheetnames == ["Ringkasan", "Pesanan Pembelian", "Tagihan", "Log Perubahan"]


def test_the_overview_shows_the_round_and_its_value_as_money_cells(workbook_path: Path) -> None:
    sheet = load_workbook(workbook_path)[ID.sheet_overview]
    outcome = the_outcome()

    assert fact(sheet, ID.round) == "Belanja Bareng November"
    assert fact(sheet, ID.closes_at) == "2026-11-28 10:00 WIB"
    assert fact(sheet, ID.status) == "Ditutup"
    assert fact(sheet, ID.order_value) == outcome.overview.order_value
    assert fact(sheet, ID.savings) == outcome.overview.savings > 0
    value_cell = next(row[1] for row in sheet.iter_rows() if row[0].value == ID.order_value)
    assert value_cell.number_format == "#,##0"
    noodles = next(row for row in rows(sheet) if row[0] == "IDM-GRG")
    assert noodles[6] is None and noodles[-1] == ID.line_status["unfilled"]
    assert noodles[9] == 30  # short of the MOQ of 50


def test_a_round_closed_early_says_when_it_closed_and_still_names_its_deadline(
    tmp_path: Path,
) -> None:
    early = replace(the_round(), closed_at=CLOSES_AT - timedelta(days=2, hours=1))
    path = export_workbook(the_outcome(), early, AUDIT, COOPS, tmp_path / "p.xlsx", words=ID)
    export_csv(the_outcome(), early, AUDIT, COOPS, tmp_path / "csv", delimiter=",", words=ID)
    sheet = load_workbook(path)[ID.sheet_overview]
    with (tmp_path / "csv" / "overview.csv").open(encoding="utf-8-sig", newline="") as file:
        overview = {row[0]: row[1] for row in csv.reader(file) if len(row) > 1}

    assert fact(sheet, ID.closes_at) == "2026-11-26 09:00 WIB"  # Thursday, by staff
    assert fact(sheet, ID.deadline) == "2026-11-28 10:00 WIB"
    assert (overview[ID.closes_at], overview[ID.deadline]) == (
        "2026-11-26 09:00 WIB", "2026-11-28 10:00 WIB",
    )  # fmt: skip


def test_a_round_closed_by_the_sweep_at_its_deadline_shows_one_time(tmp_path: Path) -> None:
    on_time = replace(the_round(), closed_at=CLOSES_AT + timedelta(seconds=40))
    path = export_workbook(the_outcome(), on_time, AUDIT, COOPS, tmp_path / "p.xlsx", words=ID)
    sheet = load_workbook(path)[ID.sheet_overview]

    assert fact(sheet, ID.closes_at) == "2026-11-28 10:00 WIB"
    assert ID.deadline not in [row[0] for row in rows(sheet)]


def test_purchase_order_rows_per_coop_add_up_to_the_supplier_total(workbook_path: Path) -> None:
    sheet = load_workbook(workbook_path)[ID.sheet_purchase_orders]
    order = the_outcome().purchase_orders[0]
    data = rows(sheet)[1:]

    per_coop = [row for row in data if row[5] is not None]
    assert [(row[2], row[5], row[7]) for row in per_coop] == [
        ("GLP-50", "DT", 40), ("GLP-50", "KKPITB", 20),
        ("MKITA-1L", "ATTAQWA", 112), ("MKITA-1L", "DT", 188),
    ]  # fmt: skip
    assert per_coop[0][6] == "Kopontren Daarut Tauhid"
    assert sum(int(str(row[9])) for row in per_coop) == order.total
    supplier_total = next(row for row in data if row[3] == ID.total_supplier)
    assert supplier_total[9] == order.total
    product_totals = [row[7] for row in data if row[6] == ID.total_product]
    assert product_totals == [60, 300]


def test_each_coop_bill_ends_with_its_total_and_saving(workbook_path: Path) -> None:
    sheet = load_workbook(workbook_path)[ID.sheet_bills]
    totals = {row[0]: (row[9], row[10]) for row in rows(sheet) if row[3] == ID.total_bill}

    assert totals == {bill.coop_code: (bill.total, bill.saving) for bill in the_outcome().bills}
    cut_line = next(row for row in rows(sheet) if row[0] == "ATTAQWA" and row[2] == "MKITA-1L")
    assert cut_line[5:8] == (120, 112, 183_000)
    assert cut_line[11] == ID.line_status["cut"]


def test_the_change_log_is_in_time_order_and_in_wib(workbook_path: Path) -> None:
    sheet = load_workbook(workbook_path)[ID.sheet_audit]

    assert rows(sheet)[1:] == [
        ("2026-11-22 08:05 WIB", "DT", "Kopontren Daarut Tauhid", "MKITA-1L", "Minyakita 1 L",
         0, 150, "telegram:42", "telegram", "m1"),
        ("2026-11-25 16:30 WIB", "DT", "Kopontren Daarut Tauhid", "MKITA-1L", "Minyakita 1 L",
         150, 200, "telegram:42", "telegram", "m2"),
    ]  # fmt: skip


def test_exporting_into_a_folder_names_the_file_after_the_round(tmp_path: Path) -> None:
    path = export_workbook(the_outcome(), the_round(), AUDIT, COOPS, tmp_path, words=ID)

    assert path == tmp_path / "putaran-7.xlsx" and path.exists()
    assert list(tmp_path.iterdir()) == [path]


def test_the_csv_files_start_with_a_bom_and_parse_back_to_the_same_money(tmp_path: Path) -> None:
    paths = export_csv(
        the_outcome(), the_round(), AUDIT, COOPS, tmp_path / "csv", delimiter=",", words=ID
    )
    outcome = the_outcome()

    assert sorted(p.name for p in paths) == [
        "audit_log.csv", "bills.csv", "overview.csv", "purchase_orders.csv",
    ]  # fmt: skip
    assert all(p.read_bytes().startswith(b"\xef\xbb\xbf") for p in paths)
    with (tmp_path / "csv" / "bills.csv").open(encoding="utf-8-sig", newline="") as file:
        bills = list(csv.DictReader(file))
    totals = {
        row[ID.coop_code]: int(row[ID.subtotal])
        for row in bills
        if row[ID.product] == ID.total_bill
    }
    assert totals == {bill.coop_code: bill.total for bill in outcome.bills}
    with (tmp_path / "csv" / "overview.csv").open(encoding="utf-8-sig", newline="") as file:
        overview = {row[0]: row[1] for row in csv.reader(file) if len(row) >= 2}
    assert int(overview[ID.order_value]) == outcome.overview.order_value
    with (tmp_path / "csv" / "audit_log.csv").open(encoding="utf-8-sig", newline="") as file:
        assert len(list(csv.reader(file))) == 1 + len(AUDIT)


def test_csv_files_use_semicolons_for_indonesian_excel_unless_told_otherwise(
    tmp_path: Path,
) -> None:
    paths = export_csv(the_outcome(), the_round(), [], COOPS, tmp_path, words=ID)

    header = next(p for p in paths if p.name == "purchase_orders.csv").read_text("utf-8-sig")
    assert header.startswith(f"{ID.supplier_code};{ID.supplier};")


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

    path = export_workbook(
        outcome, round_, AUDIT, COOPS, tmp_path / "p.xlsx", bills=bills, words=ID
    )
    paths = export_csv(outcome, round_, AUDIT, COOPS, tmp_path / "csv", bills=bills, words=ID)

    sheet = load_workbook(path)[ID.sheet_payments]
    table = rows(sheet)
    assert table[0] == (
        ID.coop_code, ID.coop, ID.bill_number, ID.total_bill, ID.paid, ID.balance,
        ID.overpayment, ID.status,
    )  # fmt: skip
    assert table[1][2:] == (bills[0].number, first.total, first.total, 0, 0, ID.paid_in_full)
    assert table[2][4:] == (1_000, second.total - 1_000, 0, ID.not_paid)
    assert table[3][1] == ID.total_all and table[3][4] == first.total + 1_000
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

    path = export_workbook(
        outcome, the_round(), AUDIT, COOPS, tmp_path / "p.xlsx", bills=bills, words=ID
    )
    paths = export_csv(outcome, the_round(), AUDIT, COOPS, tmp_path / "csv", bills=bills, words=ID)

    cell = load_workbook(path)[ID.sheet_payments]["B2"]
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

    path = export_workbook(
        outcome, the_round(), AUDIT, COOPS, tmp_path / "p.xlsx", bills=bills, words=ID
    )
    paths = export_csv(outcome, the_round(), AUDIT, COOPS, tmp_path / "csv", bills=bills, words=ID)

    sheet = load_workbook(path)[ID.sheet_payments]
    shown = evil.replace("\r", "\n")  # XML keeps a carriage return as a line feed
    assert (sheet["B2"].value, sheet["B2"].data_type) == (shown, "s")  # text, not a formula
    assert (sheet["D2"].value, sheet["D2"].data_type) == (first.total, "n")
    with paths[-1].open(encoding="utf-8-sig", newline="") as file:
        row = list(csv.reader(file, delimiter=";"))[1]
    assert row[1] == "'" + evil and row[3] == str(first.total)


def test_the_csv_files_are_written_before_the_workbook(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A script waiting for the CSVs does not wait for a big round's workbook: here the
    workbook cannot be written at all (the disk refuses it), and the CSVs are there all the
    same, and no half-written workbook is left behind."""
    export = RoundExport(the_round(), the_outcome(), AUDIT, COOPS)

    def disk_full(workbook: Workbook, filename: str) -> None:
        Path(filename).write_bytes(b"PK")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Workbook, "save", disk_full)

    with pytest.raises(OSError):
        export.files(tmp_path)

    assert sorted(p.name for p in tmp_path.glob("*.csv")) == [
        "audit_log.csv", "bills.csv", "overview.csv", "purchase_orders.csv",
    ]  # fmt: skip
    assert not list(tmp_path.glob("*.xlsx*"))


def test_an_english_reader_gets_english_sheets_headers_and_statuses(tmp_path: Path) -> None:
    export = RoundExport(the_round(), the_outcome(), AUDIT, COOPS)

    paths = export.files(tmp_path, words=sheet_words("en"))

    workbook = load_workbook(paths[0])
    assert workbook.sheetnames == ["Overview", "Purchase Orders", "Bills", "Change Log"]
    overview = workbook["Overview"]
    assert fact(overview, "Status") == "Closed"
    assert fact(overview, "Closes") == "2026-11-28 10:00 WIB"
    assert rows(workbook["Change Log"])[0][:3] == ("Time (WIB)", "Coop Code", "Coop")
    assert [p.name for p in paths[1:]] == [
        "overview.csv", "purchase_orders.csv", "bills.csv", "audit_log.csv",
    ]  # fmt: skip
    bills = (tmp_path / "bills.csv").read_text("utf-8-sig")
    assert bills.startswith("Coop Code;Coop;Product Code;") and "Bill total" in bills
