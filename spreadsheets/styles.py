"""Looks shared by every workbook we write: bold frozen header, money as '#,##0', widths;
and the looks of the print-ready sheets (`spreadsheets.print_setup`): Rupiah, dates, borders.
"""

from __future__ import annotations

from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

MONEY_FORMAT = "#,##0"
# Money on the print-ready sheets: "Rp 1.250.000" in Excel set to Indonesian.
RUPIAH_FORMAT = '"Rp" #,##0'
# A real date shown as "28 November 2026"; [$-421] asks for Indonesian month names.
DATE_FORMAT = "[$-421]d mmmm yyyy"
MAX_WIDTH = 48
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=15)
HEADER_FILL = PatternFill("solid", start_color="E8EEF4")  # as the PDFs' table header
_THIN = Side(style="thin", color="808080")
GRID = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
WRAP_LEFT = Alignment(wrap_text=True, vertical="top", horizontal="left")
RIGHT = Alignment(horizontal="right")


def finish_sheet(sheet: Worksheet, money_columns: tuple[int, ...]) -> None:
    """Style a sheet whose first row is its header (`money_columns` are 1-based); text that
    looks like a formula stays text (`keep_text`)."""
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell, Cell):
                keep_text(cell)
    for cell in sheet[1]:
        cell.font = BOLD
    sheet.freeze_panes = "A2"
    for column in money_columns:
        for (cell,) in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
            cell.number_format = MONEY_FORMAT
    fit_columns(sheet)


def fit_columns(sheet: Worksheet) -> None:
    widths = {
        index: max((len(str(cell.value)) for cell in cells if cell.value is not None), default=4)
        for index, cells in enumerate(sheet.iter_cols(), start=1)
    }
    fit_widths(sheet, widths)


def fit_widths(sheet: Worksheet, widths: dict[int, int]) -> None:
    """Each column as wide as its longest text (`widths`: characters by 1-based column)."""
    for index, width in widths.items():
        sheet.column_dimensions[get_column_letter(index)].width = min(max(width, 4) + 2, MAX_WIDTH)


def keep_text(cell: Cell) -> None:
    """openpyxl takes text starting with "=" for a formula: text from imported files (a name
    such as '=HYPERLINK(…)') is stored as text, never as a live formula."""
    if cell.data_type == "f":
        cell.data_type = "s"
