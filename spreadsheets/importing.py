"""Import of coops, suppliers and products from CSV or XLSX into domain values.

Pure parsing, no database: the caller hands the values to `storage.catalog.reads.import_catalog`
in one transaction. Every problem of a file is collected and raised as one `ImportFailed`,
so an import is all or nothing. A row with a value beyond the header's columns is one
problem and is not read (`RowReader.fits`): an unquoted comma split one of its cells. The
columns are described in docs/spreadsheets.md.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Generic, TypeVar

from purchasing.model import Coop, Product, Supplier
from spreadsheets import columns as c
from spreadsheets.cells import RowReader, column_name
from spreadsheets.errors import (
    DuplicateCode,
    ImportFailed,
    ImportProblem,
    MissingColumn,
    MissingSheet,
    NoRows,
    ProductColumns,
)
from spreadsheets.rows import coop_from_row, product_from_row, supplier_from_row
from spreadsheets.table import Table, read_tables

T = TypeVar("T", Coop, Supplier, Product)
RowParser = Callable[[RowReader, dict[str, int | None]], T | None]


@dataclass(frozen=True, slots=True)
class Catalog:
    """Everything one catalog workbook holds."""

    coops: tuple[Coop, ...]
    suppliers: tuple[Supplier, ...]
    products: tuple[Product, ...]


@dataclass(frozen=True, slots=True)
class Listing(Generic[T]):
    """The values one sheet (or CSV file) lists, and where each one's code is written: the
    row by code, in the file's order, and the code's column as problems name it. A code in
    two files of one import is refused by naming both places (`spreadsheets.files`)."""

    values: tuple[T, ...]
    file: str
    sheet: str = ""
    column: str = ""
    rows: Mapping[str, int] = field(default_factory=dict)


COOP_FIELDS = {"code": c.CODE, "name": c.NAME, "address": c.ADDRESS, "contact": c.CONTACT}
SUPPLIER_FIELDS = {"code": c.CODE, "name": c.NAME, "contact": c.CONTACT, "account": c.ACCOUNT}
PRODUCT_FIELDS = {
    "code": c.CODE,
    "name": c.NAME,
    "supplier": c.SUPPLIER,
    "unit": c.UNIT,
    "contents": c.CONTENTS,
    "market_price": c.MARKET_PRICE,
    "tiers": c.TIERS,
    "moq": c.MOQ,
    "max_per_coop": c.MAX_PER_COOP,
    "supply_cap": c.SUPPLY_CAP,
}
COOP_REQUIRED = ("code", "name")
SUPPLIER_REQUIRED = ("code", "name")
PRODUCT_REQUIRED = ("code", "name", "supplier", "unit", "market_price")


def read_coops(path: Path) -> list[Coop]:
    return list(coop_listing(path).values)


def read_suppliers(path: Path) -> list[Supplier]:
    return list(supplier_listing(path).values)


def read_products(path: Path, known_suppliers: set[str] | None = None) -> list[Product]:
    """Products; with `known_suppliers`, a product of any other supplier is a problem."""
    return list(product_listing(path, known_suppliers).values)


def coop_listing(path: Path) -> Listing[Coop]:
    return _read_single(path, c.COOP_SHEETS, _read_coops)


def supplier_listing(path: Path) -> Listing[Supplier]:
    return _read_single(path, c.SUPPLIER_SHEETS, _read_suppliers)


def product_listing(path: Path, known_suppliers: set[str] | None = None) -> Listing[Product]:
    def read(table: Table, problems: list[ImportProblem]) -> Listing[Product]:
        return _read_products(table, problems, known_suppliers)

    return _read_single(path, c.PRODUCT_SHEETS, read)


def read_catalog_workbook(path: Path, known_suppliers: set[str] | None = None) -> Catalog:
    """One XLSX with sheets koperasi, pemasok and produk (or coops, suppliers, products).

    A product's supplier must be on the pemasok sheet or among `known_suppliers`.
    """
    coops, suppliers, products = workbook_listings(path, known_suppliers)
    return Catalog(coops.values, suppliers.values, products.values)


def workbook_listings(
    path: Path, known_suppliers: set[str] | None = None
) -> tuple[Listing[Coop], Listing[Supplier], Listing[Product]]:
    """`read_catalog_workbook`'s three lists, each with where its codes are written."""
    problems: list[ImportProblem] = []
    tables = _tables(path)
    found = [
        _sheet(path, tables, names, problems)
        for names in (c.COOP_SHEETS, c.SUPPLIER_SHEETS, c.PRODUCT_SHEETS)
    ]
    coop_table, supplier_table, product_table = found
    coops: Listing[Coop] = Listing((), path.name)
    suppliers: Listing[Supplier] = Listing((), path.name)
    products: Listing[Product] = Listing((), path.name)
    if coop_table:
        coops = _read_coops(coop_table, problems)
    if supplier_table:
        suppliers = _read_suppliers(supplier_table, problems)
    known = {s.code for s in suppliers.values} | (known_suppliers or set())
    if product_table:
        products = _read_products(product_table, problems, known)
    if problems:
        raise ImportFailed(path.name, problems)
    return coops, suppliers, products


