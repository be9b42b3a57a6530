"""A malformed spreadsheet is refused as a whole, with every problem named by row and column."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import Workbook

from messages import Renderer, TextStyle
from spreadsheets.errors import ImportFailed, ImportProblem
from spreadsheets.importing import read_catalog_workbook, read_coops, read_products

PRODUCT_HEADER = "kode,nama,pemasok,satuan,isi,harga_pasar,tingkat_harga"


def problems(read: Callable[[], object]) -> list[ImportProblem]:
    with pytest.raises(ImportFailed) as failed:
        read()
    return list(failed.value.problems)


def only_problem(read: Callable[[], object]) -> dict[str, object]:
    [problem] = problems(read)
    return {"key": problem.key, **problem.params}


def csv_file(tmp_path: Path, text: str, name: str = "produk.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def product_row(
    code: str = "P1",
    name: str = "Teh celup",
    supplier: str = "S1",
    price: str = "1000",
    tiers: str = "1:900; 10:850",
) -> str:
    return f"{code},{name},{supplier},dus,24 kotak,{price},{tiers}\n"


def products_csv(tmp_path: Path, *rows: str) -> Path:
    return csv_file(tmp_path, PRODUCT_HEADER + "\n" + "".join(rows))


def test_an_old_xls_file_is_refused_as_unreadable(tmp_path: Path) -> None:
    path = tmp_path / "produk.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100))

    assert only_problem(lambda: read_products(path)) | {"value": ""} == {
        "key": "import_unreadable_file", "file": "produk.xls", "sheet": "", "row": 0,
        "column": "", "value": "",
    }  # fmt: skip


def test_a_broken_xlsx_file_is_refused_as_unreadable(tmp_path: Path) -> None:
    path = tmp_path / "katalog.xlsx"
    path.write_bytes(b"PK\x03\x04 this is not really a zip")

    assert only_problem(lambda: read_catalog_workbook(path))["key"] == "import_unreadable_file"


def test_a_workbook_without_a_supplier_sheet_names_the_sheet_to_add(tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Koperasi"
    sheet.append(["kode", "nama"])
    sheet.append(["K1", "Koperasi Satu"])
    products = workbook.create_sheet("Produk")
    for row in (PRODUCT_HEADER.split(","), product_row().strip().split(",")):
        products.append(row)
    workbook.save(tmp_path / "katalog.xlsx")

    found = problems(lambda: read_catalog_workbook(tmp_path / "katalog.xlsx"))

    assert [(p.key, p.params["sheet"]) for p in found] == [
        ("import_missing_sheet", "pemasok"),
        ("import_unknown_supplier", "Produk"),
    ]


def test_a_file_with_only_a_header_has_no_rows(tmp_path: Path) -> None:
    path = csv_file(tmp_path, "kode,nama\n", "koperasi.csv")

    problem = only_problem(lambda: read_coops(path))

    assert (problem["key"], problem["row"]) == ("import_no_rows", 1)


def test_a_missing_column_is_named_with_the_names_it_may_have(tmp_path: Path) -> None:
    path = csv_file(tmp_path, "kode,nama,pemasok,isi,harga_pasar,tingkat_harga\nP1,Teh,S1,,1,1:1\n")

    problem = only_problem(lambda: read_products(path))

    assert problem["key"] == "import_missing_column"
    assert (problem["row"], problem["column"], problem["value"]) == (1, "satuan", "satuan, unit")


def test_a_tier_pair_without_its_price_column_is_a_missing_column(tmp_path: Path) -> None:
    path = csv_file(
        tmp_path, "kode,nama,pemasok,satuan,harga_pasar,min1,harga1,min2\nP,T,S,d,9,1,9,5\n"
    )

    problem = only_problem(lambda: read_products(path))

    assert (problem["key"], problem["column"]) == ("import_missing_column", "harga2")


@pytest.mark.parametrize(
    ("row", "key", "column", "value"),
    [
        (product_row(name=""), "import_empty_value", "B (nama)", ""),
        (product_row(price='"12,5"'), "import_bad_number", "F (harga_pasar)", "12,5"),
        (product_row(price="-5"), "import_bad_number", "F (harga_pasar)", "-5"),
        (
            product_row(price="Rp 125.000.000.000.000"),
            "import_number_too_large",
            "F (harga_pasar)",
            "Rp 125.000.000.000.000",
        ),
        (product_row(code="TEH 25"), "import_bad_code", "A (kode)", "TEH 25"),
        (product_row(code="SANGAT-PANJANG-SEKALI"), "import_bad_code", "A (kode)", ""),
        (product_row(name="x" * 121), "import_text_too_long", "B (nama)", ""),
        (product_row(name='"Teh\x07celup"'), "import_control_characters", "B (nama)", ""),
        (product_row(name='"Teh\ncelup"'), "import_control_characters", "B (nama)", ""),
        (product_row(tiers="1:900; 10:950"), "import_bad_tiers", "G (tingkat_harga)", ""),
        (product_row(tiers="10:900"), "import_bad_tiers", "G (tingkat_harga)", "10:900"),
        (product_row(tiers="1-900"), "import_bad_tiers", "G (tingkat_harga)", "1-900"),
        (product_row(tiers=""), "import_empty_value", "G (tingkat_harga)", ""),
    ],
)
def test_a_bad_cell_is_named_by_its_row_and_column(
    tmp_path: Path, row: str, key: str, column: str, value: str
) -> None:
    path = products_csv(tmp_path, product_row(code="OK1"), row)

    problem = only_problem(lambda: read_products(path))

    assert (problem["key"], problem["file"], problem["row"], problem["column"]) == (
        key, "produk.csv", 3, column,
    )  # fmt: skip
    if value:
        assert problem["value"] == value


def test_a_control_character_is_quoted_back_visibly(tmp_path: Path) -> None:
    path = products_csv(tmp_path, product_row(name="Teh\x07celup"))

    assert only_problem(lambda: read_products(path))["value"] == "Teh\\x07celup"


def test_the_same_code_twice_points_at_both_rows_even_in_another_case(tmp_path: Path) -> None:
    path = products_csv(tmp_path, product_row(code="TEH"), product_row(), product_row(code="teh"))

    problem = only_problem(lambda: read_products(path))

    assert (problem["key"], problem["row"], problem["first_row"], problem["value"]) == (
        "import_duplicate_code", 4, 2, "TEH",
    )  # fmt: skip


def test_a_supplier_not_known_to_the_caller_is_refused(tmp_path: Path) -> None:
    path = products_csv(tmp_path, product_row(supplier="wings"))

    problem = only_problem(lambda: read_products(path, known_suppliers={"S1", "BULOG"}))

    assert (problem["key"], problem["row"], problem["column"], problem["value"]) == (
        "import_unknown_supplier", 2, "C (pemasok)", "WINGS",
    )  # fmt: skip


def test_tiers_given_both_as_text_and_as_pairs_are_refused(tmp_path: Path) -> None:
    path = csv_file(
        tmp_path, PRODUCT_HEADER + ",min1,harga1\n" + product_row().strip() + ",1,900\n"
    )

    assert only_problem(lambda: read_products(path))["key"] == "import_bad_tiers"


def test_a_tier_pair_with_a_minimum_but_no_price_points_at_the_empty_cell(tmp_path: Path) -> None:
    path = csv_file(
        tmp_path,
        "kode,nama,pemasok,satuan,harga_pasar,min1,harga1,min2,harga2\nP1,Teh,S1,dus,10,1,9,5,\n",
    )

    problem = only_problem(lambda: read_products(path))

    assert (problem["key"], problem["column"]) == ("import_bad_tiers", "I (harga2)")


def test_a_fractional_number_in_an_xlsx_cell_is_a_bad_number(tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append([*PRODUCT_HEADER.split(","), "moq"])
    sheet.append(["P1", "Teh", "S1", "dus", "", 1000, "1:900", 2.5])
    workbook.save(tmp_path / "produk.xlsx")

    problem = only_problem(lambda: read_products(tmp_path / "produk.xlsx"))

    assert (problem["key"], problem["column"], problem["value"]) == (
        "import_bad_number", "H (moq)", "2.5",
    )  # fmt: skip


def test_every_problem_of_a_file_is_reported_at_once_in_row_order(tmp_path: Path) -> None:
    path = products_csv(
        tmp_path,
        product_row(price="murah"),
        product_row(code="P2"),
        product_row(code="P3", name="", tiers="banyak"),
    )

    found = problems(lambda: read_products(path))

    assert [(p.key, p.params["row"]) for p in found] == [
        ("import_bad_number", 2),
        ("import_empty_value", 4),
        ("import_bad_tiers", 4),
    ]


def test_an_empty_file_has_no_rows(tmp_path: Path) -> None:
    path = csv_file(tmp_path, "\n\n", "koperasi.csv")

    assert only_problem(lambda: read_coops(path))["key"] == "import_no_rows"


def test_an_empty_extra_sheet_in_a_workbook_does_no_harm(tmp_path: Path) -> None:
    workbook = Workbook()
    notes = workbook.active
    assert notes is not None
    notes.title = "Catatan"
    coops = workbook.create_sheet("koperasi")
    coops.append(["kode", "nama"])
    coops.append(["K1", "Koperasi Satu"])
    workbook.save(tmp_path / "koperasi.xlsx")

    assert [c.code for c in read_coops(tmp_path / "koperasi.xlsx")] == ["K1"]


COOP_HEADER = "kode,nama,alamat,kontak\n"


def test_an_address_with_an_unquoted_comma_is_refused_not_split_into_the_contact(
    tmp_path: Path,
) -> None:
    path = csv_file(
        tmp_path,
        COOP_HEADER + "LAMA1,Koperasi Lama,Jl. Asia Afrika 8,0812-0000\n"
        "BARU1,Koperasi Baru,Jl. Merdeka No. 1, Kec. Sumur Bandung,0812-1111\n",
        "koperasi.csv",
    )

    assert only_problem(lambda: read_coops(path)) == {
        "key": "import_extra_cells", "file": "koperasi.csv", "sheet": "", "row": 3,
        "column": "E", "value": "0812-1111", "cells": 5, "columns": 4, "separator": ",",
    }  # fmt: skip


def test_the_same_address_in_double_quotes_and_trailing_empty_cells_are_read(
    tmp_path: Path,
) -> None:
    path = csv_file(
        tmp_path,
        COOP_HEADER + 'BARU1,Koperasi Baru,"Jl. Merdeka No. 1, Kec. Sumur Bandung",0812-1111,,\n',
        "koperasi.csv",
    )

    [coop] = read_coops(path)

    assert (coop.address, coop.contact) == ("Jl. Merdeka No. 1, Kec. Sumur Bandung", "0812-1111")


def test_unquoted_tiers_in_a_semicolon_file_are_refused_not_cut_to_the_first_tier(
    tmp_path: Path,
) -> None:
    header = PRODUCT_HEADER.replace(",", ";")
    path = csv_file(tmp_path, f"{header}\nP1;Teh celup;S1;dus;24 kotak;1000;1:900; 10:850\n")

    problem = only_problem(lambda: read_products(path))

    assert (problem["key"], problem["row"], problem["column"], problem["value"]) == (
        "import_extra_cells", 2, "H", "10:850"
    )  # fmt: skip
    assert problem["separator"] == ";"


def test_a_value_in_an_unnamed_column_of_a_workbook_is_refused_empty_cells_there_are_not(
    tmp_path: Path,
) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "koperasi"
    sheet.append(["kode", "nama", "alamat", "kontak"])
    sheet.append(["K1", "Koperasi Satu", "Jl. Satu", "0812", None, "  "])
    sheet.append(["K2", "Koperasi Dua", "Jl. Dua", "0813", None, "cek lagi"])
    sheet["E10"].number_format = "0"  # a formatted, empty cell far off
    workbook.save(tmp_path / "koperasi.xlsx")

    problem = only_problem(lambda: read_coops(tmp_path / "koperasi.xlsx"))

    assert (problem["key"], problem["sheet"], problem["row"], problem["column"]) == (
        "import_extra_cells", "koperasi", 3, "F"
    )  # fmt: skip
    assert (problem["value"], problem["separator"]) == ("cek lagi", "")


LIMITS_HEADER = PRODUCT_HEADER + ",moq,maks_per_koperasi,batas_pasokan\n"


def test_a_minimum_order_above_the_supply_cap_is_refused_as_never_reachable(
    tmp_path: Path,
) -> None:
    path = csv_file(tmp_path, LIMITS_HEADER + product_row().strip() + ",50,,30\n")

    assert only_problem(lambda: read_products(path)) == {
        "key": "import_moq_over_supply_cap", "file": "produk.csv", "sheet": "", "row": 2,
        "column": "H (moq)", "value": "50", "limit": 30,
    }  # fmt: skip


def test_a_minimum_order_as_large_as_the_supply_cap_can_be_met(tmp_path: Path) -> None:
    path = csv_file(tmp_path, LIMITS_HEADER + product_row().strip() + ",30,,30\n")

    [product] = read_products(path)

    assert (product.moq, product.supply_cap) == (30, 30)


def test_an_amount_beyond_the_largest_number_is_told_it_is_too_large_with_the_maximum(
    tmp_path: Path,
) -> None:
    path = products_csv(tmp_path, product_row(price="Rp 125.000.000.000.000"))

    with pytest.raises(ImportFailed) as failed:
        read_products(path)

    renderer = Renderer()
    text = renderer.render("errors/import_failed", "id", failed.value.params, TextStyle.PLAIN)
    english = renderer.render("errors/import_failed", "en", failed.value.params, TextStyle.PLAIN)
    assert "Rp 125.000.000.000.000 terlalu besar: paling banyak 1.000.000.000.000" in text
    assert "bilangan bulat" not in text
    assert "Rp 125.000.000.000.000 is too large: at most 1.000.000.000.000" in english


PAIRS_HEADER = "kode,nama,pemasok,satuan,harga_pasar,min1,harga1,min2,harga2\n"


@pytest.mark.parametrize(
    ("header", "row", "reason", "min_total", "said"),
    [
        (PRODUCT_HEADER + "\n", product_row(tiers="1:900; 10:950"), "price_rises", 10,
         "harga tingkat 10 unit lebih mahal daripada tingkat sebelumnya"),
        (PRODUCT_HEADER + "\n", product_row(tiers="10:900; 50:850"), "first_not_one", 10,
         "tingkat pertama mulai dari 10 unit, padahal harus mulai dari 1"),
        (PRODUCT_HEADER + "\n", product_row(tiers="1:900; 1:850"), "duplicate_min_total", 1,
         "ada dua tingkat yang sama-sama mulai dari 1 unit"),
        (PRODUCT_HEADER + "\n", product_row(tiers="1-900"), "unreadable", 0,
         "tidak terbaca sebagai pasangan jumlah:harga"),
        (PRODUCT_HEADER + "\n", product_row(tiers="1:900; 10:Rp 125.000.000.000.000"),
         "too_large", 0, "ada angka di atas 1.000.000.000.000"),
        (PAIRS_HEADER, "P1,Teh,S1,dus,1000,1,900,10,\n", "pair_incomplete", 0,
         "kolom I (harga2): tingkat harga tidak bisa dipakai: sel ini kosong, padahal"),
        (PAIRS_HEADER, "P1,Teh,S1,dus,1000,1,900,,850\n", "pair_incomplete", 0,
         "kolom H (min2): tingkat harga tidak bisa dipakai: sel ini kosong, padahal"),
        (PRODUCT_HEADER + ",min1,harga1\n", product_row().strip() + ",1,900\n", "both_forms", 0,
         "ditulis dua kali"),
    ],
)  # fmt: skip
def test_tiers_that_cannot_be_used_say_why(
    tmp_path: Path, header: str, row: str, reason: str, min_total: int, said: str
) -> None:
    path = csv_file(tmp_path, header + row)

    with pytest.raises(ImportFailed) as failed:
        read_products(path)

    [problem] = failed.value.problems
    assert (problem.key, problem.params["reason"]) == ("import_bad_tiers", reason)
    assert problem.params["min_total"] == min_total
    renderer = Renderer()
    text = renderer.render("errors/import_failed", "id", failed.value.params, TextStyle.PLAIN)
    english = renderer.render("errors/import_failed", "en", failed.value.params, TextStyle.PLAIN)
    assert said in text
    assert reason not in text and reason not in english


def test_runs_of_spaces_in_a_name_or_unit_are_read_as_one_space(tmp_path: Path) -> None:
    path = csv_file(
        tmp_path,
        PRODUCT_HEADER + "\n"
        "GLP,Gula   pasir\u00a0 50 kg ,BULOG,  karung   besar  ,1 karung \t 50 kg,9000,1:8700\n",
    )

    [product] = read_products(path)

    assert (product.name, product.unit, product.contents) == (
        "Gula pasir 50 kg", "karung besar", "1 karung 50 kg",
    )  # fmt: skip
