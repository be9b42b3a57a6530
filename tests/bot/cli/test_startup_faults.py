"""`belanja-bareng run` started wrongly: one line on standard error that says what to fix,
exit code 1, and no traceback (unless --verbose), for every fault an operator can cause.

Each test starts the installed console script in a process of its own, as systemd or a
person at the shell would, against the fake Bot API on 127.0.0.1. The file-mode faults need
a user the modes apply to: run as root, the process is started without the capabilities
that let root ignore them (`setpriv`), so the folder's modes count as for a service user.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import socket
import sys
from argparse import Namespace
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.cli.app import explain
from bot.cli.context import CliContext
from bot.cli.errors import WebhookCannotListen, WebhookPortInUse
from bot.cli.run_command import run_bot
from bot.config import Config, Secret, WhatsAppConfig, WhatsAppWebhookConfig
from messages.render import Renderer
from storage.database import open_database
from storage.migrator import latest_version, schema_version
from storage.people import invites
from tests.support.builders import NOW
from tests.support.fake_telegram import FakeTelegram
from tests.support.storage_builders import seed_catalog

SCRIPT = Path(sys.executable).with_name("belanja-bareng")
EXIT_WITHIN = 30.0
WRONG_TOKEN = "999999:AAF-this-token-was-revoked-long-ago"
WITHOUT_ROOT_POWERS = ("setpriv", "--bounding-set=-dac_override,-dac_read_search,-fowner", "--")
ROOT = os.geteuid() == 0
needs_file_modes = pytest.mark.skipif(
    ROOT and shutil.which("setpriv") is None,
    reason="root ignores file modes, and setpriv is not installed to drop that power",
)


@dataclass(frozen=True, slots=True)
class Exited:
    code: int
    out: str
    err: str

    @property
    def line(self) -> str:
        """The one line on standard error, after checking there is exactly one."""
        assert (self.code, self.out) == (1, ""), self
        assert self.err.endswith("\n") and self.err.count("\n") == 1, self.err
        assert "Traceback" not in self.err and "unexpected" not in self.err, self.err
        return self.err.strip()


def write_config(folder: Path, fake: FakeTelegram, database: Path, extra: str = "") -> Path:
    """config.toml in `folder`: `database`, the fake's URLs, then `extra` (TOML)."""
    path = folder / "config.toml"
    path.write_text(
        f"database = {json.dumps(str(database))}\n"
        f"{extra}"
        "[telegram]\n"
        f"base_url = {json.dumps(fake.base_url)}\n"
        f"base_file_url = {json.dumps(fake.base_file_url)}\n",
        encoding="utf-8",
    )
    return path


async def belanja_bareng(
    config: Path,
    *argv: str,
    token: str | None,
    environ: Mapping[str, str] | None = None,
    file_modes_apply: bool = False,
) -> Exited:
    """`belanja-bareng --config CONFIG --lang en ARGV...` with `token` in the environment."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("TELEGRAM_")}
    env.update({"PTB_TIMEDELTA": "1", **(environ or {})})
    if token is not None:
        env["TELEGRAM_BOT_TOKEN"] = token
    prefix = WITHOUT_ROOT_POWERS if file_modes_apply and ROOT else ()
    process = await asyncio.create_subprocess_exec(
        *prefix, str(SCRIPT), "--config", str(config), "--lang", "en", *argv,
        cwd=config.parent, env=env, stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    try:
        out, err = await asyncio.wait_for(process.communicate(), timeout=EXIT_WITHIN)
    except TimeoutError:
        process.kill()
        await process.wait()
        raise AssertionError("belanja-bareng did not exit by itself") from None
    assert process.returncode is not None
    return Exited(process.returncode, out.decode(), err.decode())


@pytest.fixture
def read_only(tmp_path: Path) -> Iterator[Path]:
    """A folder (tmp_path/data) the test makes read-only, writable again afterwards."""
    folder = tmp_path / "data"
    folder.mkdir()
    yield folder
    folder.chmod(0o755)


def write_protect(path: Path) -> None:
    """Take away the write permission of file or folder `path` (r-x or r--, for everyone)."""
    path.chmod(0o555 if path.is_dir() else 0o444)


def closed_port() -> int:
    """A port on 127.0.0.1 nobody listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_a_token_telegram_rejects_is_named_as_the_thing_to_fix(
    fake_telegram: FakeTelegram, tmp_path: Path
) -> None:
    config = write_config(tmp_path, fake_telegram, tmp_path / "bot.sqlite3")

    line = (await belanja_bareng(config, "run", token=WRONG_TOKEN)).line

    assert line.startswith("Telegram rejected the bot token")
    assert "@BotFather" in line and "TELEGRAM_BOT_TOKEN" in line
    assert WRONG_TOKEN not in line


