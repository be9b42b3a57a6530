"""After the close, the Dinas prints from the round's workbook one sheet per party: each
supplier's purchase order ("SP BULOG") and each coop's bill ("TG DT"), laid out for A4."""

from __future__ import annotations

import csv
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import Cell, MergedCell
from openpyxl.worksheet.worksheet import Worksheet

from bot.config import OfficeConfig
from bot.exports import RoundExport, sheet_words
from purchasing.model import Coop, Round, RoundStatus, Supplier
from purchasing.outcome import Bill, RoundOutcome
from purchasing.paperwork import bill_number, purchase_order_number
from spreadsheets import party_sheets
from spreadsheets.export import CSV_NAMES, export_csv, export_workbook
from spreadsheets.print_setup import PrintRow, PrintSheet, RowKind, write_print_sheet
from spreadsheets.styles import DATE_FORMAT, RUPIAH_FORMAT
from tests.support.closed_round import AUDIT, CLOSES_AT, COOPS, bill_line, the_outcome, the_round

ID = sheet_words("id")  # the words of an Indonesian reader

CAFE = "Café Ñusantara"
DT_ADDRESS = "Jl. Gegerkalong Girang No. 38, Bandung"
OFFICE = OfficeConfig(
    address="Jl. Kawaluyaan Indah Raya No. 4, Bandung", contact="022-7302525",
    signatory="Kepala Bidang Koperasi", payment_instructions="Transfer ke Bank BJB 0001234567890",
    payment_terms="Dibayar 14 hari setelah barang diterima.", bill_due_days=10,
)  # fmt: skip
A4 = 9  # Excel's number for the paper size
AnyCell = Cell | MergedCell
PARTY_SHEETS = ["SP BULOG", "TG ATTAQWA", "TG DT", "TG KKPITB"]


def cafe(coop: Coop) -> Coop:
    """DT renamed "Café Ñusantara", with its delivery address and contact."""
    return replace(coop, name=CAFE, address=DT_ADDRESS, contact="0812-0000-0101")


PARTIES = [cafe(coop) if coop.code == "DT" else coop for coop in COOPS]


def cafe_outcome() -> RoundOutcome:
    outcome = the_outcome()
    bills = [replace(b, coop_name=CAFE) if b.coop_code == "DT" else b for b in outcome.bills]
    return replace(outcome, bills=tuple(bills))


def printed(
    tmp_path: Path,
    outcome: RoundOutcome | None = None,
    office: OfficeConfig | None = OFFICE,
    round_: Round | None = None,
) -> Workbook:
    """The round's workbook as written and opened again."""
    path = export_workbook(
        outcome or cafe_outcome(),
        round_ or the_round(),
        AUDIT,
        PARTIES,
        tmp_path / "p.xlsx",
        office=office,
        words=ID,
    )
    return load_workbook(path)


def row_of(sheet: Worksheet, first_cell: str) -> int:
    """The number of the first row whose first cell is `first_cell`."""
    column_a = sheet.iter_rows(max_col=1, values_only=True)
    return next(number for number, (value,) in enumerate(column_a, start=1) if value == first_cell)


def fact(sheet: Worksheet, label: str) -> Cell:
    """The value cell beside `label` in the document's facts (the first of a merged range)."""
    cell = sheet.cell(row_of(sheet, label), 2)
    assert isinstance(cell, Cell)
    return cell


def block(sheet: Worksheet, label: str) -> list[object]:
    """A fact over several lines: its value and the lines under it without a label."""
    first = row_of(sheet, label)
    values: list[object] = []
    for number in range(first, sheet.max_row + 1):
        if number > first and (sheet.cell(number, 1).value or not sheet.cell(number, 2).value):
            break
        values.append(sheet.cell(number, 2).value)
    return values


def table(sheet: Worksheet, first_column: str) -> list[tuple[AnyCell, ...]]:
    """The rows of the table whose header starts with `first_column`, its total included."""
    rows = list(sheet.iter_rows())
    start = next(n for n, row in enumerate(rows) if row[0].value == first_column)
    body = []
    for row in rows[start + 1 :]:
        if all(cell.value is None for cell in row):
            break
        body.append(row)
    return body


def values(row: tuple[AnyCell, ...]) -> tuple[object, ...]:
    return tuple(cell.value for cell in row)


def test_the_workbook_goes_on_with_one_sheet_per_supplier_then_per_coop_and_the_csvs_stay(
    tmp_path: Path,
) -> None:
    workbook = printed(tmp_path)
    paths = export_csv(cafe_outcome(), the_round(), AUDIT, PARTIES, tmp_path / "csv", words=ID)

    assert workbook.sheetnames == [
        ID.sheet_overview, ID.sheet_purchase_orders, ID.sheet_bills, ID.sheet_audit, *PARTY_SHEETS,
    ]  # fmt: skip
    assert [path.name for path in paths] == list(CSV_NAMES[:4])
    with (tmp_path / "csv" / "bills.csv").open(encoding="utf-8-sig", newline="") as file:
        assert next(csv.reader(file, delimiter=";"))[0] == ID.coop_code


