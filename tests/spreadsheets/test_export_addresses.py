"""The exported purchase orders and bills say where each coop's goods go: its delivery address
and contact, in the workbook and in the CSV files."""

from __future__ import annotations

import csv
from pathlib import Path

from openpyxl import load_workbook

from bot.exports import sheet_words
from purchasing.model import Coop
from purchasing.outcome import RoundOutcome
from spreadsheets.export import export_csv, export_workbook
from tests.support.builders import make_coop
from tests.support.closed_round import AUDIT, the_outcome, the_round

ID = sheet_words("id")  # the words of an Indonesian reader

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
    return export_workbook(
        the_outcome(), the_round(), AUDIT, coops, tmp_path / "putaran.xlsx", words=ID
    )


def test_each_coop_line_of_a_purchase_order_has_its_delivery_address_and_contact(
    tmp_path: Path,
) -> None:
    rows = sheet_rows(workbook(tmp_path), ID.sheet_purchase_orders)
    per_coop = [row for row in rows if row[ID.coop_code] is not None]

    assert [(row[ID.product_code], row[ID.coop_code], row[ID.address], row[ID.contact])
            for row in per_coop] == [
        ("GLP-50", "DT", DT_ADDRESS, "0812-0000-0101"),
        ("GLP-50", "KKPITB", ITB_ADDRESS, "Pak Dedi 0812-0000-0102"),
        ("MKITA-1L", "ATTAQWA", None, None),
        ("MKITA-1L", "DT", DT_ADDRESS, "0812-0000-0101"),
    ]  # fmt: skip
    totals = [row for row in rows if row[ID.coop_code] is None]
    assert len(totals) == 3  # two products and the supplier
    assert all(row[ID.address] is None and row[ID.contact] is None for row in totals)


def test_the_new_columns_come_after_the_ones_that_were_there_before(tmp_path: Path) -> None:
    book = load_workbook(workbook(tmp_path))
    orders = [cell.value for cell in book[ID.sheet_purchase_orders][1]]
    bills = [cell.value for cell in book[ID.sheet_bills][1]]

    assert orders[-3:] == [ID.amount, ID.address, ID.contact]
    assert bills[-3:] == [ID.delivery_note, ID.address, ID.contact]


def test_every_row_of_a_coops_bill_carries_its_address_and_contact(tmp_path: Path) -> None:
    rows = sheet_rows(workbook(tmp_path), ID.sheet_bills)
    outcome: RoundOutcome = the_outcome()

    by_coop: dict[object, set[tuple[object, object]]] = {}
    for row in rows:
        by_coop.setdefault(row[ID.coop_code], set()).add((row[ID.address], row[ID.contact]))
    assert by_coop == {
        "ATTAQWA": {(None, None)},
        "DT": {(DT_ADDRESS, "0812-0000-0101")},
        "KKPITB": {(ITB_ADDRESS, "Pak Dedi 0812-0000-0102")},
    }
    total_dt = next(r for r in rows if r[ID.coop_code] == "DT" and r[ID.product] == ID.total_bill)
    assert total_dt[ID.delivery_note] == outcome.bills[1].delivery_note
    assert total_dt[ID.subtotal] == outcome.bills[1].total


def test_a_coop_missing_from_the_list_gets_empty_delivery_cells(tmp_path: Path) -> None:
    rows = sheet_rows(workbook(tmp_path, COOPS[1:2]), ID.sheet_bills)

    itb = [row for row in rows if row[ID.coop_code] == "KKPITB"]
    assert itb and all(row[ID.address] is None and row[ID.contact] is None for row in itb)
    assert itb[0][ID.coop] == "KKP ITB"  # the bill's own name stays


def test_the_csv_files_have_the_same_address_columns(tmp_path: Path) -> None:
    export_csv(the_outcome(), the_round(), AUDIT, COOPS, tmp_path, delimiter=";", words=ID)

    with (tmp_path / "purchase_orders.csv").open(encoding="utf-8-sig", newline="") as file:
        orders = list(csv.DictReader(file, delimiter=";"))
    with (tmp_path / "bills.csv").open(encoding="utf-8-sig", newline="") as file:
        bills = list(csv.DictReader(file, delimiter=";"))

    first = orders[0]
    assert (first[ID.coop_code], first[ID.address], first[ID.contact]) == (
        "DT", DT_ADDRESS, "0812-0000-0101",
    )  # fmt: skip
    assert {
        (row[ID.address], row[ID.contact]) for row in bills if row[ID.coop_code] == "KKPITB"
    } == {(ITB_ADDRESS, "Pak Dedi 0812-0000-0102")}
    attaqwa = next(row for row in bills if row[ID.coop_code] == "ATTAQWA")
    assert (attaqwa[ID.address], attaqwa[ID.contact]) == ("", "")
