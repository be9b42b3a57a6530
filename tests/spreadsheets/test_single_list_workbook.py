"""Staff keep each list in its own Excel file: `koperasi.xlsx` with one sheet "Sheet1",
`pemasok.xlsx`, and a `data.xlsx` whose one sheet is called "produk". Each is read as the
one list it holds, through the same command line the Dinas uses; a workbook with the three
sheets is still the whole catalog."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from tests.support import EXAMPLES
from tests.support.fixtures.cli import Cli


def one_sheet(path: Path, sheet: str, rows: list[list[object]]) -> Path:
    workbook = Workbook()
    worksheet = workbook.active
    assert worksheet is not None
    worksheet.title = sheet
    for row in rows:
        worksheet.append(row)
    workbook.save(path)
    return path


def test_each_list_in_its_own_workbook_is_read_by_its_sheet_or_its_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cli = Cli(tmp_path, capsys)
    cli.ok("init")
    coops = one_sheet(tmp_path / "koperasi.xlsx", "Sheet1", [
        ["kode", "nama", "alamat", "kontak"], ["KSU01", "KSU Maju", "Jl. Dago 1", "0812"],
    ])  # fmt: skip
    suppliers = one_sheet(tmp_path / "pemasok.xlsx", "Sheet1", [
        ["kode", "nama", "kontak"], ["BULOG", "Perum Bulog", "022"],
    ])  # fmt: skip
    products = one_sheet(tmp_path / "data.xlsx", "produk", [
        ["kode", "nama", "pemasok", "satuan", "harga_pasar", "tingkat_harga"],
        ["GLP-50", "Gula 50 kg", "BULOG", "karung", 900000, "1:870000"],
    ])  # fmt: skip

    imported = cli.ok("import", str(coops), str(suppliers), str(products))

    assert "koperasi: 1 baru" in imported and "pemasok: 1 baru" in imported
    assert "produk: 1 baru" in imported
    counts = cli.counts()
    assert (counts.coops, counts.suppliers, counts.products) == (1, 1, 1)


def test_the_catalog_workbook_with_three_sheets_is_still_the_whole_catalog(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cli = Cli(tmp_path, capsys)
    cli.ok("init")

    imported = cli.ok("import", str(EXAMPLES / "katalog.xlsx"))

    assert "koperasi: 20 baru" in imported and "produk: 25 baru" in imported