def test_dinas_prints_one_coops_bill_on_a4_fit_to_width_with_real_dates_and_rupiah(
    tmp_path: Path,
) -> None:
    sheet = printed(tmp_path)["TG DT"]
    bill = cafe_outcome().bills[1]

    setup = sheet.page_setup
    assert (setup.paperSize, setup.orientation) == (A4, "landscape")
    assert (setup.fitToWidth, setup.fitToHeight) == (1, 0)
    assert sheet.sheet_properties.pageSetUpPr is not None
    assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
    assert sheet.print_area == f"'TG DT'!$A$1:$J${sheet.max_row}"
    header = row_of(sheet, ID.product_code)
    assert sheet.print_title_rows == f"${header}:${header}"
    assert sheet.oddFooter is not None and sheet.oddFooter.left.text == "TG-007-DT"
    assert sheet["A1"].value == ID.title_bill
    assert fact(sheet, ID.number).value == bill_number(7, "DT") == "TG-007-DT"
    issued, due = fact(sheet, ID.issued_on), fact(sheet, ID.due_on)
    assert (issued.value, due.value) == (datetime(2026, 11, 28), datetime(2026, 12, 8))
    assert issued.is_date and due.is_date and issued.number_format == DATE_FORMAT
    assert block(sheet, ID.sender) == [OFFICE.name, OFFICE.address, OFFICE.contact]
    assert block(sheet, ID.recipient) == [f"{CAFE} (DT)", DT_ADDRESS, "0812-0000-0101"]
    *lines, total = table(sheet, ID.product_code)
    assert [values(line)[:6] for line in lines] == [
        ("GLP-50", "Gula pasir 50 kg", "karung", 40, 40, 855_000),
        ("MKITA-1L", "Minyakita 1 L", "dus", 200, 188, 183_000),
    ]
    assert lines[1][9].value == ID.line_status["cut"]
    assert values(total)[7:9] == (bill.total, bill.saving)
    assert {cell.number_format for line in (*lines, total) for cell in line[7:9]} == {RUPIAH_FORMAT}
    assert (fact(sheet, ID.total_bill).value, fact(sheet, ID.total_bill).number_format) == (
        bill.total,
        RUPIAH_FORMAT,
    )
    assert fact(sheet, ID.how_to_pay).value == OFFICE.payment_instructions
    assert fact(sheet, ID.transfer_reference).value == "TG-007-DT"


def test_a_round_closed_early_dates_its_bills_and_orders_the_day_it_closed(
    tmp_path: Path,
) -> None:
    early = replace(the_round(), closed_at=CLOSES_AT - timedelta(days=2))  # Thursday 26 Nov
    workbook = printed(tmp_path, round_=early)
    bill, order = workbook["TG DT"], workbook["SP BULOG"]

    # Due 10 days after the close, as the reminders and the overdue list count it.
    assert (fact(bill, ID.issued_on).value, fact(bill, ID.due_on).value) == (
        datetime(2026, 11, 26), datetime(2026, 12, 6),
    )  # fmt: skip
    assert fact(order, ID.issued_on).value == datetime(2026, 11, 26)


def test_a_coops_bill_sheet_shows_its_lines_not_ordered_and_nobody_elses(tmp_path: Path) -> None:
    sheet = printed(tmp_path)["TG KKPITB"]

    *lines, total = table(sheet, ID.product_code)

    assert [(line[0].value, line[9].value) for line in lines] == [
        ("GLP-50", ID.line_status["filled"]),
        ("IDM-GRG", ID.line_status["unfilled"]),
    ]
    assert lines[1][5].value is None and lines[1][7].value == 0  # not billed
    assert total[7].value == 20 * 855_000
    assert fact(sheet, ID.delivery_note).value == "Diantar Senin, 30 November"


def test_coops_cut_to_nothing_or_not_ordered_at_all_get_no_bill_sheet_and_no_bill_rows(
    tmp_path: Path,
) -> None:
    """PERSIS asked for 2 dus of oil and the supply cap left it none; PUSDAI asked only for
    noodles, which missed the MOQ: neither owes anything, so neither is billed."""
    outcome = cafe_outcome()
    oil, noodles = outcome.products[1], outcome.products[2]
    nothing = (
        Bill("PERSIS", "Koperasi PERSIS", (bill_line(oil, 2, 0),), ""),
        Bill("PUSDAI", "Kopontren Pusdai", (bill_line(noodles, 5, 0),), ""),
    )
    outcome = replace(outcome, bills=(*outcome.bills, *nothing))

    book = printed(tmp_path, outcome)
    export_csv(outcome, the_round(), AUDIT, PARTIES, tmp_path / "csv", words=ID)

    assert [name for name in book.sheetnames if name.startswith("TG ")] == PARTY_SHEETS[1:]
    billed = {row[0] for row in book[ID.sheet_bills].iter_rows(min_row=2, values_only=True)}
    assert billed == {"ATTAQWA", "DT", "KKPITB"}
    with (tmp_path / "csv" / "bills.csv").open(encoding="utf-8-sig", newline="") as file:
        assert {row[0] for row in list(csv.reader(file, delimiter=";"))[1:]} == billed


