"""The Dinas imports bank statements for a round whose coops pay each supplier directly
(`[office] payee = "supplier"`): Kopontren Daarut Tauhid (DT) and KKP ITB each bought 10
cartons of Indomie, so each owes PT Indofood Rp 1.220.000. What a transfer's text says about
the bills decides where the money goes, and nothing is booked on a guess."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

import pytest

from purchasing.settlement import BillDue
from storage import payments
from storage.database import open_database
from tests.support.fixtures.cli import Cli

PAID_TO_SUPPLIERS = '[office]\npayee = "supplier"\n'
HEADER = "tanggal,keterangan,jumlah\n"


@pytest.fixture
def cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Cli:
    """Round 1 closed on 5 December, coops paying suppliers: TG-001-DT-INDOFOOD and
    TG-001-KKPITB-INDOFOOD owe Rp 1.220.000 each. It is Sunday 6 December, 08:00 WIB."""
    cli = Cli(tmp_path, capsys, PAID_TO_SUPPLIERS)
    cli.prepared()
    cli.ok("round", "create", "--name", "Desember", "--opens", "2026-12-01 08:00",
           "--closes", "2026-12-05 17:00", "--open-now")  # fmt: skip
    cli.ok("order", "1", "DT", "IDM-GRG", "10")
    cli.ok("order", "1", "KKPITB", "IDM-GRG", "10")
    cli.now += timedelta(days=5)
    cli.ok("round", "close", "1")
    return cli


def statement(tmp_path: Path, name: str, *rows: str) -> str:
    path = tmp_path / name
    path.write_text(HEADER + "".join(f"{row}\n" for row in rows), encoding="utf-8")
    return str(path)


def paid(cli: Cli) -> dict[str, int]:
    async def read() -> list[BillDue]:
        async with open_database(cli.database) as db:
            return await payments.bills_due(db)

    return {bill.number: bill.paid for bill in asyncio.run(read())}


def test_one_transfer_naming_two_bills_is_left_for_staff_and_books_nothing(
    cli: Cli, tmp_path: Path
) -> None:
    older = statement(tmp_path, "mutasi-5-desember.csv", "05/12/2026,SETORAN TUNAI,1.220.000")
    both = statement(
        tmp_path, "mutasi-6-desember.csv",
        "06/12/2026,BAYAR TG-001-KKPITB-INDOFOOD DAN TG-001-DT-INDOFOOD,2.440.000",
    )  # fmt: skip

    first = cli.ok("payments", "import", older)
    named_both = cli.ok("payments", "import", both)
    older_again = cli.ok("payments", "import", older)

    assert "0 pembayaran dicatat" in first
    assert (
        "Tidak dicatat, beritanya menyebut beberapa tagihan (tanyakan berapa untuk tiap "
        "tagihan):\n- baris 2: Rp 2.440.000 «BAYAR TG-001-KKPITB-INDOFOOD DAN "
        "TG-001-DT-INDOFOOD»: TG-001-KKPITB-INDOFOOD, TG-001-DT-INDOFOOD\n"
    ) in named_both
    assert "0 pembayaran dicatat." in named_both and "lebih bayar" not in named_both
    # Still nobody looks paid, so the older cash deposit is as unclear as it was.
    assert older_again == first
    assert "jumlahnya cocok dengan beberapa tagihan" in older_again
    assert paid(cli) == {"TG-001-DT-INDOFOOD": 0, "TG-001-KKPITB-INDOFOOD": 0}


def test_a_transfer_naming_a_bill_nobody_has_is_not_booked_to_another_coop_by_its_amount(
    cli: Cli, tmp_path: Path
) -> None:
    """KKP ITB has paid; the only bill still owing Rp 1.220.000 is DT's. A transfer for
    KOPERTIS4, which bought nothing this round, is not DT's money."""
    mutasi = statement(
        tmp_path, "mutasi.csv",
        "05/12/2026,TRF TG-001-KKPITB-INDOFOOD,1.220.000",
        "06/12/2026,SWITCHING CR TG-001-KOPERTIS4 DEDI SUPRIADI,1.220.000",
    )  # fmt: skip

    imported = cli.ok("payments", "import", mutasi)

    assert "1 pembayaran dicatat." in imported
    assert (
        "Tidak dicatat, tidak cocok dengan tagihan mana pun:\n"
        "- baris 3: Minggu, 6 Des 2026 Rp 1.220.000 «SWITCHING CR TG-001-KOPERTIS4 DEDI "
        "SUPRIADI»\n"
    ) in imported
    assert paid(cli) == {"TG-001-DT-INDOFOOD": 0, "TG-001-KKPITB-INDOFOOD": 1_220_000}


def test_a_transfer_with_the_coops_part_only_pays_its_one_bill_of_the_round(
    cli: Cli, tmp_path: Path
) -> None:
    mutasi = statement(tmp_path, "mutasi.csv", "06/12/2026,TRF TG-001-DT,1.220.000")

    imported = cli.ok("payments", "import", mutasi)

    assert imported == (
        "Mutasi mutasi.csv: 1 pembayaran dicatat.\n"
        "- baris 2: Rp 1.220.000 untuk TG-001-DT-INDOFOOD (Kopontren Daarut Tauhid), lunas\n"
    )
    assert paid(cli) == {"TG-001-DT-INDOFOOD": 1_220_000, "TG-001-KKPITB-INDOFOOD": 0}
