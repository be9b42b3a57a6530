"""Spreadsheets in and out: CSV/XLSX import of the catalog, XLSX/CSV export of a closed round.

Import turns the Dinas spreadsheets into domain values (no database; see
`spreadsheets.importing`, and `spreadsheets.files` for several files at once); export
writes a round's outcome (see `spreadsheets.export`).
Columns and sheets are described in docs/spreadsheets.md.
"""

from spreadsheets.catalog_xlsx import write_catalog_workbook
from spreadsheets.errors import ImportFailed, ImportProblem
from spreadsheets.export import export_csv, export_workbook
from spreadsheets.files import UnknownFileKind, kind_of, read_catalog_files
from spreadsheets.importing import (
    Catalog,
    read_catalog_workbook,
    read_coops,
    read_products,
    read_suppliers,
)

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