def test_bulog_prints_its_purchase_order_with_where_each_coop_gets_what(tmp_path: Path) -> None:
    sheet = printed(tmp_path)["SP BULOG"]
    order = the_outcome().purchase_orders[0]

    assert (sheet.page_setup.paperSize, sheet.page_setup.fitToWidth) == (A4, 1)
    assert sheet["A1"].value == ID.title_purchase_order
    assert fact(sheet, ID.number).value == purchase_order_number(7, "BULOG") == "SP-007-BULOG"
    assert fact(sheet, ID.issued_on).value == datetime(2026, 11, 28)
    assert fact(sheet, ID.issued_on).is_date
    assert block(sheet, ID.recipient) == ["Perum Bulog (BULOG)"]
    *products, total = table(sheet, ID.product_code)
    assert [values(row) for row in products] == [
        ("GLP-50", "Gula pasir 50 kg", "karung", 60, 855_000, 51_300_000, None, None),
        ("MKITA-1L", "Minyakita 1 L", "dus", 300, 183_000, 54_900_000, None, None),
    ]
    assert products[0][5].number_format == RUPIAH_FORMAT and total[5].value == order.total
    deliveries = [values(row)[:7] for row in table(sheet, ID.coop_code)]
    assert deliveries == [
        ("ATTAQWA", "Kojamas At-Taqwa", None, None, "MKITA-1L", "Minyakita 1 L", 112),
        ("DT", CAFE, DT_ADDRESS, "0812-0000-0101", "GLP-50", "Gula pasir 50 kg", 40),
        ("DT", None, None, None, "MKITA-1L", "Minyakita 1 L", 188),
        ("KKPITB", "KKP ITB", None, None, "GLP-50", "Gula pasir 50 kg", 20),
    ]
    header = row_of(sheet, ID.coop_code)
    assert sheet.print_title_rows == f"${header}:${header}"  # the long table's header
    assert fact(sheet, ID.total_order).value == order.total
    assert fact(sheet, ID.payment_terms).value == OFFICE.payment_terms
    signature = [row[0].value for row in sheet.iter_rows(min_row=sheet.max_row - 4)]
    assert signature == [OFFICE.name, datetime(2026, 11, 28), None, None, OFFICE.signatory]


def test_codes_that_excel_refuses_in_a_sheet_name_still_get_a_valid_unique_sheet(
    tmp_path: Path,
) -> None:
    outcome = the_outcome()
    odd = [Bill(code, f"Koperasi {code}", outcome.bills[0].lines, "") for code in (
        "KSU/01", "ksu_01", "X" * 40, "A[1]:*?\\",
    )]  # fmt: skip
    workbook = printed(tmp_path, replace(outcome, bills=(*outcome.bills, *odd)))

    names = workbook.sheetnames[-4:]
    assert names == ["TG KSU_01", "TG ksu_01 (2)", "TG " + "X" * 28, "TG A_1_____"]
    assert len({name.casefold() for name in workbook.sheetnames}) == len(workbook.sheetnames)
    assert fact(workbook["TG KSU_01"], ID.number).value == "TG-007-KSU/01"
    assert fact(workbook["TG ksu_01 (2)"], ID.number).value == "TG-007-ksu_01"


def test_a_coop_name_that_looks_like_a_formula_is_printed_as_text(tmp_path: Path) -> None:
    evil = '=HYPERLINK("http://x.example","klik")'
    outcome = the_outcome()
    bills = [replace(b, coop_name=evil) if b.coop_code == "ATTAQWA" else b for b in outcome.bills]
    path = export_workbook(
        replace(outcome, bills=tuple(bills)), the_round(), AUDIT,
        [replace(c, name=evil) if c.code == "ATTAQWA" else c for c in COOPS],
        tmp_path / "p.xlsx", office=OFFICE, words=ID,
    )  # fmt: skip

    party = fact(load_workbook(path)["TG ATTAQWA"], ID.recipient)
    assert (party.value, party.data_type) == (f"{evil} (ATTAQWA)", "s")
    delivery = next(
        row[1] for row in load_workbook(path)["SP BULOG"].iter_rows() if row[0].value == "ATTAQWA"
    )
    assert (delivery.value, delivery.data_type) == (evil, "s")


