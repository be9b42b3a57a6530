"""The service an operator installs by docs/deploy.md: the systemd unit's command line starts
the bot against the (fake) Bot API with the secrets from its environment file, and stops it
cleanly on systemd's stop signal; the nightly backup script keeps a dated copy."""

from __future__ import annotations

import asyncio
import configparser
import os
import shlex
import signal
import stat
from pathlib import Path

from tests.support import REPOSITORY
from tests.support.bot_process import SCRIPT, BotProcess, write_config
from tests.support.fake_telegram import FakeTelegram

DEPLOY = REPOSITORY / "deploy"
INSTALLED = "/opt/belanja-bareng/venv/bin/belanja-bareng"
CONFIG = "/etc/belanja-bareng/config.toml"


def unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(DEPLOY / name, encoding="utf-8")
    return parser


def environment_file() -> dict[str, str]:
    """The variables the example environment file names (all empty there)."""
    lines = (DEPLOY / "belanja-bareng.env.example").read_text(encoding="utf-8").splitlines()
    return dict(line.split("=", 1) for line in lines if line and not line.startswith("#"))


def test_the_unit_runs_the_installed_bot_with_secrets_from_the_environment_file() -> None:
    service = unit("belanja-bareng.service")["Service"]

    assert shlex.split(service["ExecStart"]) == [INSTALLED, "--config", CONFIG, "run"]
    assert service["EnvironmentFile"] == "/etc/belanja-bareng/belanja-bareng.env"
    assert service["Restart"] == "on-failure" and service["KillSignal"] == "SIGTERM"
    assert set(environment_file()) == {
        "TELEGRAM_BOT_TOKEN", "TELEGRAM_WEBHOOK_SECRET", "WHATSAPP_ACCESS_TOKEN",
        "WHATSAPP_APP_SECRET", "WHATSAPP_VERIFY_TOKEN",
    }  # fmt: skip


async def test_the_units_command_serves_the_bot_and_stops_cleanly_on_sigterm(
    fake_telegram: FakeTelegram, tmp_path: Path
) -> None:
    service = unit("belanja-bareng.service")["Service"]
    config = write_config(fake_telegram, tmp_path / "belanja-bareng.sqlite3", [])
    argv = [
        str(SCRIPT) if word == INSTALLED else str(config) if word == CONFIG else word
        for word in shlex.split(service["ExecStart"])
    ]
    secrets = {**environment_file(), "TELEGRAM_BOT_TOKEN": fake_telegram.token}
    environ = {**os.environ, **{k: v for k, v in secrets.items() if v}}

    bot = await BotProcess.run(argv, environ, tmp_path, tmp_path / "journal.log")
    async with bot:
        await fake_telegram.wait_until_polling(timeout=20)
        assert service["KillSignal"] == signal.SIGTERM.name
        status = await bot.stop()

    assert status == 0
    journal = (tmp_path / "journal.log").read_text(encoding="utf-8")
    assert fake_telegram.token not in journal  # secrets never reach the log


async def test_the_nightly_backup_keeps_dated_copies_and_drops_old_ones(tmp_path: Path) -> None:
    database = tmp_path / "belanja-bareng.sqlite3"
    config = tmp_path / "config.toml"
    config.write_text(f'database = "{database}"\n', encoding="utf-8")
    backups = tmp_path / "backups"
    backups.mkdir()
    old = backups / "belanja-bareng-2026-01-01.sqlite3"
    old.write_bytes(b"")
    os.utime(old, (0, 0))
    environ = {
        **os.environ, "BELANJA_BARENG": str(SCRIPT), "BELANJA_BARENG_CONFIG": str(config),
        "BACKUP_DIR": str(backups), "KEEP_DAYS": "30",
    }  # fmt: skip
    await _make_database(environ, tmp_path)

    await _nightly_backup(environ, tmp_path)
    await _nightly_backup(environ, tmp_path)  # again today: the backup before an upgrade

    dated, timed = sorted((p.name for p in backups.glob("belanja-bareng-*.sqlite3")), key=len)
    assert old.name not in (dated, timed)  # today's copies; the old one is gone
    assert len(dated) == len("belanja-bareng-YYYY-MM-DD.sqlite3")
    assert timed.startswith(dated.removesuffix(".sqlite3") + "-")  # with the time
    for copy in (backups / dated, backups / timed):
        assert stat.S_IMODE(copy.stat().st_mode) & 0o077 == 0  # people's data: owner only


def test_the_backup_unit_runs_where_the_bot_runs_in_the_offices_time_zone() -> None:
    bot, backup = (
        unit("belanja-bareng.service")["Service"],
        unit("belanja-bareng-backup.service")["Service"],
    )
    assert backup["WorkingDirectory"] == bot["WorkingDirectory"]  # a relative database path
    assert "TZ=Asia/Jakarta" in backup["Environment"]


async def _nightly_backup(environ: dict[str, str], cwd: Path) -> None:
    nightly = await asyncio.create_subprocess_exec(
        str(DEPLOY / "backup-nightly"), env=environ, cwd=cwd,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    _, err = await asyncio.wait_for(nightly.communicate(), timeout=30)
    assert nightly.returncode == 0, err.decode()


async def _make_database(environ: dict[str, str], cwd: Path) -> None:
    """A database with a catalog, made by the command line as an operator would."""
    for command in (["init"], ["import", str(REPOSITORY / "examples" / "katalog.xlsx")]):
        setup = await asyncio.create_subprocess_exec(
            str(SCRIPT), *command, env=environ, cwd=cwd,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        _, err = await asyncio.wait_for(setup.communicate(), timeout=30)
        assert setup.returncode == 0, err.decode()
