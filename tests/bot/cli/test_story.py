"""The Dinas staff's story on the command line, with the example JUK data:
init → import → round create → orders → round show → close → export → backup."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook

from purchasing.model import Admin
from storage.database import open_database
from storage.people.reps import list_admins
from tests.support import EXAMPLES
from tests.support.fixtures.cli import Cli


@pytest.fixture
def cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Cli:
    return Cli(tmp_path, capsys)


def test_staff_run_a_whole_round_from_the_command_line(cli: Cli, tmp_path: Path) -> None:
    assert "telegram" not in cli.ok("init")
    imported = cli.ok(
        "import", *(str(EXAMPLES / f"{n}.csv") for n in ("koperasi", "pemasok", "produk"))
    )
    assert "koperasi: 20 baru" in imported and "produk: 25 baru" in imported

    created = cli.ok(
        "round", "create", "--name", "Belanja Bareng Desember", "--opens", "2026-12-01 08:00",
        "--closes", "05-12-2026 17:00", "--products", "brs-sphp50,GLP-50,IDM-GRG",
        "--delivery", "Diantar ke koperasi 8-10 Desember", "--open-now",
    )  # fmt: skip
    assert "Putaran #1 «Belanja Bareng Desember» dibuat (dibuka), 3 produk" in created
    assert "17.00 WIB" in created

    for coop, product, quantity in [
        ("DT", "BRS-SPHP50", "20"),
        ("KKPITB", "BRS-SPHP50", "20"),
        ("KOPERTIS4", "BRS-SPHP50", "15"),
        ("DT", "IDM-GRG", "12"),
        ("kkpitb", "glp-50", "3"),
    ]:
        assert "→" in cli.ok("order", "1", coop, product, quantity, "--by", "Rina")

    shown = cli.ok("round", "show", "1")
    assert "BRS-SPHP50  Beras SPHP medium 50 kg: total 55 karung" in shown
    assert "harga sekarang Rp 630.000" in shown
    assert "145 lagi untuk Rp 620.000" in shown
    assert "MOQ 5: kurang 2" in shown
    assert "Sudah memesan (3): DT, KKPITB, KOPERTIS4" in shown
    assert "Belum memesan (17)" in shown

    cli.now += timedelta(hours=2)
    closed = cli.ok("round", "close", "1")
    assert "Koperasi yang memesan: 3 dari 20" in closed
    assert "Tidak dipesan (di bawah MOQ): GLP-50" in closed

    out = tmp_path / "rekap"
    exported = cli.ok("export", "1", "--out", str(out))
    written = sorted(out.iterdir())
    assert all(str(path) in exported for path in written)
    assert len([path for path in written if path.suffix in (".xlsx", ".csv")]) == 7
    assert (out / "payments.csv").read_text("utf-8-sig").count("Belum lunas") == 3
    assert sorted(path.name for path in written if path.suffix == ".pdf") == [
        "surat-pesanan-1-BULOG.pdf",
        "surat-pesanan-1-INDOFOOD.pdf",
        "tagihan-1-DT.pdf",
        "tagihan-1-KKPITB.pdf",
        "tagihan-1-KOPERTIS4.pdf",
    ]
    assert _workbook_holds(out / "putaran-1.xlsx", 55 * 630_000)
    printable = {"SP BULOG", "SP INDOFOOD", "TG DT", "TG KKPITB", "TG KOPERTIS4"}
    assert printable <= set(load_workbook(out / "putaran-1.xlsx").sheetnames)

    copy = tmp_path / "cadangan" / "backup.sqlite3"
    assert str(copy) in cli.ok("backup", str(copy))
    cli.database = copy
    assert cli.counts().commitments == (
        ("DT", "BRS-SPHP50", 20),
        ("DT", "IDM-GRG", 12),
        ("KKPITB", "BRS-SPHP50", 20),
        ("KKPITB", "GLP-50", 3),
        ("KOPERTIS4", "BRS-SPHP50", 15),
    )


def _workbook_holds(path: Path, amount: int) -> bool:
    workbook = load_workbook(path, read_only=True)
    try:
        return any(
            cell == amount
            for sheet in workbook.worksheets
            for row in sheet.iter_rows(values_only=True)
            for cell in row
        )
    finally:
        workbook.close()


def test_orders_typed_by_staff_are_audited_with_their_name_and_the_cli(cli: Cli) -> None:
    cli.prepared()
    cli.ok("round", "create", "--name", "R", "--opens", "2026-12-01 08:00",
           "--closes", "2026-12-05 17:00", "--open-now")  # fmt: skip
    cli.ok("order", "1", "DT", "IDM-GRG", "10")
    cli.ok("order", "1", "DT", "IDM-GRG", "12", "--by", "Rina")
    removed = cli.ok("order", "1", "DT", "IDM-GRG", "0")
    assert "dihapus (sebelumnya 12 karton)" in removed
    assert cli.counts().audit == 3
    assert cli.counts().commitments == ()


def test_a_workbook_imports_the_whole_catalog_and_lists_show_it_in_english(cli: Cli) -> None:
    cli.ok("init")
    assert "products: 25 new" in cli.ok("--lang", "en", "import", str(EXAMPLES / "katalog.xlsx"))
    coops = cli.ok("--lang", "en", "coops")
    assert coops.startswith("Coops (20):") and "- DT  Kopontren Daarut Tauhid" in coops
    products = cli.ok("--lang", "en", "products")
    assert "1+ Rp 640.000 · 50+ Rp 630.000 · 200+ Rp 620.000; MOQ 20" in products
    assert "at most 20 per coop; supply cap 500" in products


def test_a_draft_round_is_opened_extended_listed_and_cancelled(cli: Cli) -> None:
    cli.prepared()
    created = cli.ok("round", "create", "--name", "Januari", "--opens", "2027-01-04 08:00",
                     "--closes", "2027-01-08 17.00", "--moq-policy", "extend",
                     "--extend-hours", "24")  # fmt: skip
    assert "25 produk" in created and "round open 1" in created
    assert "dibuka" in cli.ok("round", "open", "1")
    assert "Sabtu, 9 Jan 2027 12.00 WIB" in cli.ok(
        "round", "extend", "1", "--closes", "2027-01-09 12:00"
    )
    assert "#1  Januari  [buka]" in cli.ok("round", "list")
    assert "dibatalkan" in cli.ok("round", "cancel", "1")
    assert cli.counts().rounds == ((1, "cancelled"),)


def test_init_registers_the_config_admins_and_can_run_again(cli: Cli) -> None:
    assert "Admin dari konfigurasi: 1" in cli.ok("init")
    cli.ok("init")
    assert [(a.platform, a.user_id) for a in asyncio.run(_admins(cli.database))] == [
        ("telegram", "111")
    ]


async def _admins(path: Path) -> list[Admin]:
    async with open_database(path) as db:
        return await list_admins(db)
