"""Spreadsheets in and out: CSV/XLSX import of the catalog, XLSX/CSV export of a closed round.

Import turns the Dinas spreadsheets into domain values (no database; see
`spreadsheets.importing`, and `spreadsheets.files` for several files at once); export
writes a round's outcome (see `spreadsheets.export`).
Columns and sheets are described in docs/spreadsheets.md.
"""

from typing import TYPE_CHECKING

from spreadsheets.errors import ImportFailed, ImportProblem
from spreadsheets.files import UnknownFileKind, kind_of, read_catalog_files
from spreadsheets.importing import (
    Catalog,
    read_catalog_workbook,
    read_coops,
    read_products,
    read_suppliers,
)

if TYPE_CHECKING:
    from spreadsheets.catalog_xlsx import write_catalog_workbook
    from spreadsheets.export import export_csv, export_workbook

# The writers import openpyxl (with numpy, ~29 MB): loaded when first asked for, so a
# process that never writes a workbook (the running bot) never holds them.
_WRITERS = {
    "write_catalog_workbook": "spreadsheets.catalog_xlsx",
    "export_csv": "spreadsheets.export",
    "export_workbook": "spreadsheets.export",
}


def __getattr__(name: str) -> object:
    if name in _WRITERS:
        from importlib import import_module

        return getattr(import_module(_WRITERS[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "Catalog",
    "ImportFailed",
    "ImportProblem",
    "UnknownFileKind",
    "export_csv",
    "export_workbook",
    "kind_of",
    "read_catalog_files",
    "read_catalog_workbook",
    "read_coops",
    "read_products",
    "read_suppliers",
    "write_catalog_workbook",
]
