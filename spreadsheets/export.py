"""Export of a closed round as one XLSX workbook or as CSV files, one file per sheet.

Both carry the same sheets (see `spreadsheets.sheets`): Ringkasan, Pesanan Pembelian,
Tagihan and Log Perubahan; once the round has bills, Pembayaran (payments.csv) too; given
how far a closed round has come, Setelah Ditutup (after_close.csv): its stage and each step
since the close. Sheet names, headers and statuses are in the reader's language (`words`,
see `spreadsheets.labels`); the CSV files' names are the same in every language.
Given the issuing office, the workbook of a closed round goes on with one print-ready sheet
per supplier's purchase order and per coop's bill (`spreadsheets.party_sheets`; a round of
more than `MAX_BILL_SHEETS` coops gets one sheet saying where the bills are instead); the
CSV files do not (a CSV has no pages). Money is written as integers, never as formatted text.
Both are written as their rows are made, so memory does not grow with the round.
"""

from __future__ import annotations

import contextlib
import csv
import os
import secrets
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell as XlsxCell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from purchasing.after_close_log import AfterCloseStep
from purchasing.model import AuditEntry, Coop, Round, Supplier
from purchasing.outcome import RoundOutcome
from purchasing.settlement import BillDue, SettlementProgress
from spreadsheets.labels import SheetWords
from spreadsheets.party_sheets import Office, party_sheets
from spreadsheets.print_setup import write_print_sheet
from spreadsheets.sheets import (
    WIB_ZONE,
    Bold,
    Cell,
    LocalZone,
    Money,
    Row,
    Sheet,
    round_sheets,
)
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
    audit: Iterable[AuditEntry],
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
    coop per supplier, "TG DT-BULOG"); beyond `party_sheets.MAX_BILL_SHEETS` coops, one
    sheet says where their bills are instead. With `progress` (a closed round's), the
    Setelah Ditutup sheet shows it and the `steps` since the close. Times and days are in
    `local`, the office's zone.

    Written in openpyxl's write-only mode, row by row: memory does not grow with the round
    (`audit` may be `storage.round_rows.AuditLog`, read from the database as it is written)."""
    if dest.is_dir():
        dest = dest / f"putaran-{round.id}.xlsx"
    workbook = Workbook(write_only=True)
    # Its own name: two writers of the same round (`/ekspor`, the close's overview) may meet.
    partial = dest.with_name(f"{dest.name}.{secrets.token_hex(4)}.part")
    try:
        sheets = round_sheets(
            outcome, round, audit, coops, bills, steps, progress, local, words=words
        )
        for sheet in sheets:
            _write_sheet(workbook, sheet)
        if office is not None:
            for document in party_sheets(outcome, round, coops, office, payees, local, words=words):
                write_print_sheet(workbook, document)
        workbook.save(partial)
    except BaseException:
        _discard(workbook)
        partial.unlink(missing_ok=True)
        raise
    os.replace(partial, dest)  # a reader never sees half a file
    return dest


def _discard(workbook: Workbook) -> None:
    """After a failure: the sheets already written closed and their temporary files gone
    (a write-only sheet writes its rows to a temporary file until the workbook is saved)."""
    for worksheet in workbook.worksheets:
        writer = getattr(worksheet, "_writer", None)
        if not isinstance(worksheet, WriteOnlyWorksheet) or writer is None:
            continue
        with contextlib.suppress(Exception):
            if not worksheet.closed:
                worksheet.close()
        with contextlib.suppress(OSError, ValueError):
            writer.cleanup()


def _write_sheet(workbook: Workbook, sheet: Sheet) -> None:
    """The sheet's rows read twice: once for the column widths (which a write-only sheet
    needs before its first row), once to write them."""
    widths = _widths(sheet.rows)
    worksheet = workbook.create_sheet(sheet.title)
    worksheet.freeze_panes = "A2"
    fit_widths(worksheet, widths)
    cells = _StyledCells(worksheet)
    for number, row in enumerate(sheet.rows, start=1):
        bold = number == 1 or isinstance(row, Bold)
        worksheet.append([cells.cell(column, value, bold) for column, value in enumerate(row)])


def _widths(rows: Iterable[Row]) -> dict[int, int]:
    """The longest text of each column (1-based), as the cells will show it."""
    widths: dict[int, int] = {}
    for row in rows:
        for column, value in enumerate(row, start=1):
            if value is None:
                continue
            shown = len(str(value.amount if isinstance(value, Money) else value))
            if shown > widths.get(column, 0):
                widths[column] = shown
    return widths


class _StyledCells:
    """The cells of one write-only sheet that need more than a value: money ('#,##0'),
    bold rows, and text starting with "=" (kept as text, never a formula). One cell object
    per column and look is reused row after row: a write-only sheet writes a row's cells
    as soon as it is appended, and giving each of a million cells its own style is slow."""

    def __init__(self, worksheet: WriteOnlyWorksheet) -> None:
        self._worksheet = worksheet
        self._cells: dict[tuple[int, bool, bool], XlsxCell] = {}

    def cell(self, column: int, value: Cell, bold: bool) -> object:
        money = isinstance(value, Money)
        plain = value.amount if isinstance(value, Money) else value
        if plain is None:
            return None
        formula_like = isinstance(plain, str) and plain.startswith("=")
        if not (money or bold or formula_like):
            return plain
        key = (column, money, bold)
        cell = self._cells.get(key)
        if cell is None:
            cell = self._cells[key] = WriteOnlyCell(self._worksheet)
            if money:
                cell.number_format = MONEY_FORMAT
            if bold:
                cell.font = BOLD
        cell.value = plain
        keep_text(cell)
        return cell


def export_csv(
    outcome: RoundOutcome,
    round: Round,
    audit: Iterable[AuditEntry],
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
        partial = path.with_name(path.name + ".part")
        with partial.open("w", encoding="utf-8-sig", newline="") as file:
            writer = csv.writer(file, delimiter=delimiter)
            writer.writerows([csv_cell(cell) for cell in row] for row in sheet.rows)
        os.replace(partial, path)
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