def test_an_office_without_payment_details_asks_to_contact_the_dinas_and_leaves_a_line_to_sign(
    tmp_path: Path,
) -> None:
    workbook = printed(tmp_path, office=OfficeConfig())

    bill, order = workbook["TG DT"], workbook["SP BULOG"]
    assert fact(bill, ID.how_to_pay).value == ID.ask_the_office
    assert fact(bill, ID.due_on).value == datetime(2026, 12, 5)  # 7 days, the default
    assert block(bill, ID.sender) == [OfficeConfig().name]
    assert order.cell(order.max_row, 1).value == ID.sign_here
    assert ID.payment_terms not in [row[0].value for row in order.iter_rows()]


def test_an_estimate_or_a_workbook_made_without_the_office_has_no_party_sheets(
    tmp_path: Path,
) -> None:
    without_office = printed(tmp_path, office=None)
    open_round = replace(the_round(), status=RoundStatus.OPEN)
    estimate = export_workbook(
        the_outcome(), open_round, AUDIT, COOPS, tmp_path / "e.xlsx", office=OFFICE, words=ID
    )

    assert without_office.sheetnames == load_workbook(estimate).sheetnames == [
        ID.sheet_overview, ID.sheet_purchase_orders, ID.sheet_bills, ID.sheet_audit,
    ]  # fmt: skip


def test_the_workbook_the_admins_get_at_the_close_holds_the_party_sheets(tmp_path: Path) -> None:
    export = RoundExport(the_round(), cafe_outcome(), AUDIT, PARTIES)

    path = export.workbook(tmp_path / "exports", OFFICE)

    assert load_workbook(path).sheetnames[-4:] == PARTY_SHEETS


def test_a_document_narrow_enough_prints_portrait(tmp_path: Path) -> None:
    workbook = Workbook()
    rows = (
        PrintRow(RowKind.TITLE, ("NOTA",)),
        PrintRow(RowKind.HEADER, ("Kode", "Jumlah")),
        PrintRow(RowKind.LINE, ("A&B", 3)),
    )
    write_print_sheet(workbook, PrintSheet("Nota A&B", "N-1 A&B", rows))
    workbook.save(tmp_path / "n.xlsx")

    sheet = load_workbook(tmp_path / "n.xlsx")["Nota A&B"]
    assert sheet.page_setup.orientation == "portrait"
    assert sheet.oddFooter is not None and sheet.oddFooter.left.text == "N-1 A&&B"


def test_where_coops_pay_suppliers_directly_each_bill_sheet_is_one_suppliers_with_its_account(
    tmp_path: Path,
) -> None:
    bulog = Supplier("BULOG", "Perum Bulog", "022-0201", "BRI 0123-01 a.n. Perum Bulog")
    path = export_workbook(
        cafe_outcome(), the_round(), AUDIT, PARTIES, tmp_path / "p.xlsx", office=OFFICE,
        payees={"BULOG": bulog}, words=ID,
    )  # fmt: skip
    workbook = load_workbook(path)
    sheet = workbook["TG DT-BULOG"]

    assert [name for name in workbook.sheetnames if name.startswith("TG")] == [
        "TG ATTAQWA-BULOG", "TG DT-BULOG", "TG KKPITB-BULOG",
    ]  # fmt: skip
    assert fact(sheet, ID.number).value == "TG-007-DT-BULOG"
    assert fact(sheet, ID.paid_to).value == "Perum Bulog (BULOG)"
    assert fact(sheet, ID.how_to_pay).value == (
        "Transfer langsung ke Perum Bulog, rekening BRI 0123-01 a.n. Perum Bulog"
    )
    assert fact(sheet, ID.transfer_reference).value == "TG-007-DT-BULOG"


def test_a_round_with_more_coops_than_bill_sheets_keeps_its_orders_and_says_where_bills_are(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At a province's scale a sheet per coop's bill makes a workbook nobody can use: past
    `MAX_BILL_SHEETS` coops the Dinas still prints each supplier's order from it, and one
    sheet tells it that each coop's bill is its own PDF, named after the round and coop."""
    monkeypatch.setattr(party_sheets, "MAX_BILL_SHEETS", 2)  # the round has three coops

    book = printed(tmp_path)

    assert book.sheetnames[-2:] == ["SP BULOG", ID.sheet_bills_elsewhere]
    note = book[ID.sheet_bills_elsewhere]
    text = note.cell(row_of(note, ID.round) + 1, 2).value  # the fact under the round's name
    assert isinstance(text, str)
    assert "3 koperasi" in text and "tagihan-7-KODE.pdf" in text and "paling banyak 2" in text
    assert note.page_setup.paperSize == A4
    assert not any(name.startswith("TG ") for name in book.sheetnames)
