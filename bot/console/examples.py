"""The sample JUK data the demo loads: examples/{koperasi,pemasok,produk}.csv of the repository.

The CSV files are not package data: they are found next to the source tree
(`<repo>/examples`). An installed package without them says so (ExamplesMissing) instead of
starting an empty demo.
"""

from __future__ import annotations

from pathlib import Path

from bot.console.errors import ExamplesMissing
from spreadsheets.importing import Catalog, read_coops, read_products, read_suppliers

EXAMPLES_DIR = Path(__file__).resolve().parents[2] / "examples"
FILES = ("koperasi.csv", "pemasok.csv", "produk.csv")


def sample_catalog(directory: Path = EXAMPLES_DIR) -> Catalog:
    """The coops, suppliers and products of the sample files in `directory`."""
    missing = [name for name in FILES if not (directory / name).is_file()]
    if missing:
        raise ExamplesMissing(directory=str(directory), files=", ".join(missing))
    coops_file, suppliers_file, products_file = (directory / name for name in FILES)
    suppliers = read_suppliers(suppliers_file)
    products = read_products(products_file, {supplier.code for supplier in suppliers})
    return Catalog(tuple(read_coops(coops_file)), tuple(suppliers), tuple(products))
