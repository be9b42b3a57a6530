"""Sheets laid out to print, such as one party's purchase order or bill (`party_sheets`).

A `PrintSheet` is content only: rows, each of a kind (`RowKind`) that says how it looks.
`write_print_sheet` puts it into a workbook, ready for Ctrl+P:

- on A4, portrait, or landscape when the tables are wider than a portrait page holds at a
  readable size (`PORTRAIT_WIDTH`, in Excel's character widths); scaled to the width of the
  page (fitToWidth=1) and as many pages long as it needs (fitToHeight=0);
- margins of about 1.5 cm, centred across the page, a footer with the document's number and
  "Halaman 1 dari 2" (`PrintSheet.page_of`, in the reader's words); the print area is the
  document, no grid lines but the tables' own;
- the header of the last table (the long one: a bill's lines, a purchase order's deliveries)
  is repeated at the top of the printed pages that follow the one it starts on;
- column widths come from the tables: a fact's value spans every column right of its label
  and wraps, so a long payment instruction neither widens the table nor runs off the page;
  rows whose text wraps are made tall enough (Excel does not grow them when opening a file);
- money has the Rupiah format, dates are real dates (`date` cells with a date format, so
  they sort and compute); text starting with "=" stays text.

Sheet names follow Excel's rules (`sheet_name`): 1 to 31 characters, none of []:*?/\\, not
starting or ending with an apostrophe, unique regardless of case.
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Iterable
from copy import copy
from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import cast

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell as XlsxCell
from openpyxl.styles import Alignment, Border, Font, PatternFill
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from spreadsheets.sheets import Cell, Money
from spreadsheets.styles import (
    BOLD,
    DATE_FORMAT,
    GRID,
    HEADER_FILL,
    MAX_WIDTH,
    RIGHT,
    RUPIAH_FORMAT,
    TITLE,
    WRAP,
    WRAP_LEFT,
    keep_text,
)

MAX_SHEET_NAME = 31
PORTRAIT_WIDTH = 95  # character widths an A4 portrait page holds between the margins
MIN_WIDTH = 6
LABEL_WIDTH = 20  # at most, for a fact's label: a longer one wraps rather than widen column A
LINE_HEIGHT = 15.0  # points: one line of text at Excel's default font
TITLE_HEIGHT = 22.0
DATE_WIDTH = 17  # "28 September 2026"
_NOT_IN_SHEET_NAMES = re.compile(r"[\[\]:*?/\\\x00-\x1f\x7f]")
_RESERVED_SHEET_NAMES = frozenset({"history"})  # Excel keeps "History" for itself


class RowKind(Enum):
    TITLE = "title"  # the document's name: large and bold, across the width
    SECTION = "section"  # a heading above a table: bold, across the width
    FACT = "fact"  # a label (None continues the fact above) and a value across the rest
    HEADER = "header"  # a table's column names: bold, shaded, boxed
    LINE = "line"  # a row of a table: boxed, long text wraps
    TOTAL = "total"  # a table's total row: bold, boxed
    SIGNATURE = "signature"  # a line of the signature block: right-aligned, across the width
    BLANK = "blank"


PrintCell = Cell | date
TABLE_ROWS = frozenset({RowKind.HEADER, RowKind.LINE, RowKind.TOTAL})
ACROSS_ROWS = frozenset({RowKind.TITLE, RowKind.SECTION, RowKind.SIGNATURE})


@dataclass(frozen=True, slots=True)
class PrintRow:
    kind: RowKind
    cells: tuple[PrintCell, ...] = ()


BLANK_ROW = PrintRow(RowKind.BLANK)


@dataclass(frozen=True, slots=True)
class PrintSheet:
    name: str  # the sheet's name as wanted; `sheet_name` makes it valid and unique
    number: str  # the document's number, in the footer of every printed page
    rows: tuple[PrintRow, ...]
    page_of: str = ""  # the footer's "Halaman &[Page] dari &[Pages]", in the reader's words


@dataclass(frozen=True, slots=True)
class _Look:
    font: Font | None = None
    fill: PatternFill | None = None
    border: Border | None = None
    alignment: Alignment | None = None


_LOOKS = {
    RowKind.TITLE: _Look(font=TITLE),
    RowKind.SECTION: _Look(font=BOLD),
    RowKind.FACT: _Look(alignment=WRAP_LEFT),
    RowKind.HEADER: _Look(font=BOLD, fill=HEADER_FILL, border=GRID, alignment=WRAP),
    RowKind.LINE: _Look(border=GRID, alignment=WRAP),
    RowKind.TOTAL: _Look(font=BOLD, border=GRID, alignment=WRAP),
    RowKind.SIGNATURE: _Look(alignment=RIGHT),
    RowKind.BLANK: _Look(),
}
_FACT_LABEL = _Look(font=BOLD, alignment=WRAP)


def write_print_sheet(workbook: Workbook, sheet: PrintSheet) -> Worksheet:
    """Add `sheet` to `workbook` after its other sheets, laid out to print on A4. The
    workbook may be in openpyxl's write-only mode (the round's export is): the page is set
    up and the columns sized before the first row, and each row is written as it comes (a
    write-only sheet has the same page, view and dimension attributes as a worksheet)."""
    created = workbook.create_sheet(sheet_name(sheet.name, workbook.sheetnames))
    worksheet = cast(Worksheet, created)
    widths = column_widths(sheet.rows)
    for column, width in enumerate(widths, start=1):
        worksheet.column_dimensions[get_column_letter(column)].width = width
    _set_up_page(worksheet, sheet, widths)
    styles: _Styles = {}
    for number, row in enumerate(sheet.rows, start=1):
        _fit_height(worksheet, number, row, widths)
        _write_row(worksheet, number, row, len(widths), styles, workbook.write_only)
    return worksheet


def sheet_name(wanted: str, taken: Collection[str]) -> str:
    """`wanted` as a sheet name Excel accepts, not one of `taken` (compared without case):
    "TG DT/01" becomes "TG DT_01", a second "TG DT_01" becomes "TG DT_01 (2)"."""
    base = _clean_name(wanted)
    used = {name.casefold() for name in taken} | _RESERVED_SHEET_NAMES
    name, count = base, 1
    while name.casefold() in used:
        count += 1
        suffix = f" ({count})"
        name = _clean_name(base[: MAX_SHEET_NAME - len(suffix)]) + suffix
    return name


def _clean_name(text: str) -> str:
    cleaned = _NOT_IN_SHEET_NAMES.sub("_", text)[:MAX_SHEET_NAME].strip().strip("'").strip()
    return cleaned or "_"


def column_widths(rows: Iterable[PrintRow]) -> tuple[float, ...]:
    """Wide enough for every table cell (at most `MAX_WIDTH`) and fact label (at most
    `LABEL_WIDTH`); longer text wraps."""
    rows = tuple(rows)
    table = [row.cells for row in rows if row.kind in TABLE_ROWS]
    labels = [_length(row.cells[0]) for row in rows if row.kind is RowKind.FACT and row.cells]
    widths = [float(MIN_WIDTH)] * max([2, *(len(cells) for cells in table)])
    widths[0] = max(widths[0], min(max(labels, default=0) + 2, LABEL_WIDTH))
    for cells in table:
        for index, value in enumerate(cells):
            widths[index] = max(widths[index], min(_length(value) + 2, MAX_WIDTH))
    return tuple(widths)


_Styles = dict[tuple[int, str | None], StyleArray]


def _write_row(
    worksheet: Worksheet,
    number: int,
    row: PrintRow,
    columns: int,
    styles: _Styles,
    write_only: bool,
) -> None:
    """The row's cells, each with its look; a look's style is made once per sheet and
    copied (making it anew for each of a long purchase order's cells is slow)."""
    cells = []
    for column, value in enumerate(row.cells, start=1):
        plain = value.amount if isinstance(value, Money) else value
        cell = WriteOnlyCell(worksheet, plain)  # type: ignore[arg-type]  # a date is fine
        keep_text(cell)
        number_format = None
        if isinstance(value, Money):
            number_format = RUPIAH_FORMAT
        elif isinstance(value, date):
            number_format = DATE_FORMAT
        look = _FACT_LABEL if row.kind is RowKind.FACT and column == 1 else _LOOKS[row.kind]
        key = (id(look), number_format)
        style = styles.get(key)
        if style is None:
            if number_format is not None:
                cell.number_format = number_format
            _apply(cell, look)
            style = styles[key] = copy(cell._style)  # type: ignore[attr-defined]
        else:
            cell._style = copy(style)  # type: ignore[attr-defined]
        cells.append(cell)
    worksheet.append(cells)  # row `number`: rows are written in order, none skipped
    first = _spans_from(row.kind)
    if first is not None and first < columns:
        span = CellRange(min_row=number, min_col=first, max_row=number, max_col=columns)
        if write_only:  # no cells to replace: the range is written after the rows
            worksheet.merged_cells.add(span)
        else:
            worksheet.merge_cells(span.coord)


def _spans_from(kind: RowKind) -> int | None:
    """The column from which a row's last cell spans the width (a fact's value, a title)."""
    if kind is RowKind.FACT:
        return 2
    return 1 if kind in ACROSS_ROWS else None


def _apply(cell: XlsxCell, look: _Look) -> None:
    if look.font is not None:
        cell.font = look.font
    if look.fill is not None:
        cell.fill = look.fill
    if look.border is not None:
        cell.border = look.border
    if look.alignment is not None:
        cell.alignment = look.alignment


def _fit_height(
    worksheet: Worksheet,
    number: int,
    row: PrintRow,
    widths: tuple[float, ...],
) -> None:
    if row.kind is RowKind.TITLE:
        worksheet.row_dimensions[number].height = TITLE_HEIGHT
        return
    if row.kind is RowKind.FACT:
        spans = list(zip(row.cells[:2], (widths[0], sum(widths[1:])), strict=False))
    elif row.kind in TABLE_ROWS:
        spans = list(zip(row.cells, widths, strict=False))
    else:
        return
    lines = max(
        (math.ceil(_length(value) / max(width - 1, 1)) for value, width in spans), default=1
    )
    if lines > 1:
        worksheet.row_dimensions[number].height = LINE_HEIGHT * lines


def _length(value: PrintCell) -> int:
    """About how many characters `value` takes when shown."""
    if value is None:
        return 0
    if isinstance(value, Money):
        return len(f"Rp {value.amount:,}")
    if isinstance(value, date):
        return DATE_WIDTH
    return len(str(value))


def _set_up_page(worksheet: Worksheet, sheet: PrintSheet, widths: tuple[float, ...]) -> None:
    """Before the first row: a write-only sheet writes its properties and view with it."""
    setup = worksheet.page_setup
    setup.paperSize = Worksheet.PAPERSIZE_A4
    wide = sum(widths) > PORTRAIT_WIDTH
    setup.orientation = Worksheet.ORIENTATION_LANDSCAPE if wide else Worksheet.ORIENTATION_PORTRAIT
    setup.fitToWidth = 1
    setup.fitToHeight = 0  # as many pages long as the tables need
    worksheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    worksheet.page_margins = PageMargins(
        left=0.6, right=0.6, top=0.75, bottom=0.75, header=0.3, footer=0.3
    )
    worksheet.print_options.horizontalCentered = True
    worksheet.print_area = f"A1:{get_column_letter(len(widths))}{len(sheet.rows)}"
    headers = [n for n, row in enumerate(sheet.rows, start=1) if row.kind is RowKind.HEADER]
    if headers:
        worksheet.print_title_rows = f"{headers[-1]}:{headers[-1]}"
    footer = worksheet.oddFooter
    assert footer is not None  # openpyxl makes every sheet one
    footer.left.text = sheet.number.replace("&", "&&")  # "&" starts a code in a footer
    if sheet.page_of:
        footer.right.text = sheet.page_of
    worksheet.sheet_view.showGridLines = False
