"""Export of a closed round as one XLSX workbook or as CSV files, one file per sheet.

Both carry the same sheets (see `spreadsheets.sheets`): Ringkasan, Pesanan Pembelian,
Tagihan and Log Perubahan; once the round has bills, Pembayaran (payments.csv) too; given
how far a closed round has come, Setelah Ditutup (after_close.csv): its stage and each step
since the close. Sheet names, headers and statuses are in the reader's language (`words`,
see `spreadsheets.labels`); the CSV files' names are the same in every language.
Given the issuing office, the workbook of a closed round goes on with one print-ready sheet
per supplier's purchase order and per coop's bill (`spreadsheets.party_sheets`); the CSV
files do not (a CSV has no pages). Money is written as integers, never as formatted text.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Mapping, Sequence
from pathlib import Path

from openpyxl import Workbook

from purchasing.after_close_log import AfterCloseStep
from purchasing.model import AuditEntry, Coop, Round, Supplier
from purchasing.outcome import RoundOutcome
from purchasing.settlement import BillDue, SettlementProgress
from spreadsheets.labels import SheetWords
from spreadsheets.party_sheets import Office, party_sheets
from spreadsheets.print_setup import write_print_sheet
from spreadsheets.sheets import WIB_ZONE, Cell, LocalZone, Money, Sheet, round_sheets
from spreadsheets.styles import BOLD, MONEY_FORMAT, fit_widths, keep_text

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
EXCEL_ID_DELIMITER = ";"  # the list separator of Excel set to Indonesian
CSV_NAMES = (
    "overview.csv", "purchase_orders.csv", "bills.csv", "audit_log.csv", "payments.csv",
    "after_close.csv",
)  # fmt: skip


def export_workbook(
    outcome: RoundOutcome,
    round: Round,
    audit: Sequence[AuditEntry],
    coops: Sequence[Coop],
    dest: Path,
    bills: Sequence[BillDue] = (),
    office: Office | None = None,
    payees: Mapping[str, Supplier] | None = None,
    steps: Sequence[AfterCloseStep] = (),
    progress: SettlementProgress | None = None,
    local: LocalZone = WIB_ZONE,
    *,
    words: SheetWords,
) -> Path:
    """Write the workbook to `dest` (a file, or a folder to put `putaran-<id>.xlsx` in).

    With `office` (the config's `[office]`), a closed round's workbook ends with a sheet to
    print per supplier's purchase order ("SP BULOG") and per coop's bill ("TG DT"; where the
    coops pay each supplier directly, `payees` holds the suppliers and the bills are per
    coop per supplier, "TG DT-BULOG"). With `progress` (a closed round's), the Setelah
    Ditutup sheet shows it and the `steps` since the close. Times and days are in `local`,
    the office's zone."""
    if dest.is_dir():
        dest = dest / f"putaran-{round.id}.xlsx"
    workbook = Workbook()
    default = workbook.active
    assert default is not None
    workbook.remove(default)
    sheets = round_sheets(outcome, round, audit, coops, bills, steps, progress, local, words=words)
    for sheet in sheets:
        _write_sheet(workbook, sheet)
    if office is not None:
        for document in party_sheets(outcome, round, coops, office, payees, local, words=words):
            write_print_sheet(workbook, document)
    partial = dest.with_name(dest.name + ".part")
    workbook.save(partial)
    os.replace(partial, dest)  # a reader never sees half a file
    return dest


def _write_sheet(workbook: Workbook, sheet: Sheet) -> None:
    worksheet = workbook.create_sheet(sheet.title)
    widths: dict[int, int] = {}
    # Cells are placed by their own row and column numbers: `worksheet.max_row` and
    # `worksheet[n]` look at every cell written so far, which made a 10,000-coop workbook
    # quadratic.
    for number, row in enumerate(sheet.rows, start=1):
        bold = number == 1 or number - 1 in sheet.bold_rows
        for column, value in enumerate(row, start=1):
            plain = _plain(value)
            cell = worksheet.cell(row=number, column=column, value=plain)
            keep_text(cell)
            if isinstance(value, Money):
                cell.number_format = MONEY_FORMAT
            if bold:
                cell.font = BOLD
            shown = 0 if plain is None else len(str(plain))
            widths[column] = max(widths.get(column, 0), shown)
    worksheet.freeze_panes = "A2"
    fit_widths(worksheet, widths)


def export_csv(
    outcome: RoundOutcome,
    round: Round,
    audit: Sequence[AuditEntry],
    coops: Sequence[Coop],
    dest_dir: Path,
    delimiter: str = EXCEL_ID_DELIMITER,
    bills: Sequence[BillDue] = (),
    steps: Sequence[AfterCloseStep] = (),
    progress: SettlementProgress | None = None,
    local: LocalZone = WIB_ZONE,
    *,
    words: SheetWords,
) -> list[Path]:
    """overview.csv, purchase_orders.csv, bills.csv and audit_log.csv in `dest_dir`,
    payments.csv when there are `bills`, after_close.csv given `progress` (and `steps`).

    UTF-8 with a BOM so Excel recognises the encoding, and ";" between fields: Excel with
    Indonesian regional settings (where "," is the decimal comma) opens such a file in
    columns by a double-click. Pass `delimiter=","` for English-locale tools.
    """
    dest_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    sheets = round_sheets(outcome, round, audit, coops, bills, steps, progress, local, words=words)
    for sheet in sheets:
        path = dest_dir / f"{sheet.kind}.csv"  # one of CSV_NAMES, in every language
        with path.open("w", encoding="utf-8-sig", newline="") as file:
            writer = csv.writer(file, delimiter=delimiter)
            writer.writerows([csv_cell(cell) for cell in row] for row in sheet.rows)
        paths.append(path)
    return paths


def _plain(cell: Cell) -> str | int | None:
    return cell.amount if isinstance(cell, Money) else cell


def csv_cell(cell: Cell) -> str | int | None:
    """A spreadsheet opening the CSV evaluates text starting with = + - @ (a name such as
    "=HYPERLINK(…)" from an imported file): such text gets a leading apostrophe."""
    value = _plain(cell)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