ReadTable = Callable[[Table, list[ImportProblem]], Listing[T]]


def _read_single(path: Path, sheet_names: tuple[str, ...], read: ReadTable[T]) -> Listing[T]:
    tables = _tables(path)
    table = c.pick_table(tables, sheet_names) or tables[0]
    problems: list[ImportProblem] = []
    values = read(table, problems)
    if problems:
        raise ImportFailed(path.name, problems)
    return values


def _tables(path: Path) -> list[Table]:
    try:
        return read_tables(path)
    except ImportProblem as problem:
        raise ImportFailed(path.name, [problem]) from problem


def _sheet(
    path: Path, tables: list[Table], names: tuple[str, ...], problems: list[ImportProblem]
) -> Table | None:
    table = c.pick_table(tables, names)
    if table is None:
        problems.append(MissingSheet(file=path.name, sheet=names[0], value=", ".join(names)))
    return table


def _read_coops(table: Table, problems: list[ImportProblem]) -> Listing[Coop]:
    wrong_kind = _product_columns(table, "coops")
    return _read_rows(table, problems, COOP_FIELDS, COOP_REQUIRED, coop_from_row, wrong_kind)


def _read_suppliers(table: Table, problems: list[ImportProblem]) -> Listing[Supplier]:
    wrong_kind = _product_columns(table, "suppliers")
    fields, required = SUPPLIER_FIELDS, SUPPLIER_REQUIRED
    return _read_rows(table, problems, fields, required, supplier_from_row, wrong_kind)


def _product_columns(table: Table, kind: str) -> list[ImportProblem]:
    """The first header of a product's own columns in a list of coops or suppliers."""
    for names in (c.SUPPLIER, c.UNIT, c.MARKET_PRICE, c.TIERS):
        index = c.find(table, names)
        if index is not None:
            label = table.labels[index] if index < len(table.labels) else names[0]
            row = table.header_row
            return [ProductColumns(file=table.file, sheet=table.sheet, row=row, column=label,
                                   value=kind)]  # fmt: skip
    return []


def _read_products(
    table: Table, problems: list[ImportProblem], known_suppliers: set[str] | None
) -> Listing[Product]:
    pairs = c.tier_pairs(table)

    def parse(row: RowReader, fields: dict[str, int | None]) -> Product | None:
        return product_from_row(row, fields, pairs, known_suppliers)

    header_problems: list[ImportProblem] = []
    for pair in pairs:
        for index, word in ((pair.min_index, "min"), (pair.price_index, "harga")):
            if index is None:
                name = f"{word}{pair.number}"
                header_problems.append(_missing(table, name, (name,)))
    if c.find(table, c.TIERS) is None and not pairs:
        header_problems.append(_missing(table, c.TIERS[0], (*c.TIERS, "min1 + harga1")))
    return _read_rows(table, problems, PRODUCT_FIELDS, PRODUCT_REQUIRED, parse, header_problems)


def _read_rows(
    table: Table,
    problems: list[ImportProblem],
    fields: Mapping[str, tuple[str, ...]],
    required: tuple[str, ...],
    parse: RowParser[T],
    header_problems: list[ImportProblem] | None = None,
) -> Listing[T]:
    nothing: Listing[T] = Listing((), table.file, table.sheet)
    if not table.rows:
        problems.append(NoRows(file=table.file, sheet=table.sheet, row=table.header_row))
        return nothing
    indexes = {field: c.find(table, names) for field, names in fields.items()}
    missing: list[ImportProblem] = [
        _missing(table, fields[f][0], fields[f]) for f in required if indexes[f] is None
    ]
    missing += header_problems or []
    if missing:
        problems.extend(sorted(missing, key=lambda p: str(p.params["column"])))
        return nothing
    code_index = indexes["code"]
    assert code_index is not None  # a required column
    values: list[T] = []
    first_rows: dict[str, int] = {}
    for number, cells in table.rows:
        row = RowReader(table, number, cells, problems)
        value = parse(row, indexes) if row.fits() else None
        if value is None:
            continue
        if value.code in first_rows:
            row.problem(DuplicateCode, code_index, value.code, first_row=first_rows[value.code])
            continue
        first_rows[value.code] = number
        values.append(value)
    column = column_name(table, code_index)
    return Listing(tuple(values), table.file, table.sheet, column, first_rows)


def _missing(table: Table, name: str, names: tuple[str, ...]) -> MissingColumn:
    return MissingColumn(
        file=table.file,
        sheet=table.sheet,
        row=table.header_row,
        column=name,
        value=", ".join(names),
    )
