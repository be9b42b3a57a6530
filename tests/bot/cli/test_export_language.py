"""`belanja-bareng export` writes its CSV headers and workbook in the command line's language
(`--lang`, else the config's `default_language`); the files keep their names, which scripts
depend on."""

from __future__ import annotations

import csv
from datetime import timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.support.fixtures.cli import Cli


@pytest.fixture
def cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Cli:
    """The example catalog, a round with one order, closed."""
    cli = Cli(tmp_path, capsys)
    cli.prepared()
    cli.ok(
        "round", "create", "--name", "Desember", "--opens", "2026-12-01 08:00",
        "--closes", "2026-12-01 10:00", "--products", "BRS-SPHP50", "--open-now",
    )  # fmt: skip
    cli.ok("order", "1", "DT", "BRS-SPHP50", "20", "--by", "Rina")
    cli.now += timedelta(hours=2)
    cli.ok("round", "close", "1")
    return cli


def header(path: Path) -> list[str]:
    with path.open(encoding="utf-8-sig", newline="") as file:
        return next(csv.reader(file, delimiter=";"))


def test_an_english_speaking_staff_member_gets_english_headers_in_the_same_files(
    cli: Cli, tmp_path: Path
) -> None:
    out = tmp_path / "english"

    cli.ok("--lang", "en", "export", "1", "--out", str(out))

    assert header(out / "purchase_orders.csv")[:4] == [
        "Supplier Code", "Supplier", "Product Code", "Product",
    ]  # fmt: skip
    assert header(out / "bills.csv")[:2] == ["Coop Code", "Coop"]
    assert "Not paid" in (out / "payments.csv").read_text("utf-8-sig")
    workbook = load_workbook(out / "putaran-1.xlsx", read_only=True)
    assert workbook.sheetnames[:4] == ["Overview", "Purchase Orders", "Bills", "Change Log"]
    assert "BILL DT" in workbook.sheetnames
    workbook.close()


def test_by_default_the_headers_are_indonesian(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "rekap"

    cli.ok("export", "1", "--out", str(out))

    assert header(out / "purchase_orders.csv")[:4] == [
        "Kode Pemasok", "Pemasok", "Kode Produk", "Produk",
    ]  # fmt: skip
    assert "Belum lunas" in (out / "payments.csv").read_text("utf-8-sig")
    workbook = load_workbook(out / "putaran-1.xlsx", read_only=True)
    assert workbook.sheetnames[:4] == ["Ringkasan", "Pesanan Pembelian", "Tagihan", "Log Perubahan"]
    workbook.close()
