"""Staff export a closed round once the money has started to come in: the Pembayaran sheet
and payments.csv say what is still owed and what was paid too much, each on its own, and
the bills' PDFs read as a treasurer reads them."""

from __future__ import annotations

import asyncio
import csv
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from storage.database import open_database
from tests.support.fixtures.cli import Cli
from usecases.context import UseCaseContext
from usecases.receipts import confirm_receipt
from usecases.supply import confirm_purchase_order

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
    cli.with_closed_round()
    return cli


def test_money_paid_too_much_does_not_hide_what_is_still_owed(cli: Cli, tmp_path: Path) -> None:
    statement = tmp_path / "mutasi-desember.csv"
    statement.write_text(STATEMENT, encoding="utf-8")
    cli.now += timedelta(days=2)  # Tuesday 8 December: the transfers have been made
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


HOW_TO_PAY = "Transfer ke Bank BJB 0001234567890 a.n. JUK Kota Bandung"


def test_a_bill_says_how_to_pay_in_sentences_and_names_its_units_as_allocated(
    cli: Cli, tmp_path: Path
) -> None:
    with_office(cli, HOW_TO_PAY)
    out = tmp_path / "rekap"

    cli.ok("export", "1", "--out", str(out))
    cli.ok("--lang", "en", "export", "1", "--out", str(out / "en"))

    bill = text_of(out / "tagihan-1-KKPITB.pdf")
    assert f"{HOW_TO_PAY}. Tulis berita transfer TG-001-KKPITB." in bill
    assert "Produk Dipesan Dialokasikan Harga satuan" in bill and "Diterima" not in bill
    in_english = text_of(out / "en" / "tagihan-1-KKPITB.pdf")
    assert f"{HOW_TO_PAY}. Write TG-001-KKPITB as the transfer reference." in in_english
    assert "Product Ordered Allocated Unit price" in in_english
    assert "Received" not in in_english


def test_once_the_coop_confirmed_what_arrived_its_bill_says_received(
    cli: Cli, tmp_path: Path
) -> None:
    with_office(cli, HOW_TO_PAY + ".")  # ends its own sentence: no second full stop
    asyncio.run(_kkpitb_received_14_of_15(cli))
    out = tmp_path / "rekap"

    cli.ok("export", "1", "--out", str(out))
    cli.ok("--lang", "en", "export", "1", "--out", str(out / "en"))

    bill = text_of(out / "tagihan-1-KKPITB.pdf")
    assert f"{HOW_TO_PAY}. Tulis berita transfer TG-001-KKPITB." in bill
    assert "Produk Dipesan Diterima Harga satuan" in bill
    assert "15 karung 14 karung" in bill
    assert (
        "Ditagih sebanyak yang diterima, karena menurut laporan penerimaan koperasi sebagian"
        " tidak sampai: Beras SPHP medium 50 kg"
    ) in bill
    assert "pasokan terbatas" not in bill  # the supplier sent all 15: the coop's report cut it
    assert "Product Ordered Received Unit price" in text_of(out / "en" / "tagihan-1-KKPITB.pdf")
    dt = text_of(out / "tagihan-1-DT.pdf")  # DT has not confirmed its goods yet
    assert "Produk Dipesan Dialokasikan Harga satuan" in dt


def with_office(cli: Cli, how_to_pay: str) -> None:
    """The config's `[office]` with its payment instructions, as the Dinas types them."""
    config = Path(cli.environ["BELANJA_BARENG_CONFIG"])
    with config.open("a", encoding="utf-8") as file:
        file.write(f'\n[office]\npayment_instructions = "{how_to_pay}"\n')


def text_of(path: Path) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(path).pages).split())


async def _kkpitb_received_14_of_15(cli: Cli) -> None:
    """Bulog ships all the rice on Mon 7 Dec; KKPITB confirms on Tue 8 Dec that only 14 of
    its 15 karung came."""
    async with open_database(cli.database) as db:
        confirming = UseCaseContext(db, lambda: datetime(2026, 12, 6, 3, 0, tzinfo=UTC))
        await confirm_purchase_order(confirming, "BULOG", date(2026, 12, 7), {}, "telegram:7001", 1)
        receiving = UseCaseContext(db, lambda: datetime(2026, 12, 8, 3, 0, tzinfo=UTC))
        await confirm_receipt(receiving, "KKPITB", {"BRS-SPHP50": 14}, "telegram:KKPITB", 1)
