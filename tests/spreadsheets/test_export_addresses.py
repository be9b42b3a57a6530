"""The exported purchase orders and bills say where each coop's goods go: its delivery address
and contact, in the workbook and in the CSV files."""

from __future__ import annotations

import csv
from pathlib import Path

from openpyxl import load_workbook

from purchasing.model import Coop
from purchasing.outcome import RoundOutcome
from spreadsheets import labels as L
from spreadsheets.export import export_csv, export_workbook
from tests.support.builders import make_coop
from tests.support.closed_round import AUDIT, the_outcome, the_round

DT_ADDRESS = "Jl. Gegerkalong Girang No. 38, Kec. Sukasari, Bandung"
ITB_ADDRESS = "Jl. Ganesa No. 10, Kec. Coblong, Bandung"
COOPS = [
    make_coop("ATTAQWA", "Kojamas At-Taqwa"),  # no address or contact in the coop file
    make_coop("DT", "Kopontren Daarut Tauhid", address=DT_ADDRESS, contact="0812-0000-0101"),
    make_coop("KKPITB", "KKP ITB", address=ITB_ADDRESS, contact="Pak Dedi 0812-0000-0102"),
]


def sheet_rows(path: Path, title: str) -> list[dict[str, object]]:
    """The rows of one sheet of the workbook, reopened, keyed by the header."""
    workbook = load_workbook(path)
    values = [tuple(row) for row in workbook[title].iter_rows(values_only=True)]
    header = [str(cell) for cell in values[0]]
    return [dict(zip(header, row, strict=True)) for row in values[1:]]


def workbook(tmp_path: Path, coops: list[Coop] = COOPS) -> Path:
    return export_workbook(the_outcome(), the_round(), AUDIT, coops, tmp_path / "putaran.xlsx")


def test_each_coop_line_of_a_purchase_order_has_its_delivery_address_and_contact(
    tmp_path: Path,
) -> None:
    rows = sheet_rows(workbook(tmp_path), L.SHEET_PURCHASE_ORDERS)
    per_coop = [row for row in rows if row[L.COOP_CODE] is not None]

    assert [(row[L.PRODUCT_CODE], row[L.COOP_CODE], row[L.ADDRESS], row[L.CONTACT])
            for row in per_coop] == [
        ("GLP-50", "DT", DT_ADDRESS, "0812-0000-0101"),
        ("GLP-50", "KKPITB", ITB_ADDRESS, "Pak Dedi 0812-0000-0102"),
        ("MKITA-1L", "ATTAQWA", None, None),
        ("MKITA-1L", "DT", DT_ADDRESS, "0812-0000-0101"),
    ]  # fmt: skip
    totals = [row for row in rows if row[L.COOP_CODE] is None]
    assert len(totals) == 3  # two products and the supplier
    assert all(row[L.ADDRESS] is None and row[L.CONTACT] is None for row in totals)


def test_the_new_columns_come_after_the_ones_that_were_there_before(tmp_path: Path) -> None:
    book = load_workbook(workbook(tmp_path))
    orders = [cell.value for cell in book[L.SHEET_PURCHASE_ORDERS][1]]
    bills = [cell.value for cell in book[L.SHEET_BILLS][1]]

    assert orders[-3:] == [L.AMOUNT, L.ADDRESS, L.CONTACT]
    assert bills[-3:] == [L.DELIVERY_NOTE, L.ADDRESS, L.CONTACT]


def test_every_row_of_a_coops_bill_carries_its_address_and_contact(tmp_path: Path) -> None:
    rows = sheet_rows(workbook(tmp_path), L.SHEET_BILLS)
    outcome: RoundOutcome = the_outcome()

    by_coop: dict[object, set[tuple[object, object]]] = {}
    for row in rows:
        by_coop.setdefault(row[L.COOP_CODE], set()).add((row[L.ADDRESS], row[L.CONTACT]))
    assert by_coop == {
        "ATTAQWA": {(None, None)},
        "DT": {(DT_ADDRESS, "0812-0000-0101")},
        "KKPITB": {(ITB_ADDRESS, "Pak Dedi 0812-0000-0102")},
    }
    total_dt = next(r for r in rows if r[L.COOP_CODE] == "DT" and r[L.PRODUCT] == L.TOTAL_BILL)
    assert total_dt[L.DELIVERY_NOTE] == outcome.bills[1].delivery_note
    assert total_dt[L.SUBTOTAL] == outcome.bills[1].total


def test_a_coop_missing_from_the_list_gets_empty_delivery_cells(tmp_path: Path) -> None:
    rows = sheet_rows(workbook(tmp_path, COOPS[1:2]), L.SHEET_BILLS)

    itb = [row for row in rows if row[L.COOP_CODE] == "KKPITB"]
    assert itb and all(row[L.ADDRESS] is None and row[L.CONTACT] is None for row in itb)
    assert itb[0][L.COOP] == "KKP ITB"  # the bill's own name stays


def test_the_csv_files_have_the_same_address_columns(tmp_path: Path) -> None:
    export_csv(the_outcome(), the_round(), AUDIT, COOPS, tmp_path, delimiter=";")

    with (tmp_path / "purchase_orders.csv").open(encoding="utf-8-sig", newline="") as file:
        orders = list(csv.DictReader(file, delimiter=";"))
    with (tmp_path / "bills.csv").open(encoding="utf-8-sig", newline="") as file:
        bills = list(csv.DictReader(file, delimiter=";"))

    first = orders[0]
    assert (first[L.COOP_CODE], first[L.ADDRESS], first[L.CONTACT]) == (
        "DT", DT_ADDRESS, "0812-0000-0101",
    )  # fmt: skip
    assert {(row[L.ADDRESS], row[L.CONTACT]) for row in bills if row[L.COOP_CODE] == "KKPITB"} == {
        (ITB_ADDRESS, "Pak Dedi 0812-0000-0102")
    }
    attaqwa = next(row for row in bills if row[L.COOP_CODE] == "ATTAQWA")
    assert (attaqwa[L.ADDRESS], attaqwa[L.CONTACT]) == ("", "")
