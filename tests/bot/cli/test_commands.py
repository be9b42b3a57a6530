"""The command list is open: another module with `register(subparsers)` adds a command."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from bot.cli.context import CliContext, Subparsers
from bot.cli.parser import COMMAND_MODULES, build_parser, handler_of
from tests.support.fixtures.cli import Cli


class PingCommand:
    """A stand-in for a command module such as the `run` or `demo` ones."""

    def __init__(self) -> None:
        self.ran_with: list[str] = []

    def register(self, subparsers: Subparsers) -> None:
        ping = subparsers.add_parser("ping", help="answer")
        ping.add_argument("word")
        ping.set_defaults(handler=self.ping)

    async def ping(self, context: CliContext, args: argparse.Namespace) -> None:
        self.ran_with.append(args.word)


def test_a_registered_module_adds_its_command_next_to_the_others() -> None:
    ping = PingCommand()
    parser = build_parser([*COMMAND_MODULES, ping])
    args = parser.parse_args(["--lang", "en", "ping", "halo"])
    assert handler_of(args) == ping.ping
    assert args.lang == "en"
    assert "ping" in parser.format_help() and "round" in parser.format_help()


@pytest.mark.parametrize(
    "command",
    [["init"], ["import"], ["coops"], ["products"], ["round"], ["round", "create"],
     ["round", "show"], ["round", "extend"], ["order"], ["export"], ["backup"]],
)  # fmt: skip
def test_every_command_has_help(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    run = Cli(tmp_path, capsys)(*command, "--help")
    assert run.code == 0 and run.out.startswith("usage: belanja-bareng")


def test_a_backup_takes_the_proofs_of_payment_along_and_copies_each_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cli = Cli(tmp_path, capsys)
    cli.ok("init")
    kept = tmp_path / "bukti"  # beside the database, where the bot keeps what treasurers sent
    kept.mkdir()
    (kept / "ab12.jpg").write_bytes(b"a photo of a transfer")
    backups = tmp_path / "cadangan"

    first = cli.ok("backup", str(backups / "senin.sqlite3"))
    second = cli.ok("backup", str(backups / "selasa.sqlite3"))

    assert first == (
        f"Cadangan basis data tersimpan: {backups / 'senin.sqlite3'}\n"
        f"Bukti transfer baru disalin ke {backups / 'bukti'}: 1 berkas.\n"
    )
    assert second == f"Cadangan basis data tersimpan: {backups / 'selasa.sqlite3'}\n"
    assert (backups / "bukti" / "ab12.jpg").read_bytes() == b"a photo of a transfer"
    assert sorted(p.name for p in (backups / "bukti").iterdir()) == ["ab12.jpg"]


def test_an_english_backup_of_one_proof_counts_1_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cli = Cli(tmp_path, capsys)
    cli.ok("init")
    (tmp_path / "bukti").mkdir()
    (tmp_path / "bukti" / "ab12.jpg").write_bytes(b"a photo of a transfer")
    backups = tmp_path / "cadangan"

    done = cli.ok("--lang", "en", "backup", str(backups / "monday.sqlite3"))

    assert done.endswith(f"New proofs of payment copied to {backups / 'bukti'}: 1 file.\n")
