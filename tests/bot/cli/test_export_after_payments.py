"""Staff export a closed round once the money has started to come in: the Pembayaran sheet
and payments.csv say what is still owed and what was paid too much, each on its own, and
the bills' PDFs read as a treasurer reads them."""

from __future__ import annotations

import csv
from datetime import timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.support.fixtures.cli import Cli

# DT pays 200.000 too much, KKPITB 810.000 too much, KOPERTIS4 nothing yet.
STATEMENT = (
    "Tanggal;Keterangan;Cabang;Jumlah;Saldo\n"
    "07/12/2026;TRSF E-BANKING TG-001-DT BU SITI;0001;13.000.000,00;13.000.000\n"
    "08/12/2026;TRSF E-BANKING TG-001-KKPITB RINA;0001;10.410.000,00;23.410.000\n"
)


@pytest.fixture
def cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Cli:
    """Round 1 closed: DT 20 and KKPITB 15 karung of rice at Rp 640.000 (12.800.000 and
    9.600.000), KOPERTIS4 12 karton of noodles at Rp 122.000 (1.464.000)."""
    cli = Cli(tmp_path, capsys)
    cli.prepared()
    cli.ok("round", "create", "--name", "Desember", "--opens", "2026-12-01 08:00",
           "--closes", "2026-12-05 17:00", "--open-now")  # fmt: skip
    cli.ok("order", "1", "DT", "BRS-SPHP50", "20")
    cli.ok("order", "1", "KKPITB", "BRS-SPHP50", "15")
    cli.ok("order", "1", "KOPERTIS4", "IDM-GRG", "12")
    cli.now += timedelta(days=5)
    cli.ok("round", "close", "1")
    return cli


def test_money_paid_too_much_does_not_hide_what_is_still_owed(cli: Cli, tmp_path: Path) -> None:
    statement = tmp_path / "mutasi-desember.csv"
    statement.write_text(STATEMENT, encoding="utf-8")
    cli.ok("payments", "import", str(statement))
    out = tmp_path / "rekap"

    cli.ok("export", "1", "--out", str(out))

    with (out / "payments.csv").open(encoding="utf-8-sig", newline="") as file:
        table = list(csv.reader(file, delimiter=";"))
    assert table[0] == [
        "Kode Koperasi", "Koperasi", "Nomor Tagihan", "Total tagihan", "Dibayar", "Sisa",
        "Lebih bayar", "Status",
    ]  # fmt: skip
    by_coop = {row[0]: row[3:] for row in table[1:-1]}
    assert by_coop == {
        "DT": ["12800000", "13000000", "0", "200000", "Lebih bayar"],
        "KKPITB": ["9600000", "10410000", "0", "810000", "Lebih bayar"],
        "KOPERTIS4": ["1464000", "0", "1464000", "0", "Belum lunas"],
    }
    assert table[-1] == ["", "Jumlah", "", "23864000", "23410000", "1464000", "1010000", ""]
    sheet = load_workbook(out / "putaran-1.xlsx")["Pembayaran"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[-1] == [None, "Jumlah", None, 23_864_000, 23_410_000, 1_464_000, 1_010_000, None]
