"""Build examples/katalog.xlsx from the sample CSVs, through our own reader and writer.

Run from the repository root: `.venv/bin/python examples/make_workbook.py`.
"""

from __future__ import annotations

from pathlib import Path

from spreadsheets.catalog_xlsx import write_catalog_workbook
from spreadsheets.importing import Catalog, read_coops, read_products, read_suppliers

EXAMPLES = Path(__file__).resolve().parent


def sample_catalog(folder: Path = EXAMPLES) -> Catalog:
    """The JUK sample data of the CSV files in `folder`."""
    suppliers = read_suppliers(folder / "pemasok.csv")
    products = read_products(folder / "produk.csv", {s.code for s in suppliers})
    return Catalog(tuple(read_coops(folder / "koperasi.csv")), tuple(suppliers), tuple(products))


def main() -> None:
    dest = write_catalog_workbook(sample_catalog(), EXAMPLES / "katalog.xlsx")
    print(dest)


if __name__ == "__main__":
    main()