async def test_a_rejected_token_leaves_no_database_behind(
    fake_telegram: FakeTelegram, tmp_path: Path
) -> None:
    database = tmp_path / "data" / "bot.sqlite3"
    config = write_config(tmp_path, fake_telegram, database)

    line = (await belanja_bareng(config, "run", token=WRONG_TOKEN)).line

    assert line.startswith("Telegram rejected the bot token")
    assert not database.exists()


async def test_a_rejected_token_leaves_an_old_database_unmigrated(
    fake_telegram: FakeTelegram, tmp_path: Path
) -> None:
    database = tmp_path / "bot.sqlite3"
    async with open_database(database, migrate_to=13):
        pass
    config = write_config(tmp_path, fake_telegram, database)

    line = (await belanja_bareng(config, "run", token=WRONG_TOKEN)).line

    assert line.startswith("Telegram rejected the bot token")
    assert sorted(os.listdir(tmp_path)) == ["bot.sqlite3", "config.toml"]
    async with open_database(database, migrate_to=13) as kept:
        assert await schema_version(kept) == 13


async def test_verbose_shows_the_traceback_of_a_rejected_token_without_the_token(
    fake_telegram: FakeTelegram, tmp_path: Path
) -> None:
    config = write_config(tmp_path, fake_telegram, tmp_path / "bot.sqlite3")

    exited = await belanja_bareng(config, "--verbose", "run", token=WRONG_TOKEN)

    assert exited.code == 1
    assert "Traceback" in exited.err and "InvalidToken" in exited.err
    assert WRONG_TOKEN not in exited.err and WRONG_TOKEN.split(":")[1] not in exited.err
    assert "The token `***` was rejected" in exited.err
    assert exited.err.splitlines()[-1].startswith("Telegram rejected the bot token")


async def test_a_token_with_a_line_break_copied_along_is_refused_before_asking_telegram(
    fake_telegram: FakeTelegram, tmp_path: Path
) -> None:
    config = write_config(tmp_path, fake_telegram, tmp_path / "bot.sqlite3")

    line = (await belanja_bareng(config, "run", token=f"{fake_telegram.token}\n")).line

    assert line.startswith("The Telegram bot token is not written as @BotFather gives it")
    assert fake_telegram.token not in line
    assert fake_telegram.calls == []


async def test_without_a_token_run_says_how_to_set_one(
    fake_telegram: FakeTelegram, tmp_path: Path
) -> None:
    config = write_config(tmp_path, fake_telegram, tmp_path / "bot.sqlite3")

    line = (await belanja_bareng(config, "run", token=None)).line

    assert line.startswith("No Telegram bot token is set") and "TELEGRAM_BOT_TOKEN" in line


async def test_a_telegram_api_that_cannot_be_reached_is_named_with_its_address(
    fake_telegram: FakeTelegram, tmp_path: Path
) -> None:
    port = closed_port()
    config = write_config(tmp_path, fake_telegram, tmp_path / "bot.sqlite3")
    text = config.read_text(encoding="utf-8").replace(fake_telegram.base_url.split("/bot")[0],
                                                      f"http://127.0.0.1:{port}")  # fmt: skip
    config.write_text(text, encoding="utf-8")

    line = (await belanja_bareng(config, "run", token=fake_telegram.token)).line

    assert line.startswith(f"Cannot reach the Telegram Bot API at 127.0.0.1:{port}")
    assert "base_url" in line and fake_telegram.token not in line


async def test_a_bad_config_value_names_the_key(
    fake_telegram: FakeTelegram, tmp_path: Path
) -> None:
    config = write_config(
        tmp_path, fake_telegram, tmp_path / "bot.sqlite3", 'default_language = "fr"\n'
    )

    line = (await belanja_bareng(config, "run", token=fake_telegram.token)).line

    assert line.startswith("default_language: expected 'id' or 'en', got 'fr'")


async def test_a_database_file_that_is_not_sqlite_is_named(
    fake_telegram: FakeTelegram, tmp_path: Path
) -> None:
    database = tmp_path / "bot.sqlite3"
    database.write_text("kode;nama\nDT;Kopontren Daarut Tauhid\n" * 50, encoding="utf-8")
    config = write_config(tmp_path, fake_telegram, database)

    line = (await belanja_bareng(config, "run", token=fake_telegram.token)).line

    assert line.startswith(f"{database} is not a SQLite database")
    assert database.read_text(encoding="utf-8").startswith("kode;nama")
    assert [call.method for call in fake_telegram.calls] == ["getMe"]  # asked, not used


