"""Looks shared by every workbook we write: bold frozen header, money as '#,##0', widths."""

from __future__ import annotations

from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

MONEY_FORMAT = "#,##0"
MAX_WIDTH = 48
BOLD = Font(bold=True)


def finish_sheet(sheet: Worksheet, money_columns: tuple[int, ...]) -> None:
    """Style a sheet whose first row is its header. `money_columns` are 1-based."""
    for cell in sheet[1]:
        cell.font = BOLD
    sheet.freeze_panes = "A2"
    for column in money_columns:
        for (cell,) in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
            cell.number_format = MONEY_FORMAT
    fit_columns(sheet)


def fit_columns(sheet: Worksheet) -> None:
    for index, cells in enumerate(sheet.iter_cols(), start=1):
        width = max((len(str(cell.value)) for cell in cells if cell.value is not None), default=4)
        sheet.column_dimensions[get_column_letter(index)].width = min(width + 2, MAX_WIDTH)
