"""`belanja-bareng products|coops retire|restore`: staff switch rows off and on again from the
command line, on the real SQLite file; nothing is deleted."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from tests.support import EXAMPLES
from tests.support.fixtures.cli import Cli

NEW_ROUND = ("round", "create", "--name", "Januari", "--opens", "2026-12-01 08:00",
             "--closes", "2026-12-05 17:00")  # fmt: skip


@pytest.fixture
def cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Cli:
    cli = Cli(tmp_path, capsys)
    cli.prepared()
    return cli


def test_staff_retire_last_months_products_and_a_new_round_leaves_them_out(cli: Cli) -> None:
    retired = cli.ok("products", "retire", "glp-50", "MKITA-1L")
    again = cli.ok("--lang", "en", "products", "retire", "GLP-50")
    listed = cli.ok("products")
    refused = cli.failed(*NEW_ROUND, "--products", "IDM-GRG,GLP-50")
    created = cli.ok(*NEW_ROUND)

    assert retired.startswith("Dinonaktifkan (2 produk): GLP-50, MKITA-1L\n")
    assert "belanja-bareng products restore KODE" in retired
    assert "Already retired: GLP-50" in again and "Retired (" not in again
    current, _, retired_part = listed.partition("Produk nonaktif")
    assert current.startswith("Produk (23):\n") and "GLP-50" not in current
    assert retired_part.startswith(" (2), tidak ikut putaran baru:\n- GLP-50  Gula pasir")
    assert "nonaktif sejak Selasa, 1 Des 2026 08.00 WIB" in listed
    assert "GLP-50" in refused and "belanja-bareng products restore GLP-50" in refused
    assert "Putaran #1 «Januari» dibuat (draf), 23 produk." in created
    assert cli.counts().rounds == ((1, "draft"),) and cli.counts().products == 25


def test_a_restored_product_is_offered_again(cli: Cli) -> None:
    cli.ok("products", "retire", "GLP-50", "MKITA-1L")
    cli.now += timedelta(hours=1)

    restored = cli.ok("products", "restore", "GLP-50", "IDM-GRG")

    assert "Aktif lagi (1 produk): GLP-50" in restored
    assert "Memang masih aktif: IDM-GRG" in restored
    assert "«Januari» dibuat (draf), 24 produk." in cli.ok(*NEW_ROUND)
    assert "Produk nonaktif (1), tidak ikut putaran baru:\n- MKITA-1L" in cli.ok("products")


def test_importing_a_retired_product_again_restores_it(cli: Cli) -> None:
    cli.ok("products", "retire", "GLP-50")

    cli.ok("import", str(EXAMPLES / "produk.csv"))

    listed = cli.ok("products")
    assert listed.startswith("Produk (25):\n") and "nonaktif" not in listed
    assert "25 produk" in cli.ok(*NEW_ROUND)


def test_staff_retire_a_coop_that_left_and_restore_it(cli: Cli) -> None:
    retired = cli.ok("--lang", "en", "coops", "retire", "kopertis4")
    listed = cli.ok("coops")
    invite = cli.failed("invites", "create", "KOPERTIS4")
    restored = cli.ok("--lang", "en", "coops", "restore", "KOPERTIS4")

    assert retired.startswith("Retired (1 coop): KOPERTIS4\n")
    assert "orders and invites for them are refused" in retired
    current, _, retired_part = listed.partition("Koperasi nonaktif")
    assert current.startswith("Koperasi (19):\n") and "KOPERTIS4" not in current
    assert retired_part.startswith(" (1), tidak ikut putaran baru:\n- KOPERTIS4  Koperasi")
    assert "KOPERTIS4 sudah dinonaktifkan dari JUK" in invite
    assert "belanja-bareng coops restore KOPERTIS4" in invite
    assert restored.startswith("Restored (1 coop): KOPERTIS4")
    assert cli.ok("coops").startswith("Koperasi (20):\n")


def test_an_order_for_a_retired_coop_is_refused_and_changes_nothing(cli: Cli) -> None:
    cli.ok(*NEW_ROUND, "--open-now")
    cli.ok("coops", "retire", "DT")
    before = cli.counts()

    refused = cli.failed("order", "1", "DT", "IDM-GRG", "10")

    assert "Koperasi DT sudah dinonaktifkan dari JUK" in refused
    assert cli.counts() == before


def test_an_unknown_code_retires_nothing_and_says_which(cli: Cli) -> None:
    products = cli.failed("products", "retire", "GLP-50", "TIDAKADA")
    coops = cli.failed("coops", "restore", "DT", "KOP99")

    assert "TIDAKADA" in products and "KOP99" in coops
    assert "nonaktif" not in cli.ok("products") and "nonaktif" not in cli.ok("coops")


@pytest.mark.parametrize(
    "command",
    [["products", "retire"], ["products", "restore"], ["coops", "retire"], ["coops", "restore"]],
)
def test_every_retire_and_restore_command_has_help(cli: Cli, command: list[str]) -> None:
    run = cli(*command, "--help")

    assert run.code == 0 and run.out.startswith(f"usage: belanja-bareng {' '.join(command)}")
    assert "CODE" in run.out