async def test_a_database_written_by_a_newer_version_is_left_alone(
    fake_telegram: FakeTelegram, tmp_path: Path
) -> None:
    database = tmp_path / "bot.sqlite3"
    newer = latest_version() + 1
    async with open_database(database) as db:
        await db.execute(
            "INSERT INTO schema_version (version, name, applied_at) VALUES (?, 'future', '')",
            (newer,),
        )
    config = write_config(tmp_path, fake_telegram, database)

    line = (await belanja_bareng(config, "run", token=fake_telegram.token)).line

    assert line.startswith(f"{database} was last used by a newer Belanja Bareng")
    assert f"schema version {newer}" in line and f"up to {latest_version()}" in line
    assert [call.method for call in fake_telegram.calls] == ["getMe"]  # asked, not used


async def test_a_database_folder_that_cannot_be_made_is_named(
    fake_telegram: FakeTelegram, tmp_path: Path
) -> None:
    (tmp_path / "data").write_text("", encoding="utf-8")  # a file where the folder should be
    config = write_config(tmp_path, fake_telegram, tmp_path / "data" / "bot.sqlite3")

    line = (await belanja_bareng(config, "run", token=fake_telegram.token)).line

    assert line.startswith(f"Cannot create the database folder {tmp_path / 'data'}")


@needs_file_modes
async def test_a_new_database_in_a_read_only_folder_is_refused_without_a_thread_traceback(
    fake_telegram: FakeTelegram, tmp_path: Path, read_only: Path
) -> None:
    write_protect(read_only)
    config = write_config(tmp_path, fake_telegram, read_only / "bot.sqlite3")

    exited = await belanja_bareng(config, "run", token=fake_telegram.token, file_modes_apply=True)

    assert exited.line.startswith(f"Cannot open or create the database {read_only / 'bot.sqlite3'}")
    assert "Event loop is closed" not in exited.err


@needs_file_modes
async def test_an_existing_database_in_a_read_only_folder_asks_for_write_access(
    fake_telegram: FakeTelegram, tmp_path: Path, read_only: Path
) -> None:
    database = read_only / "bot.sqlite3"
    async with open_database(database):
        pass
    write_protect(read_only)
    config = write_config(tmp_path, fake_telegram, database)

    exited = await belanja_bareng(config, "run", token=fake_telegram.token, file_modes_apply=True)

    assert exited.line.startswith(f"Belanja Bareng cannot write to the database {database}")
    assert str(read_only) in exited.line


@needs_file_modes
async def test_a_read_only_database_file_asks_for_write_access(
    fake_telegram: FakeTelegram, tmp_path: Path
) -> None:
    database = tmp_path / "bot.sqlite3"
    async with open_database(database):
        pass
    write_protect(database)
    config = write_config(tmp_path, fake_telegram, database)

    exited = await belanja_bareng(config, "run", token=fake_telegram.token, file_modes_apply=True)

    assert exited.line.startswith(f"Belanja Bareng cannot write to the database {database}")


async def test_a_webhook_port_in_use_names_the_port_and_the_setting(
    fake_telegram: FakeTelegram, tmp_path: Path
) -> None:
    hook = (
        'mode = "webhook"\n[telegram.webhook]\nlisten = "127.0.0.1"\nport = {port}\n'
        'public_url = "https://bot.example.org/telegram"\n'
    )
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = int(taken.getsockname()[1])
        config = write_config(tmp_path, fake_telegram, tmp_path / "bot.sqlite3")
        with config.open("a", encoding="utf-8") as file:
            file.write(hook.format(port=port))

        exited = await belanja_bareng(
            config, "run", token=fake_telegram.token,
            environ={"TELEGRAM_WEBHOOK_SECRET": "webhook-secret-42"},
        )  # fmt: skip

    assert exited.line.startswith(f"Port {port} on 127.0.0.1 is already in use")
    assert "telegram.webhook.port" in exited.line
    assert "webhook-secret-42" not in exited.err


async def test_a_webhook_telegram_refuses_names_the_public_url_to_fix(
    fake_telegram: FakeTelegram, tmp_path: Path
) -> None:
    config = write_config(tmp_path, fake_telegram, tmp_path / "bot.sqlite3")
    with config.open("a", encoding="utf-8") as file:
        file.write(
            '[telegram.webhook]\nlisten = "127.0.0.1"\n'
            f'port = {closed_port()}\npublic_url = "https://bot.example.org/telegram"\n'
        )
    text = config.read_text(encoding="utf-8").replace(
        "[telegram]\n", '[telegram]\nmode = "webhook"\n'
    )
    config.write_text(text, encoding="utf-8")
    fake_telegram.fail_next("setWebhook", "bad_webhook")

    exited = await belanja_bareng(
        config, "run", token=fake_telegram.token, environ={"TELEGRAM_WEBHOOK_SECRET": "s3cret-42"}
    )

    # the bot had started logging: its last line says what to fix, and no traceback came
    assert exited.code == 1 and "Traceback" not in exited.err
    last = exited.err.splitlines()[-1]
    assert last.startswith("Telegram refused a request the bot makes as it starts (")
    assert "Bad webhook" in last and "https://bot.example.org/telegram" in last
    assert "s3cret-42" not in exited.err


