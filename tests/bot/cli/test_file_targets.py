"""Staff point `export`, `report` and `backup` at a place they cannot write: one line naming
the path and what is wrong, exit code 1, said before any work is done; and a backup never
lands on the database itself or on an earlier backup."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.support.fixtures.cli import Cli

UNEXPECTED = "tidak terduga"


@pytest.fixture
def cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Cli:
    """The example catalog and round 1, closed with one order."""
    cli = Cli(tmp_path, capsys)
    cli.with_open_round()
    cli.ok("order", "1", "DT", "IDM-GRG", "10")
    cli.ok("round", "close", "1")
    return cli


@pytest.fixture
def a_file(tmp_path: Path) -> Path:
    path = tmp_path / "catatan.txt"
    path.write_text("catatan rapat", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("where", "says"),
    [("file", "(Not a directory)"), ("/proc/rekap", "(No such file or directory)")],
)
def test_an_export_into_a_file_or_a_folder_that_cannot_be_made_writes_nothing(
    cli: Cli, a_file: Path, where: str, says: str
) -> None:
    out = str(a_file) if where == "file" else where

    message = cli.failed("export", "1", "--out", out)

    assert message.startswith(f"Tidak bisa menulis ke {out} {says}, jadi tidak ada yang ditulis")
    assert "harus berupa folder" in message and UNEXPECTED not in message
    assert a_file.read_text(encoding="utf-8") == "catatan rapat"


def test_a_report_whose_files_cannot_be_written_is_refused_before_it_is_printed(
    cli: Cli, a_file: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "grafik"
    folder.mkdir()

    into_a_file = cli.failed("report", "savings", "--out", str(a_file))
    onto_a_folder = cli.failed("report", "savings", "--chart", str(folder))

    assert f"{a_file} (Not a directory)" in into_a_file
    assert f"{folder} (Is a directory)" in onto_a_folder
    assert "harus berupa nama berkas" in onto_a_folder
    assert list(folder.iterdir()) == []


@pytest.mark.parametrize("where", ["inside_a_file", "a_folder"])
def test_a_backup_inside_a_file_or_onto_a_folder_is_refused(
    cli: Cli, a_file: Path, tmp_path: Path, where: str
) -> None:
    folder = tmp_path / "cadangan"
    folder.mkdir()
    target, says = {
        "inside_a_file": (a_file / "senin.sqlite3", f"{a_file} (Not a directory)"),
        "a_folder": (folder, f"{folder} (Is a directory)"),
    }[where]

    message = cli.failed("backup", str(target))

    assert says in message and UNEXPECTED not in message
    assert list(folder.iterdir()) == []


def test_a_backup_onto_the_database_itself_is_refused_however_it_is_written(
    cli: Cli, tmp_path: Path
) -> None:
    link = tmp_path / "tautan.sqlite3"
    link.symlink_to(cli.database)
    before = cli.counts()

    for target in (str(cli.database), os.path.relpath(cli.database), str(link)):
        message = cli.failed("backup", target)
        assert message.startswith(f"{target} adalah basis data yang sedang dipakai itu sendiri")
        assert "nama berkas baru" in message

    assert cli.counts() == before
    assert "Desember" in cli.ok("round", "show", "1")


def test_a_backup_never_overwrites_an_earlier_one(cli: Cli, tmp_path: Path) -> None:
    monday = tmp_path / "cadangan" / "senin.sqlite3"
    cli.ok("backup", str(monday))
    kept = monday.read_bytes()
    cli.ok("round", "create", "--name", "Januari", "--opens", "2027-01-04 08:00",
           "--closes", "2027-01-08 17:00")  # fmt: skip

    message = cli.failed("backup", str(monday))

    assert message.startswith(f"{monday} sudah ada")
    assert "tidak pernah menimpa" in message and "nama berkas baru" in message
    assert monday.read_bytes() == kept


def test_a_file_that_fails_while_it_is_written_is_named_not_unexpected(
    cli: Cli, tmp_path: Path
) -> None:
    out = tmp_path / "rekap"
    (out / "overview.csv").mkdir(parents=True)  # where export writes a file, a folder

    message = cli.failed("export", "1", "--out", str(out))

    assert "overview.csv" in message and "(Is a directory)" in message
    assert UNEXPECTED not in message
