"""docs/deploy.md's restore: the nightly copy and the files people sent, copied into a fresh
folder (the server was lost), open as the same database with every order and audit row."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.support import EXAMPLES
from tests.support.fixtures.cli import Cli


def test_a_backup_restored_into_a_fresh_folder_has_every_order_and_audit_row(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "server").mkdir()
    cli = Cli(tmp_path / "server", capsys)
    cli.ok("init")
    cli.ok("import", *(str(EXAMPLES / f"{n}.csv") for n in ("koperasi", "pemasok", "produk")))
    cli.ok(
        "round", "create", "--name", "Desember", "--opens", "2026-12-01 08:00",
        "--closes", "2026-12-05 17:00", "--products", "BRS-SPHP50,GLP-50", "--open-now",
    )  # fmt: skip
    for coop, quantity in (("DT", "15"), ("KKPITB", "12"), ("DT", "18")):
        cli.ok("order", "1", coop, "BRS-SPHP50", quantity, "--by", "Rina")
    (tmp_path / "server" / "bukti").mkdir()
    (tmp_path / "server" / "bukti" / "ab12.jpg").write_bytes(b"a photo of a transfer")
    before = cli.counts()
    backups = tmp_path / "backups"
    cli.ok("backup", str(backups / "belanja-bareng-2026-12-05.sqlite3"))

    # The restore of docs/deploy.md, into a server that has nothing yet.
    fresh = tmp_path / "new-server"
    fresh.mkdir()
    shutil.copy2(backups / "belanja-bareng-2026-12-05.sqlite3", fresh / "belanja-bareng.sqlite3")
    shutil.copytree(backups / "bukti", fresh / "bukti")
    cli.database = fresh / "belanja-bareng.sqlite3"

    assert cli.counts() == before
    assert before.commitments == (("DT", "BRS-SPHP50", 18), ("KKPITB", "BRS-SPHP50", 12))
    assert before.audit == 3
    assert (fresh / "bukti" / "ab12.jpg").read_bytes() == b"a photo of a transfer"
