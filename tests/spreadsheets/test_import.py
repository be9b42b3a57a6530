"""Staff load coops, suppliers and the catalog from the spreadsheets they already keep."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest
from openpyxl import Workbook

from purchasing.model import Coop, PriceTier, Product, Supplier
from spreadsheets.catalog_xlsx import write_catalog_workbook
from spreadsheets.importing import (
    read_catalog_workbook,
    read_coops,
    read_products,
    read_suppliers,
)
from tests.support import EXAMPLES

PRODUCT_HEADER = "kode,nama,pemasok,satuan,isi,harga_pasar,tingkat_harga,moq"


def write_xlsx(path: Path, sheets: Mapping[str, Sequence[Sequence[object]]]) -> Path:
    workbook = Workbook()
    first = workbook.active
    assert first is not None
    workbook.remove(first)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    workbook.save(path)
    return path


def write_text(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def test_the_sample_jaringan_loads_twenty_coops_four_suppliers_and_25_products() -> None:
    coops = read_coops(EXAMPLES / "koperasi.csv")
    suppliers = read_suppliers(EXAMPLES / "pemasok.csv")
    products = read_products(EXAMPLES / "produk.csv", {s.code for s in suppliers})

    assert (len(coops), len(suppliers), len(products)) == (20, 4, 25)
    assert coops[0] == Coop(
        "DT",
        "Kopontren Daarut Tauhid",
        "Jl. Gegerkalong Girang No. 38, Kec. Sukasari, Bandung",
        "0812-0000-0101",
    )
    assert {s.code for s in suppliers} == {"BULOG", "INDOFOOD", "UNILEVER", "SBMART"}
    minyakita = next(p for p in products if p.code == "MKITA-1L")
    assert minyakita == Product(
        code="MKITA-1L",
        name="Minyakita minyak goreng 1 L",
        supplier_code="BULOG",
        unit="dus",
        contents="12 botol × 1 L",
        market_price=204_000,
        tiers=(PriceTier(1, 190_000), PriceTier(50, 186_000), PriceTier(150, 183_000)),
        moq=30,
        max_per_coop=10,
        supply_cap=300,
    )
    assert all(2 <= len(p.tiers) <= 3 for p in products)


def test_the_sample_workbook_holds_exactly_what_the_sample_csv_files_hold() -> None:
    catalog = read_catalog_workbook(EXAMPLES / "katalog.xlsx")

    assert list(catalog.coops) == read_coops(EXAMPLES / "koperasi.csv")
    assert list(catalog.suppliers) == read_suppliers(EXAMPLES / "pemasok.csv")
    assert list(catalog.products) == read_products(EXAMPLES / "produk.csv")


def test_a_single_sheet_of_the_catalog_workbook_can_be_read_on_its_own() -> None:
    products = read_products(EXAMPLES / "katalog.xlsx")
    coops = read_coops(EXAMPLES / "katalog.xlsx")

    assert len(products) == 25 and len(coops) == 20


def test_an_indonesian_excel_export_with_semicolons_and_a_bom_is_read(tmp_path: Path) -> None:
    path = write_text(
        tmp_path / "produk.csv",
        "Kode;Nama;Pemasok;Satuan;Isi;Harga Pasar;Tingkat Harga;MOQ\r\n"
        'glp-50;Gula pasir 50 kg;bulog;karung;50 kg;Rp 900.000,-;"1:870.000; 10:855.000";5\r\n',
        encoding="utf-8-sig",
    )

    [product] = read_products(path)

    assert product.code == "GLP-50" and product.supplier_code == "BULOG"
    assert product.market_price == 900_000
    assert product.tiers == (PriceTier(1, 870_000), PriceTier(10, 855_000))
    assert product.moq == 5 and product.max_per_coop is None and product.supply_cap is None


def test_an_ansi_csv_from_old_excel_is_read_too(tmp_path: Path) -> None:
    path = write_text(
        tmp_path / "koperasi.csv", "kode,nama\nKOP1,Koperasi Café Ciumbuleuit\n", "cp1252"
    )

    assert read_coops(path)[0].name == "Koperasi Café Ciumbuleuit"


def test_english_headers_and_price_pairs_work_in_any_case_and_spacing(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "catalog.xlsx",
        {
            "Products": [
                ["CODE", "Name", "Supplier", "Unit", "Contents", "Market Price",
                 "Min 1", "Price 1", "min_2", "price_2", "Max per coop", "Supply cap"],
                ["idm-grg", "Indomie goreng", "indofood", "karton", "40 bungkus", 132000.0,
                 1, 122000, 30.0, "119.000", 10, None],
            ],
        },
    )  # fmt: skip

    [product] = read_products(path)

    assert product.code == "IDM-GRG" and product.market_price == 132_000
    assert product.tiers == (PriceTier(1, 122_000), PriceTier(30, 119_000))
    assert (product.max_per_coop, product.supply_cap, product.moq) == (10, None, None)


@pytest.mark.parametrize(
    "written", ["125000", "125.000", "Rp 125.000", "Rp125.000,00", "rp. 125,000", "IDR 125000"]
)
def test_market_prices_may_be_written_the_way_people_write_rupiah(
    tmp_path: Path, written: str
) -> None:
    path = write_xlsx(
        tmp_path / "produk.xlsx",
        {"produk": [PRODUCT_HEADER.split(","), ["P1", "Teh", "S1", "dus", "", written, "1:100"]]},
    )

    assert read_products(path)[0].market_price == 125_000


def test_names_keep_html_as_text_and_contacts_keep_their_leading_zero(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "pemasok.xlsx",
        {"pemasok": [["kode", "nama", "kontak"], [" sb_1 ", "  SB <Mart> & Co ", "0812 555"]]},
    )

    assert read_suppliers(path) == [Supplier("SB_1", "SB <Mart> & Co", "0812 555")]


def test_blank_rows_and_unknown_columns_are_ignored(tmp_path: Path) -> None:
    path = write_text(
        tmp_path / "koperasi.csv",
        "kode,nama,catatan\nK1,Koperasi Satu,lunas\n,,\n\nK2,Koperasi Dua,\n",
    )

    assert [c.code for c in read_coops(path)] == ["K1", "K2"]


def test_a_workbook_product_may_use_a_supplier_already_in_the_database(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "katalog.xlsx",
        {
            "koperasi": [["kode", "nama"], ["K1", "Koperasi Satu"]],
            "pemasok": [["kode", "nama"], ["S1", "Pemasok Satu"]],
            "produk": [
                PRODUCT_HEADER.split(","),
                ["P1", "Teh", "S1", "dus", "", 1000, "1:900"],
                ["P2", "Kopi", "OLD", "dus", "", 1000, "1:900"],
            ],
        },
    )

    catalog = read_catalog_workbook(path, known_suppliers={"OLD"})

    assert [p.supplier_code for p in catalog.products] == ["S1", "OLD"]


def test_a_written_catalog_workbook_reads_back_the_same_catalog(tmp_path: Path) -> None:
    catalog = read_catalog_workbook(EXAMPLES / "katalog.xlsx")

    written = write_catalog_workbook(catalog, tmp_path / "salinan.xlsx")

    assert read_catalog_workbook(written) == catalog
