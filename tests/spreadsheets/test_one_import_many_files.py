"""Staff load several files in one `belanja-bareng import`: they are read as one batch, so a
code written in two of them is refused as a code written twice in one file is, naming both
places, and nothing is loaded."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from spreadsheets.errors import ImportFailed
from spreadsheets.files import read_catalog_files
from tests.support import EXAMPLES
from tests.support.fixtures.cli import Cli

PRODUCTS = "kode,nama,pemasok,satuan,harga_pasar,tingkat_harga\n"


def test_one_product_code_in_two_product_files_is_refused_naming_both_rows(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cli = Cli(tmp_path, capsys)
    cli.ok("init")
    first = tmp_path / "produk-a.csv"
    first.write_text(PRODUCTS + "Z1,Gula 1 kg,BULOG,bal,Rp 360.000,1:348000\n", "utf-8")
    second = tmp_path / "produk-b.csv"
    second.write_text(
        PRODUCTS
        + "Y1,Teh celup,BULOG,dus,168000,1:158000\nz1,Gula 1 kg,BULOG,bal,360000,1:340000\n",
        "utf-8",
    )
    before = cli.counts()

    message = cli.failed("import", str(EXAMPLES / "pemasok.csv"), str(first), str(second), lines=2)
    english = cli.failed(
        "--lang", "en", "import", str(EXAMPLES / "pemasok.csv"), str(first), str(second), lines=2
    )

    headline, problem = message.splitlines()
    assert "produk-b.csv tidak dimuat" in headline and "tidak ada data yang diubah" in headline
    assert problem == (
        "• produk-b.csv, baris 3, kolom A (kode): kode Z1 sudah dipakai di produk-a.csv, baris 2."
        " Semua berkas satu impor dibaca sebagai satu daftar, jadi setiap kode hanya boleh muncul"
        " sekali di semuanya; ganti salah satunya atau hapus baris ganda."
    )
    assert "the code Z1 is already used in produk-a.csv, row 2" in english
    assert cli.counts() == before


def coops_workbook(path: Path) -> Path:
    """A catalog workbook: KSU01 and DT on its koperasi sheet, BULOG on its pemasok sheet,
    one product of Bulog's."""
    workbook = Workbook()
    coops = workbook.active
    assert coops is not None
    coops.title = "koperasi"
    coops.append(["kode", "nama"])
    coops.append(["KSU01", "KSU Maju"])
    coops.append(["DT", "Kopontren Daarut Tauhid"])
    suppliers = workbook.create_sheet("pemasok")
    suppliers.append(["kode", "nama"])
    suppliers.append(["BULOG", "Perum Bulog"])
    products = workbook.create_sheet("produk")
    for line in (PRODUCTS, "GLP-1,Gula 1 kg,BULOG,bal,360000,1:348000"):
        products.append(line.strip().split(","))
    workbook.save(path)
    return path


@pytest.mark.parametrize(
    ("csv_name", "code", "row", "first_sheet", "first_row"),
    [("koperasi.csv", "DT", 2, "koperasi", 3), ("pemasok.csv", "BULOG", 2, "pemasok", 2)],
)
def test_a_coop_or_supplier_in_a_workbook_and_a_csv_file_of_one_import_is_refused(
    tmp_path: Path, csv_name: str, code: str, row: int, first_sheet: str, first_row: int
) -> None:
    workbook = coops_workbook(tmp_path / "katalog.xlsx")
    files = [(workbook, "katalog.xlsx"), (EXAMPLES / csv_name, csv_name)]

    with pytest.raises(ImportFailed) as failed:
        read_catalog_files(files, None, set())

    [problem] = failed.value.problems
    assert failed.value.file == csv_name
    assert {"key": problem.key, **problem.params} == {
        "key": "import_duplicate_code", "file": csv_name, "sheet": "", "row": row,
        "column": "A (kode)", "value": code, "first_row": first_row,
        "first_file": "katalog.xlsx", "first_sheet": first_sheet,
    }  # fmt: skip


def test_the_same_codes_in_a_coop_list_and_a_supplier_list_are_no_clash(tmp_path: Path) -> None:
    coops = tmp_path / "koperasi.csv"
    coops.write_text("kode,nama\nBULOG,Koperasi Pegawai Bulog\n", "utf-8")

    catalog = read_catalog_files(
        [(coops, "koperasi.csv"), (EXAMPLES / "pemasok.csv", "pemasok.csv")], None, set()
    )

    assert "BULOG" in {c.code for c in catalog.coops} & {s.code for s in catalog.suppliers}