@pytest.mark.parametrize("command", ["run", "doctor"])
async def test_a_proxy_answering_with_its_own_html_page_is_one_line_without_the_page(
    fake_telegram: FakeTelegram, tmp_path: Path, command: str
) -> None:
    config = write_config(tmp_path, fake_telegram, tmp_path / "bot.sqlite3")
    fake_telegram.fail_next("getMe", "proxy_page")

    exited = await belanja_bareng(config, command, token=fake_telegram.token)

    said = exited.line if command == "run" else exited.out
    assert (
        "Cannot reach the Telegram Bot API at 127.0.0.1" in said and "(Bad Gateway (502))" in said
    )
    assert "<html" not in exited.out + exited.err and "Traceback" not in exited.err


async def test_the_webhook_and_the_dashboard_on_one_port_are_refused_before_either_starts(
    fake_telegram: FakeTelegram, tmp_path: Path
) -> None:
    dashboard = (
        '[dashboard]\nenabled = true\nport = 8443\npublic_url = "https://dasbor.example.org"\n'
    )
    hook = 'mode = "webhook"\n[telegram.webhook]\npublic_url = "https://bot.example.org/telegram"\n'
    config = write_config(tmp_path, fake_telegram, tmp_path / "bot.sqlite3", dashboard)
    with config.open("a", encoding="utf-8") as file:
        file.write(hook)

    exited = await belanja_bareng(
        config, "run", token=fake_telegram.token,
        environ={"TELEGRAM_WEBHOOK_SECRET": "webhook-secret-42"},
    )  # fmt: skip

    assert exited.line == (
        "telegram.webhook.port and dashboard.port both use port 8443 (127.0.0.1), but two of the"
        " bot's servers cannot listen on the same port. Change one of them in the config file."
    )
    assert fake_telegram.calls == []
    assert not (tmp_path / "bot.sqlite3").exists()


async def test_invites_create_with_a_rejected_token_keeps_the_token_out_of_its_warning(
    fake_telegram: FakeTelegram, tmp_path: Path
) -> None:
    database = tmp_path / "bot.sqlite3"
    async with open_database(database) as db:
        await seed_catalog(db)
    config = write_config(tmp_path, fake_telegram, database)

    exited = await belanja_bareng(config, "invites", "create", "KOP01", token=WRONG_TOKEN)

    assert exited.code == 0, exited
    assert "Telegram could not be reached" in exited.err
    assert WRONG_TOKEN not in exited.err and WRONG_TOKEN.split(":")[1] not in exited.err
    async with open_database(database) as db:
        assert [invite.coop_code for invite in await invites.list_invites(db, "KOP01")] == ["KOP01"]


def whatsapp_listening_on(database: Path, listen: str, port: int) -> Config:
    whatsapp = WhatsAppConfig(
        enabled=True, access_token=Secret("EAAG-access-token"),
        webhook=WhatsAppWebhookConfig(listen=listen, port=port),
    )  # fmt: skip
    return Config(database=database, whatsapp=whatsapp)


async def test_a_whatsapp_webhook_port_in_use_names_the_whatsapp_setting(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = int(taken.getsockname()[1])
        config = whatsapp_listening_on(tmp_path / "bot.sqlite3", "127.0.0.1", port)

        with pytest.raises(WebhookPortInUse) as refused:
            await run_bot(CliContext(config, "en", Renderer(), lambda: NOW, {}), Namespace())

    line = explain(refused.value, Renderer(), "en")
    assert line.startswith(f"Port {port} on 127.0.0.1 is already in use")
    assert "whatsapp.webhook.port" in line
    assert not (tmp_path / "bot.sqlite3").exists()  # refused before anything started


async def test_a_webhook_address_that_is_not_this_servers_is_refused(tmp_path: Path) -> None:
    config = whatsapp_listening_on(tmp_path / "bot.sqlite3", "192.0.2.7", 8080)  # TEST-NET-1

    with pytest.raises(WebhookCannotListen) as refused:
        await run_bot(CliContext(config, "en", Renderer(), lambda: NOW, {}), Namespace())

    line = explain(refused.value, Renderer(), "en")
    assert line.startswith("The webhook cannot listen on 192.0.2.7 port 8080 (")
    assert "[whatsapp.webhook]" in line
