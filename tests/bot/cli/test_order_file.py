"""The Dinas types paper orders into a sheet and loads it with `order --file`: one audited
batch, all or nothing, with the same checks as an order typed in the chat."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from purchasing.model import AuditEntry
from storage.commitment_reads import audit_log
from storage.database import open_database
from tests.support import EXAMPLES
from tests.support.fixtures.cli import Cli


@pytest.fixture
def open_round(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Cli:
    """The example catalog and round 1 with every product, open until 5 December 17:00."""
    cli = Cli(tmp_path, capsys)
    cli.with_open_round()
    return cli


def audit_of(cli: Cli) -> list[AuditEntry]:
    async def read() -> list[AuditEntry]:
        async with open_database(cli.database) as db:
            return await audit_log(db, 1)

    return asyncio.run(read())


def test_an_order_phoned_in_and_typed_at_the_server_names_the_coop(open_round: Cli) -> None:
    set_out = open_round.ok("order", "1", "DT", "BRS-SPHP50", "20", "--by", "Rina")
    removed_out = open_round.ok("order", "1", "DT", "BRS-SPHP50", "0")

    assert set_out == (
        "Pesanan Kopontren Daarut Tauhid (DT) untuk BRS-SPHP50 (Beras SPHP medium 50 kg): "
        "0 → 20 karung.\n"
    )
    assert removed_out.startswith("Pesanan Kopontren Daarut Tauhid (DT) untuk BRS-SPHP50")
    assert open_round.counts().commitments == ()


def test_twelve_paper_orders_typed_into_a_sheet_are_all_recorded_and_audited(
    open_round: Cli,
) -> None:
    out = open_round.ok(
        "order", "--file", str(EXAMPLES / "pesanan-contoh.csv"), "1", "--by", "Rina"
    )

    assert out.startswith("12 pesanan dicatat untuk 5 koperasi di putaran #1")
    assert "- DT: BRS-SPHP50 0 → 20 karung, IDM-GRG 0 → 12" in out
    counts = open_round.counts()
    assert len(counts.commitments) == 12 and ("KKPITB", "GLP-50", 3) in counts.commitments
    entries = audit_of(open_round)
    assert len(entries) == 12
    assert {(entry.actor, entry.via) for entry in entries} == {("admin:Rina", "sheet")}

    again = open_round.ok("order", "--file", str(EXAMPLES / "pesanan-contoh.csv"), "1")
    assert again.startswith("0 pesanan dicatat dan 12 sudah sama sebelumnya untuk 5 koperasi")


def test_a_sheet_with_one_coop_over_its_maximum_records_nothing_and_names_the_row(
    open_round: Cli, tmp_path: Path
) -> None:
    open_round.ok("order", "1", "DT", "IDM-GRG", "10")
    before = open_round.counts()
    sheet = tmp_path / "pesanan-telepon.csv"
    sheet.write_text(
        "koperasi;produk;jumlah\nDT;IDM-GRG;0\nKKPITB;BRS-SPHP50;25\nKOPERTIS4;GLP-50;3\n",
        encoding="utf-8",
    )

    message = open_round.failed("order", "--file", str(sheet), "1", lines=2)

    assert "Pesanan di pesanan-telepon.csv tidak dicatat. 1 baris ditolak" in message
    assert "Baris 3 (KKPITB BRS-SPHP50 25): Tiap koperasi boleh memesan paling banyak 20" in message
    assert open_round.counts() == before


def test_a_sheet_with_a_bad_cell_is_refused_before_the_round_is_asked(
    open_round: Cli, tmp_path: Path
) -> None:
    sheet = tmp_path / "pesanan.csv"
    sheet.write_text("koperasi,produk,jumlah\nDT,IDM-GRG,sepuluh\n", encoding="utf-8")
    before = open_round.counts()

    message = open_round.failed("order", "--file", str(sheet), "1", lines=2)

    assert "baris 2, kolom C (jumlah): sepuluh bukan jumlah yang bisa dipesan" in message
    assert open_round.counts() == before


def test_a_decimal_comma_typed_without_quotes_records_nothing_and_names_the_row(
    open_round: Cli, tmp_path: Path
) -> None:
    sheet = tmp_path / "pesanan-telepon.csv"
    sheet.write_text("koperasi,produk,jumlah\nDT,BRS-SPHP50,20\nPERSIS,IDM-GRG,2,5\n", "utf-8")
    before = open_round.counts()

    message = open_round.failed("order", "--file", str(sheet), "1", lines=2)

    assert "pesanan-telepon.csv, baris 3: ada 4 sel, padahal judulnya hanya 3 kolom" in message
    assert "kolom D: 5" in message and "desimal dengan titik (2.5)" in message
    assert open_round.counts() == before

    sheet.write_text("koperasi,produk,jumlah\nDT,BRS-SPHP50,20\nPERSIS,IDM-GRG,3\n", "utf-8")
    assert "- PERSIS: IDM-GRG 0 → 3 karton" in open_round.ok("order", "--file", str(sheet), "1")


@pytest.mark.parametrize(
    "argv",
    [["order", "1", "DT"], ["order", "1"],
     ["order", "--file", "pesanan.csv", "1", "DT", "IDM-GRG", "5"]],
)  # fmt: skip
def test_one_order_or_a_file_but_not_half_of_one_or_both(open_round: Cli, argv: list[str]) -> None:
    run = open_round(*argv)
    assert run.code == 2 and "KOPERASI PRODUK JUMLAH" in run.err
