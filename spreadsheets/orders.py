"""Reading a sheet of orders (`belanja-bareng order --file`, or `pesanan-*.csv` sent in the
admin's chat): orders phoned in or collected on paper, typed into one CSV or XLSX file.

The format (docs/spreadsheets.md): a header row, then one row per order line with the coop's
code (`koperasi` / `coop`), the product's code (`produk` / `product`) and the quantity
(`jumlah` / `quantity`, a whole number; 0 removes the coop's order of that product). Other
named columns (a coop's name, notes) are ignored; a row with a value beyond the header's
columns (`PERSIS,IDM-GRG,2,5`: a decimal comma typed unquoted) is a problem, not read. In a
workbook the sheet called `pesanan` / `orders` is read, else the first. The quantity is read
as a typed order is (`purchasing.order_text.parse_quantity`: `1.000` is a thousand). A file
with any bad row is refused whole, each problem named by row and column; whether the round
takes the orders is the use case's question (`usecases.order_sheet`), not this module's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

from purchasing.errors import QuantityInvalid
from purchasing.order_text import parse_quantity
from spreadsheets.cells import RowReader, cell_text
from spreadsheets.columns import find, pick_table
from spreadsheets.errors import (
    BadQuantity,
    DuplicateOrder,
    EmptyValue,
    ImportFailed,
    ImportProblem,
    MissingColumn,
    NoRows,
)
from spreadsheets.table import Table, read_tables

# A file whose name holds one of these words is a sheet of orders ("pesanan-desember.csv").
ORDER_WORDS = frozenset({"pesanan", "orders"})
ORDER_SHEETS = ("pesanan", "orders", "order")
COOP = ("koperasi", "coop", "kode_koperasi", "coop_code")
PRODUCT = ("produk", "product", "kode_produk", "product_code")
QUANTITY = ("jumlah", "quantity", "qty")
FIELDS = (COOP, PRODUCT, QUANTITY)


@dataclass(frozen=True, slots=True)
class SheetOrder:
    """One row of the sheet: set `coop_code`'s quantity of `product_code` to `quantity`."""

    row: int
    coop_code: str
    product_code: str
    quantity: int


def is_order_sheet(name: str) -> bool:
    """Whether a file sent by staff is a sheet of orders ("pesanan-desember.csv")."""
    return bool(set(re.split(r"[^a-z]+", Path(name).stem.lower())) & ORDER_WORDS)


def read_order_sheet(path: Path, name: str) -> list[SheetOrder]:
    """Every order line of the sheet in `path` (called `name` in messages), in row order.
    Raises ImportFailed with every problem found."""
    try:
        tables = read_tables(path)
    except ImportProblem as problem:
        raise ImportFailed(name, [problem]) from problem
    table = pick_table(tables, ORDER_SHEETS) or tables[0]
    table = replace(table, file=name)
    problems: list[ImportProblem] = []
    orders = _orders(table, problems)
    if problems:
        raise ImportFailed(name, problems)
    return orders


def _orders(table: Table, problems: list[ImportProblem]) -> list[SheetOrder]:
    columns = _columns(table, problems)
    if columns is None:
        return []
    if not table.rows:
        problems.append(NoRows(file=table.file, sheet=table.sheet, row=table.header_row))
        return []
    orders: list[SheetOrder] = []
    first_rows: dict[tuple[str, str], int] = {}
    for number, cells in table.rows:
        row = RowReader(table, number, cells, problems)
        order = _order(row, columns) if row.fits() else None
        if order is None:
            continue
        pair = (order.coop_code, order.product_code)
        if pair in first_rows:
            row.problem(DuplicateOrder, columns[1], " ".join(pair), first_row=first_rows[pair])
            continue
        first_rows[pair] = number
        orders.append(order)
    return orders


def _columns(table: Table, problems: list[ImportProblem]) -> tuple[int, int, int] | None:
    """The coop, product and quantity columns; None (and a problem each) when missing."""
    found = [find(table, names) for names in FIELDS]
    for index, names in zip(found, FIELDS, strict=True):
        if index is None:
            problems.append(
                MissingColumn(file=table.file, sheet=table.sheet, row=table.header_row,
                              column=names[0], value=", ".join(names))
            )  # fmt: skip
    coop, product, quantity = found
    if coop is None or product is None or quantity is None:
        return None
    return coop, product, quantity


def _order(row: RowReader, columns: tuple[int, int, int]) -> SheetOrder | None:
    coop, product, how_many = columns
    coop_code = row.code(coop)
    product_code = row.code(product)
    quantity = _quantity(row, how_many)
    if row.ok and quantity is not None:
        return SheetOrder(row.row, coop_code, product_code, quantity)
    return None


def _quantity(row: RowReader, index: int) -> int | None:
    """The quantity as a typed order reads it; a blank cell is a problem, not a 0."""
    cell = row.cell(index)
    if isinstance(cell, bool) or (isinstance(cell, float) and not cell.is_integer()):
        # 2.125 in a number cell is a fraction, not the typed "2.125" (two thousand ...)
        row.problem(BadQuantity, index, cell_text(cell))
        return None
    text = cell_text(cell)
    if not text:
        row.problem(EmptyValue, index, "")
        return None
    try:
        return parse_quantity(text)
    except QuantityInvalid:
        row.problem(BadQuantity, index, text)
        return None
