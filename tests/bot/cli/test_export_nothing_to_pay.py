"""A coop whose only order was not filled (its product missed the MOQ) owes nothing: staff
export the round and find no bill for it anywhere, so every part of the export counts the
same two bills the payments do."""

from __future__ import annotations

import csv
from datetime import timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.bot.cli.test_export_after_payments import with_office
from tests.support.fixtures.cli import Cli


@pytest.fixture
def cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Cli:
    """Round 1 closed: DT and KKPITB get their rice; KOPERTIS4 asked for 2 karung of sugar
    only, and the sugar missed its MOQ of 5."""
    cli = Cli(tmp_path, capsys)
    cli.with_open_round()
    cli.ok("order", "1", "DT", "BRS-SPHP50", "20")
    cli.ok("order", "1", "KKPITB", "BRS-SPHP50", "15")
    cli.ok("order", "1", "KOPERTIS4", "GLP-50", "2")
    cli.now += timedelta(days=5)
    cli.ok("round", "close", "1")
    with_office(cli, "Transfer ke Bank BJB 0001234567890")
    return cli


def rows_of(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as file:
        return list(csv.reader(file, delimiter=";"))


def test_a_coop_owing_nothing_gets_no_bill_document_sheet_or_row(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "rekap"

    listed = cli.ok("export", "1", "--out", str(out))

    assert sorted(path.name for path in out.glob("*.pdf")) == [
        "surat-pesanan-1-BULOG.pdf", "tagihan-1-DT.pdf", "tagihan-1-KKPITB.pdf",
    ]  # fmt: skip
    assert "KOPERTIS4" not in listed
    workbook = load_workbook(out / "putaran-1.xlsx")
    assert [name for name in workbook.sheetnames if name.startswith("TG ")] == [
        "TG DT", "TG KKPITB",
    ]  # fmt: skip
    billed = {row[0] for row in rows_of(out / "bills.csv")[1:]}
    paying = {row[0] for row in rows_of(out / "payments.csv")[1:-1]}
    assert billed == paying == {"DT", "KKPITB"}
    assert ["Tagihan lunas", "0", "2"] in rows_of(out / "after_close.csv")
    assert "2 tagihan" in cli.ok("report", "payments")
    # The sugar that was not ordered is still in the overview, with what was asked.
    [sugar] = [row for row in rows_of(out / "overview.csv") if row[:1] == ["GLP-50"]]
    assert "2" in sugar and "Tidak dipesan (di bawah MOQ)" in sugar


def test_a_round_where_nothing_reached_its_moq_says_nothing_was_bought(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cli = Cli(tmp_path, capsys)
    cli.with_open_round()
    cli.ok("order", "1", "KOPERTIS4", "GLP-50", "2")
    cli.now += timedelta(days=5)

    closed = cli.ok("round", "close", "1")
    shown = cli.ok("round", "show", "1")

    assert "Tidak ada yang dibeli: tidak ada produk yang mencapai minimal pesanan" in closed
    assert "Nilai pesanan: Rp 0" not in closed
    assert "Setelah ditutup: tidak ada yang dibeli, jadi tidak ada surat pesanan dan tagihan" in (
        shown
    )
    assert "lunas" not in shown
