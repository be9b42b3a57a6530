"""Reading an XLSX the bot wrote, as a person opening it would see it."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

Cells = dict[str, list[tuple[object, ...]]]


def workbook_cells(path: Path) -> Cells:
    """Every sheet's rows of values, by sheet title."""
    workbook = load_workbook(path, read_only=True)
    try:
        return {
            sheet.title: [tuple(row) for row in sheet.iter_rows(values_only=True)]
            for sheet in workbook.worksheets
        }
    finally:
        workbook.close()
