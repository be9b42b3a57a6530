"""Which list a file holds, and reading several files into one `Catalog` for one import.

A CSV file holds one list, named by a word in its file name ("data-koperasi.csv" → coops);
an XLSX workbook holds any of the three as sheets, or just one list (named by its sheet or
its file name, as a CSV file). `belanja-bareng import` and a file sent
in the admin's chat both read their files here, then hand the result to ONE
`storage.catalog.reads.import_catalog`.

The files of one import are one batch, so a code may appear once in all of them, as in one
file: a coop, supplier or product code in two files is refused (`DuplicateCode` naming both
places), never left for the last file to win. Coops and suppliers are separate lists: a
coop may have a supplier's code (`storage.errors.CodeAmbiguous` tells them apart later).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import ClassVar, TypeVar

from purchasing.model import Coop, Product, Supplier
from spreadsheets.errors import DuplicateCode, ImportFailed, ImportProblem
from spreadsheets.importing import (
    Catalog,
    Listing,
    coop_listing,
    product_listing,
    supplier_listing,
    workbook_listings,
)
from spreadsheets.table import Table, header_name, read_tables

KINDS: dict[str, tuple[str, ...]] = {
    "coops": ("koperasi", "coops", "coop"),
    "suppliers": ("pemasok", "suppliers", "supplier"),
    "products": ("produk", "products", "product"),
}
WORKBOOK_SUFFIXES = (".xlsx",)
CSV_SUFFIXES = (".csv",)
# A file to read and the name its owner gave it (problems name the file by that name).
NamedPath = tuple[Path, str]
T = TypeVar("T")
Listed = TypeVar("Listed", Coop, Supplier, Product)


class UnknownFileKind(Exception):
    """A CSV file whose name says neither coops, suppliers nor products."""

    key: ClassVar[str] = "cli_unknown_file_kind"

    def __init__(self, file: str) -> None:
        super().__init__(f"{self.key} {file}")
        self.file = file
        self.params: dict[str, object] = {"file": file}


def is_workbook(name: str) -> bool:
    return Path(name).suffix.lower() in WORKBOOK_SUFFIXES


def kind_of(name: str) -> str:
    """The kind of a CSV file, from the words in its name ("data-koperasi.csv" → coops)."""
    words = set(re.split(r"[^a-z]+", Path(name).stem.lower()))
    found = [kind for kind, names in KINDS.items() if words & set(names)]
    if len(found) != 1:
        raise UnknownFileKind(file=Path(name).name)
    return found[0]


def read_catalog_files(
    files: Sequence[NamedPath], kind: str | None, known_suppliers: set[str]
) -> Catalog:
    """Every file read (products last, so they may name suppliers from the other files).

    `kind` holds for every CSV file; None reads it from each file's name. Raises
    `UnknownFileKind`, the first file's `ImportFailed`, or, when every file reads well, one
    `ImportFailed` for the codes written in two of them (`_twice`).
    """
    coops: list[Listing[Coop]] = []
    suppliers: list[Listing[Supplier]] = []
    products: list[Listing[Product]] = []
    product_files: list[NamedPath] = []
    for path, name in files:
        single = _workbook_list(path, name, kind) if is_workbook(name) else None
        if is_workbook(name) and single is None:
            read = partial(workbook_listings, known_suppliers=known_suppliers)
            sheets = _named(name, path, read)
            coops.append(replace(sheets[0], file=name))
            suppliers.append(replace(sheets[1], file=name))
            products.append(replace(sheets[2], file=name))
            continue
        match single or kind or kind_of(name):
            case "coops":
                coops.append(replace(_named(name, path, coop_listing), file=name))
            case "suppliers":
                suppliers.append(replace(_named(name, path, supplier_listing), file=name))
            case _:
                product_files.append((path, name))
    known = known_suppliers | {s.code for listing in suppliers for s in listing.values}
    for path, name in product_files:
        read_products = partial(product_listing, known_suppliers=known)
        products.append(replace(_named(name, path, read_products), file=name))
    problems = [*_twice(coops), *_twice(suppliers), *_twice(products)]
    if problems:
        files_at_fault = dict.fromkeys(str(problem.params["file"]) for problem in problems)
        raise ImportFailed(", ".join(files_at_fault), problems)
    return Catalog(_values(coops), _values(suppliers), _values(products))


def _workbook_list(path: Path, name: str, kind: str | None) -> str | None:
    """The one list an XLSX file holds ("koperasi.xlsx" with one sheet), or None when it is
    a catalog workbook (`read_catalog_workbook`: sheets of several lists, or none that a
    sheet or the file's name tells): `kind` if given, else the list its sheet or name says."""
    tables = _named(name, path, read_tables_named)
    sheets = {header_name(table.sheet) for table in tables}
    held = [k for k, names in KINDS.items() if sheets & set(names)]
    if len(held) > 1:
        return None
    if kind is not None or held:
        return kind or held[0]
    try:
        return kind_of(name)
    except UnknownFileKind:
        return None


def read_tables_named(path: Path) -> list[Table]:
    """The tables of `path`, a problem reading it raised as the file's ImportFailed."""
    try:
        return read_tables(path)
    except ImportProblem as problem:
        raise ImportFailed(path.name, [problem]) from problem


def _named(name: str, path: Path, read: Callable[[Path], T]) -> T:
    """`read(path)`, with its problems naming the file `name` instead of `path.name`."""
    try:
        return read(path)
    except ImportFailed as failed:
        if name == path.name:
            raise
        for problem in failed.problems:
            if problem.params.get("file") == path.name:
                problem.params["file"] = name
        raise ImportFailed(name, failed.problems) from failed


def _twice(listings: Sequence[Listing[Listed]]) -> list[ImportProblem]:
    """A `DuplicateCode` for each code a list (coops, suppliers or products) has in two of
    the import's files, at its later place, naming the first (`first_file`, `first_sheet`,
    `first_row`). A code twice in one file was refused as the file was read."""
    first: dict[str, tuple[Listing[Listed], int]] = {}
    problems: list[ImportProblem] = []
    for listing in listings:
        for code, row in listing.rows.items():
            if code not in first:
                first[code] = (listing, row)
                continue
            earlier, first_row = first[code]
            problems.append(
                DuplicateCode(
                    file=listing.file, sheet=listing.sheet, row=row, column=listing.column,
                    value=code, first_row=first_row, first_file=earlier.file,
                    first_sheet=earlier.sheet,
                )
            )  # fmt: skip
    return problems


def _values(listings: Sequence[Listing[Listed]]) -> tuple[Listed, ...]:
    return tuple(value for listing in listings for value in listing.values)
