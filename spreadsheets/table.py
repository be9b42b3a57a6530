"""Raw tables from CSV and XLSX files: a header and numbered rows of cell values.

Row numbers are the ones the user sees in a spreadsheet program (the first line is row 1),
so problems can point at them. The header is the first row that is not blank; blank rows
are dropped, and an empty file or sheet is a table without header. Nothing else is
interpreted here.

A CSV row keeps every cell the file writes, the header too: `a,b,c,` is a header of four
columns, the last unnamed. A workbook's rows end at their last cell with a value, since
openpyxl pads every row to the sheet's width: a workbook's header ends at its last named
column. A cell with a value beyond the header is a problem for the readers
(`spreadsheets.cells.RowReader.fits`).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from spreadsheets.errors import UnreadableFile

ZIP_MAGIC = b"PK\x03\x04"
OLD_EXCEL_MAGIC = b"\xd0\xcf\x11\xe0"  # .xls from Excel 97-2003: save as .xlsx instead
CSV_DELIMITERS = (",", ";", "\t")


@dataclass(frozen=True, slots=True)
class Table:
    file: str
    sheet: str  # "" for a CSV file
    header_row: int
    header: tuple[str, ...]  # normalised with `header_name`
    labels: tuple[str, ...]  # the header cells as written, for messages
    rows: tuple[tuple[int, tuple[object, ...]], ...]  # (row number, cell values)
    separator: str = ""  # a CSV file's field separator ("," ";" or a tab); "" in a workbook


def header_name(text: object) -> str:
    """`" Harga Pasar "` and `"harga-pasar"` both become `"harga_pasar"`."""
    return re.sub(r"[^0-9a-z]+", "_", str(text or "").strip().lower()).strip("_")


def is_blank(cell: object) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def read_tables(path: Path) -> list[Table]:
    """Every table in the file: one for a CSV, one per sheet of an XLSX workbook."""
    try:
        start = path.read_bytes()[:4]
    except OSError as error:
        raise UnreadableFile(file=path.name, value=type(error).__name__) from error
    if start == ZIP_MAGIC:
        return read_xlsx_tables(path)
    if start == OLD_EXCEL_MAGIC:
        raise UnreadableFile(file=path.name, value="xls")
    return [read_csv_table(path)]


def read_csv_table(path: Path) -> Table:
    text = _decode(path)
    delimiter = _delimiter(text)
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as error:
        raise UnreadableFile(file=path.name, value="csv") from error
    return _table(path.name, "", [tuple[object, ...](row) for row in rows], delimiter)


def read_xlsx_tables(path: Path) -> list[Table]:
    # Imported here: openpyxl (with numpy, ~29 MB) loads only when a file is made or read.
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as error:
        raise UnreadableFile(file=path.name, value="xlsx") from error
    try:
        tables = []
        for sheet in workbook.worksheets:
            sheet.reset_dimensions()  # some writers store wrong dimensions
            rows = [_up_to_last_value(row) for row in sheet.iter_rows(values_only=True)]
            tables.append(_table(path.name, sheet.title, rows))
        return tables
    finally:
        workbook.close()


def _decode(path: Path) -> str:
    data = path.read_bytes()
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode text" export
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise UnreadableFile(file=path.name, value="encoding") from error
    if b"\x00" in data:
        raise UnreadableFile(file=path.name, value="binary")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        # Excel's plain "CSV" export on Indonesian Windows writes the ANSI code page.
        return data.decode("cp1252")
    except UnicodeDecodeError as error:
        raise UnreadableFile(file=path.name, value="encoding") from error


def _delimiter(text: str) -> str:
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    return max(CSV_DELIMITERS, key=first_line.count)


def _table(file: str, sheet: str, rows: Sequence[tuple[object, ...]], separator: str = "") -> Table:
    numbered = [(number, row) for number, row in enumerate(rows, start=1) if not _blank_row(row)]
    if not numbered:
        return Table(file, sheet, header_row=1, header=(), labels=(), rows=(), separator=separator)
    header_row, header = numbered[0]
    return Table(
        file=file,
        sheet=sheet,
        header_row=header_row,
        header=tuple(header_name(cell) for cell in header),
        labels=tuple(str(cell or "").strip() for cell in header),
        rows=tuple(numbered[1:]),
        separator=separator,
    )


def used_length(cells: Sequence[object]) -> int:
    """How many cells a row has up to its last one with a value (0 for a blank row)."""
    with_values = [index for index, cell in enumerate(cells) if not is_blank(cell)]
    return with_values[-1] + 1 if with_values else 0


def _up_to_last_value(row: Sequence[object]) -> tuple[object, ...]:
    return tuple(row[: used_length(row)])


def _blank_row(row: tuple[object, ...]) -> bool:
    return all(is_blank(cell) for cell in row)
