"""Reading typed values out of one spreadsheet row, collecting problems instead of stopping.

Numbers are whole and above zero: money may be written `125000`, `125.000`, `Rp 125.000`,
`Rp 125.000,-` or be a numeric XLSX cell without a fraction. Codes are upper-cased and
must fit a 64-byte chat button payload.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from spreadsheets.errors import (
    BadCode,
    BadNumber,
    ControlCharacters,
    EmptyValue,
    ExtraCells,
    ImportProblem,
    NumberTooLarge,
    TextTooLong,
)
from spreadsheets.table import Table, is_blank, used_length

CODE_PATTERN = re.compile(r"[A-Z0-9_-]{1,16}")
CELLS_SHOWN_BETWEEN = " | "
LARGEST_NUMBER = 10**12
_CURRENCY = re.compile(r"^(?:rp|idr)\.?", re.IGNORECASE)
_NO_FRACTION = re.compile(r"(?:,-|,0{1,2}|\.-)$")
_PLAIN = re.compile(r"\d+")
_DOT_GROUPS = re.compile(r"\d{1,3}(?:\.\d{3})+")
_COMMA_GROUPS = re.compile(r"\d{1,3}(?:,\d{3})+")
_LINE_BREAKS = re.compile(r"[\t\r\n]+")
_SPACES = re.compile(r"[ \u00a0]+")  # a no-break space (copied from a web page) too


def whole_number(cell: object) -> int | None:
    """The positive whole number in a cell, at most `LARGEST_NUMBER`, or None when it holds
    anything else (`too_large` tells a number past the limit apart)."""
    number = _any_whole_number(cell)
    if number is None or not 0 < number <= LARGEST_NUMBER:
        return None
    return number


def too_large(cell: object) -> bool:
    """Whether the cell holds a whole number, written as money or a count may be, that is
    larger than `LARGEST_NUMBER` (a mistyped `Rp 125.000.000.000.000`)."""
    number = _any_whole_number(cell)
    return number is not None and number > LARGEST_NUMBER


def _any_whole_number(cell: object) -> int | None:
    if isinstance(cell, bool):
        return None
    if isinstance(cell, int):
        return cell
    if isinstance(cell, float) and cell.is_integer():
        return int(cell)
    if isinstance(cell, str):
        return _number_text(cell)
    return None


def _number_text(text: str) -> int | None:
    text = _CURRENCY.sub("", text.strip()).replace(" ", "").replace("\u00a0", "")
    text = _NO_FRACTION.sub("", text)
    if _PLAIN.fullmatch(text):
        return int(text)
    if _DOT_GROUPS.fullmatch(text) or _COMMA_GROUPS.fullmatch(text):
        return int(text.replace(".", "").replace(",", ""))
    return None


def cell_text(cell: object) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def has_control_characters(text: str) -> bool:
    return any(ord(c) < 32 or 127 <= ord(c) < 160 for c in text)


def column_name(table: Table, index: int) -> str:
    """A column as problems name it: its letter and its header as written ("F (harga_pasar)")."""
    from openpyxl.utils import get_column_letter  # openpyxl loads only when needed

    label = table.labels[index] if index < len(table.labels) else ""
    letter = get_column_letter(index + 1)
    return f"{letter} ({label})" if label else letter


class RowReader:
    """One data row; every problem found is appended to the shared `problems` list."""

    def __init__(
        self, table: Table, number: int, cells: tuple[object, ...], problems: list[ImportProblem]
    ) -> None:
        self.table = table
        self.row = number
        self.cells = cells
        self.problems = problems
        self.ok = True

    def cell(self, index: int | None) -> object:
        if index is None or index >= len(self.cells):
            return None
        return self.cells[index]

    def column(self, index: int) -> str:
        return column_name(self.table, index)

    def problem(
        self, kind: Callable[..., ImportProblem], index: int, value: str, **extra: object
    ) -> None:
        self.ok = False
        self.problems.append(
            kind(
                file=self.table.file,
                sheet=self.table.sheet,
                row=self.row,
                column=self.column(index),
                value=value,
                **extra,
            )
        )

    def fits(self, read_up_to: int = 0) -> bool:
        """Whether every value of the row is under the header's columns (or under the first
        `read_up_to`, when the reader reads an unnamed column past the header). A row with
        more is one ExtraCells problem and is not to be read: its cells may have shifted."""
        width = max(len(self.table.header), read_up_to)
        used = used_length(self.cells)
        if used <= width:
            return True
        beyond = [index for index in range(width, used) if not self.blank(index)]
        self.problem(
            ExtraCells,
            beyond[0],
            CELLS_SHOWN_BETWEEN.join(cell_text(self.cells[index]) for index in beyond),
            cells=used,
            columns=width,
            separator=self.table.separator,
        )
        return False

    def blank(self, index: int | None) -> bool:
        return is_blank(self.cell(index))

    def text(self, index: int | None, *, limit: int, required: bool, one_line: bool) -> str:
        """Stripped text, each run of spaces one space ("karung   besar" is "karung besar").
        `one_line` refuses line breaks; otherwise they become spaces."""
        raw = cell_text(self.cell(index))
        if index is None:
            return ""
        if not one_line:
            raw = _LINE_BREAKS.sub(" ", raw)
        text = _SPACES.sub(" ", raw)
        if required and not text:
            self.problem(EmptyValue, index, text)
        elif has_control_characters(text):
            self.problem(ControlCharacters, index, text)
        elif len(text) > limit:
            self.problem(TextTooLong, index, text, limit=limit)
        return text

    def code(self, index: int) -> str:
        raw = cell_text(self.cell(index))
        code = raw.upper()
        if not code:
            self.problem(EmptyValue, index, raw)
        elif not CODE_PATTERN.fullmatch(code):
            self.problem(BadCode, index, raw)
        return code

    def number(self, index: int | None, *, required: bool) -> int | None:
        """A positive whole number; None when blank (and not required) or wrong."""
        if index is None:
            return None
        cell = self.cell(index)
        if is_blank(cell):
            if required:
                self.problem(EmptyValue, index, "")
            return None
        number = whole_number(cell)
        if number is None:
            self.bad_number(index)
        return number

    def bad_number(self, index: int) -> None:
        """The cell at `index` holds no number we take: too large, or no whole number > 0."""
        cell = self.cell(index)
        if too_large(cell):
            self.problem(NumberTooLarge, index, cell_text(cell), limit=LARGEST_NUMBER)
        else:
            self.problem(BadNumber, index, cell_text(cell))
