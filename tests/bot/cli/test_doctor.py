"""`belanja-bareng doctor`: one line per check of a deployment (OK, a warning, or failed with
what to fix), exit code 1 only when a check failed, and never a secret in what it prints.

The command runs in-process (`bot.cli.main`, on a thread of its own as it runs its own event
loop) against the fake Bot API on 127.0.0.1; the disk and the WhatsApp checks call the
handler with what they inject (a disk usage function, the fake Graph API's session).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import socket
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import NamedTuple

import pytest

from bot.cli import main
from bot.cli.app import explain, utc_now
from bot.cli.context import CliContext
from bot.cli.doctor import check_deployment
from bot.cli.doctor_local import read_schema_version
from bot.cli.errors import DeploymentUnhealthy
from bot.config import Config, Secret
from messages.render import Renderer
from storage.database import open_database
from storage.migrator import latest_version
from tests.support.fake_graph import FakeGraph
from tests.support.fake_graph.bot import whatsapp_config
from tests.support.fake_telegram import FakeTelegram
from tests.support.fixtures.telegram import config_for

WRONG_TOKEN = "999999:AAF-this-token-was-revoked-long-ago"
WEBHOOK_SECRET = "s3cret-webhook-token"
PUBLIC_URL = "https://bot.example.org/telegram"
MB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Report:
    code: int
    lines: list[str]
    err: str

    def line(self, topic: str) -> str:
        """The one line about `topic` (its label as printed, e.g. "database")."""
        found = [line for line in self.lines if f" {topic}: " in line]
        assert len(found) == 1, self.lines
        return found[0]

    @property
    def statuses(self) -> dict[str, str]:
        """Each topic's status word: {"config": "OK", "Telegram": "OK", ...}."""
        pairs = (line.split(None, 1) for line in self.lines if ": " in line)
        return {rest.split(":", 1)[0]: status for status, rest in pairs}


@pytest.fixture
def database(tmp_path: Path) -> Path:
    return tmp_path / "data" / "belanja-bareng.sqlite3"


async def migrated(path: Path, version: int | None = None) -> Path:
    """`path` created and migrated (to `version`; default: the newest)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    async with open_database(path, migrate_to=version):
        pass
    return path


def write_config(folder: Path, fake: FakeTelegram, database: Path, extra: str = "") -> Path:
    path = folder / "config.toml"
    path.write_text(
        f"database = {json.dumps(str(database))}\n"
        "[telegram]\n"
        f"base_url = {json.dumps(fake.base_url)}\n"
        f"base_file_url = {json.dumps(fake.base_file_url)}\n"
        f"{extra}",
        encoding="utf-8",
    )
    return path


def write_spreadsheet_text(path: Path) -> None:
    """Something that is not a SQLite database at `path` (a CSV file under that name)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("koperasi;produk;jumlah\n" * 100, encoding="utf-8")


def webhook_mode(port: int) -> str:
    return (
        'mode = "webhook"\n'
        "[telegram.webhook]\n"
        f'listen = "127.0.0.1"\nport = {port}\npublic_url = "{PUBLIC_URL}"\n'
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def listening() -> Iterator[int]:
    """A port on 127.0.0.1 another program (here: the test) listens on."""
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        yield int(busy.getsockname()[1])


async def doctor(
    capsys: pytest.CaptureFixture[str],
    config: Path,
    *,
    token: str,
    lang: str = "en",
    now: Callable[[], datetime] = utc_now,
) -> Report:
    """`belanja-bareng --config CONFIG --lang LANG doctor` with `token` in the environment."""
    environ = {"TELEGRAM_BOT_TOKEN": token, "TELEGRAM_WEBHOOK_SECRET": WEBHOOK_SECRET}
    argv = ["--config", str(config), "--lang", lang, "doctor"]
    code = await asyncio.to_thread(main, argv, environ=environ, now=now)
    captured = capsys.readouterr()
    for secret in (token, token.split(":")[-1], WEBHOOK_SECRET):
        assert secret not in captured.out + captured.err
    return Report(code, captured.out.splitlines(), captured.err)


async def test_a_healthy_deployment_passes_every_check(
    fake_telegram: FakeTelegram,
    tmp_path: Path,
    database: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    config = write_config(tmp_path, fake_telegram, await migrated(database))

    report = await doctor(capsys, config, token=fake_telegram.token)

    assert (report.code, report.err) == (0, ""), report
    assert report.statuses == {
        "config": "OK", "Telegram": "OK", "webhook": "OK", "database": "OK", "schema": "OK",
        "disk space": "OK", "sending": "OK", "clock": "OK",
    }  # fmt: skip
    assert report.lines[:6] == [
        f"OK      config: read from {config}.",
        "OK      Telegram: the bot token is accepted: this is @belanja_bareng_test_bot.",
        "OK      webhook: none is set at Telegram, as polling needs.",
        f"OK      database: {database} is a SQLite database this user may write.",
        f"OK      schema: version {latest_version()}, the newest this version of Belanja Bareng"
        " knows.",
        report.line("disk space"),
    ]
    assert report.line("disk space").endswith(f" free on {database.parent}.")
    assert report.line("clock").startswith(
        "OK      clock: this server's clock agrees with Telegram's ("
    )
    assert "timezone Asia/Jakarta, now " in report.line("clock")
    assert report.lines[-1] == "Every check passed."
    assert [call.method for call in fake_telegram.calls] == ["getMe", "getWebhookInfo", "getMe"]


async def test_a_rejected_token_fails_with_what_to_do_in_indonesian(
    fake_telegram: FakeTelegram,
    tmp_path: Path,
    database: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    config = write_config(tmp_path, fake_telegram, await migrated(database))

    report = await doctor(capsys, config, token=WRONG_TOKEN, lang="id")

    assert report.code == 1
    assert report.line("Telegram").startswith(
        "GAGAL      Telegram: Telegram menolak token bot: token itu salah atau sudah dicabut."
    )
    assert "@BotFather" in report.line("Telegram")
    assert "webhook" not in report.statuses  # nothing more to ask with a refused token
    assert report.statuses["basis data"] == "OK" and report.statuses["jam"] == "OK"
    assert report.err == (
        "1 pemeriksaan gagal: perbaiki yang disebut di baris GAGAL, lalu jalankan lagi"
        " belanja-bareng doctor.\n"
    )


async def test_a_database_behind_the_code_warns_and_is_not_migrated_by_the_check(
    fake_telegram: FakeTelegram,
    tmp_path: Path,
    database: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    older = latest_version() - 2
    config = write_config(tmp_path, fake_telegram, await migrated(database, older))

    report = await doctor(capsys, config, token=fake_telegram.token)

    assert report.code == 0, report
    assert report.line("schema") == (
        f"WARNING schema: version {older}; this version of Belanja Bareng knows up to"
        f" {latest_version()}. The missing migrations run when the bot starts (belanja-bareng"
        " run or init), which keeps a copy of the file as it was beside it; make a backup"
        " first anyway: belanja-bareng backup PATH."
    )
    assert report.lines[-1] == "No check failed; 1 warning: see WARNING above."
    assert await read_schema_version(database) == older
    assert sorted(path.name for path in database.parent.iterdir()) == [database.name]


async def test_a_database_of_a_newer_version_fails_as_run_would_refuse_it(
    fake_telegram: FakeTelegram,
    tmp_path: Path,
    database: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    newer = latest_version() + 1
    async with open_database(await migrated(database)) as db:
        await db.execute(
            "INSERT INTO schema_version (version, name, applied_at) VALUES (?, 'future', '')",
            (newer,),
        )
    config = write_config(tmp_path, fake_telegram, database)

    report = await doctor(capsys, config, token=fake_telegram.token)

    assert report.code == 1
    assert report.line("schema").startswith(
        f"FAILED  schema: {database} was last used by a newer Belanja Bareng (schema version"
        f" {newer}; this version knows up to {latest_version()})"
    )
    assert report.err.startswith("1 check failed: fix what the FAILED lines say")


async def test_a_missing_or_foreign_database_file_fails(
    fake_telegram: FakeTelegram,
    tmp_path: Path,
    database: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    config = write_config(tmp_path, fake_telegram, database)

    missing = await doctor(capsys, config, token=fake_telegram.token)
    write_spreadsheet_text(database)
    foreign = await doctor(capsys, config, token=fake_telegram.token)

    assert missing.line("database") == (
        f"FAILED  database: The database {database} does not exist yet. Create it first with:"
        " belanja-bareng init"
    )
    assert foreign.line("database").startswith(
        f"FAILED  database: {database} is not a SQLite database"
    )
    assert (missing.code, foreign.code) == (1, 1)
    assert "schema" not in missing.statuses and "schema" not in foreign.statuses
    assert missing.line("disk space").endswith(f" free on {tmp_path}.")  # where it will be


async def test_a_database_folder_init_could_not_make_fails_as_init_would_say(
    fake_telegram: FakeTelegram, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "afile").write_text("not a folder", encoding="utf-8")
    config = write_config(tmp_path, fake_telegram, tmp_path / "afile" / "bot.sqlite3")

    report = await doctor(capsys, config, token=fake_telegram.token)

    line = report.line("database")
    assert line.startswith("FAILED  database: ") and "afile" in line
    assert "belanja-bareng init" not in line  # init would fail the same way
    assert report.code == 1


async def test_in_webhook_mode_the_url_at_telegram_must_be_the_public_url(
    fake_telegram: FakeTelegram,
    tmp_path: Path,
    database: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    port = free_port()
    config = write_config(tmp_path, fake_telegram, await migrated(database), webhook_mode(port))

    never_set = await doctor(capsys, config, token=fake_telegram.token)
    fake_telegram.webhook.url = "https://old.example.org/telegram"
    elsewhere = await doctor(capsys, config, token=fake_telegram.token)
    fake_telegram.webhook.url = PUBLIC_URL
    matching = await doctor(capsys, config, token=fake_telegram.token)

    assert never_set.line("webhook") == (
        "FAILED  webhook: no webhook is set at Telegram, but public_url in the"
        f" [telegram.webhook] section is {PUBLIC_URL}. Run the bot once (belanja-bareng run"
        " sets the webhook when it starts), or correct public_url in the config file."
    )
    assert elsewhere.line("webhook").startswith(
        "FAILED  webhook: Telegram sends updates to https://old.example.org/telegram, but"
    )
    assert matching.line("webhook") == (
        f"OK      webhook: Telegram sends updates to {PUBLIC_URL}, the public_url of the config."
    )
    assert matching.line("port") == (
        f"OK      port: 127.0.0.1 port {port} (telegram.webhook.port) is free for the webhook."
    )
    assert [never_set.code, elsewhere.code, matching.code] == [1, 1, 0]
    assert fake_telegram.calls_to("setWebhook") == []  # doctor only looks
    assert fake_telegram.calls_to("deleteWebhook") == []


async def test_a_busy_webhook_port_and_a_failing_webhook_are_warnings(
    fake_telegram: FakeTelegram,
    tmp_path: Path,
    database: Path,
    listening: int,
    capsys: pytest.CaptureFixture[str],
) -> None:
    extra = webhook_mode(listening)
    config = write_config(tmp_path, fake_telegram, await migrated(database), extra)
    fake_telegram.webhook.url = PUBLIC_URL
    fake_telegram.webhook.last_error_message = "Wrong response from the webhook: 502 Bad Gateway"

    report = await doctor(capsys, config, token=fake_telegram.token)

    assert report.code == 0, report
    assert report.line("port") == (
        f"WARNING port: 127.0.0.1 port {listening} is already in use. If belanja-bareng run is"
        " running, that is the bot itself; otherwise stop the program that holds it, or choose"
        " another port with telegram.webhook.port in the config file."
    )
    assert report.line("webhook").startswith(
        f"WARNING webhook: Telegram sends updates to {PUBLIC_URL}, but its last delivery there"
        " failed (Wrong response from the webhook: 502 Bad Gateway)."
    )
    assert report.lines[-1] == "No check failed; 2 warnings: see WARNING above."


async def test_a_webhook_left_at_telegram_in_polling_mode_is_a_warning(
    fake_telegram: FakeTelegram,
    tmp_path: Path,
    database: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    config = write_config(tmp_path, fake_telegram, await migrated(database))
    fake_telegram.webhook.url = PUBLIC_URL

    report = await doctor(capsys, config, token=fake_telegram.token)

    assert report.code == 0
    assert report.line("webhook").startswith(
        f"WARNING webhook: Telegram still sends updates to the webhook {PUBLIC_URL}, but the"
        " config says polling: belanja-bareng run removes that webhook when it starts."
    )


async def test_retries_given_up_within_minutes_are_a_warning_with_the_line_to_change(
    fake_telegram: FakeTelegram,
    tmp_path: Path,
    database: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A config copied from before 31 tries became the default still says 5."""
    healthy = write_config(tmp_path, fake_telegram, await migrated(database))
    fine = await doctor(capsys, healthy, token=fake_telegram.token)
    old = write_config(tmp_path, fake_telegram, database, "[sending]\nmax_attempts = 5\n")

    report = await doctor(capsys, old, token=fake_telegram.token)

    assert fine.line("sending") == (
        "OK      sending: a message meeting a temporary error is tried 31 times, until about"
        " 24 hours after its first try."
    )
    assert report.code == 0 and report.statuses["sending"] == "WARNING"
    assert report.line("sending") == (
        "WARNING sending: a message meeting a temporary error is tried only 5 times and fails"
        " for good after 7 minutes: a short internet outage during a close can fail every bill."
        " Set max_attempts in the [sending] section of the config file to 31 (about a day), or"
        " remove the line for the default."
    )


@pytest.mark.parametrize(
    ("offset", "expected"),
    [
        (timedelta(minutes=5), "is 5 minutes ahead of Telegram's"),
        (timedelta(minutes=-3), "is 3 minutes behind Telegram's"),
    ],
)
async def test_a_clock_off_by_minutes_is_a_warning(
    fake_telegram: FakeTelegram,
    tmp_path: Path,
    database: Path,
    capsys: pytest.CaptureFixture[str],
    offset: timedelta,
    expected: str,
) -> None:
    config = write_config(tmp_path, fake_telegram, await migrated(database))

    report = await doctor(
        capsys, config, token=fake_telegram.token, now=lambda: datetime.now(UTC) + offset
    )

    assert report.code == 0
    line = report.line("clock")
    assert line.startswith(f"WARNING clock: this server's clock {expected}")
    assert "timedatectl set-ntp true" in line and "timezone Asia/Jakarta" in line


class Free(NamedTuple):
    free: int


@pytest.mark.parametrize(
    ("free", "status"),
    [(50 * MB, "FAILED "), (500 * MB, "WARNING"), (2048 * MB, "OK     ")],
)
async def test_low_disk_space_warns_under_a_gigabyte_and_fails_under_100_mb(
    fake_telegram: FakeTelegram,
    database: Path,
    capsys: pytest.CaptureFixture[str],
    free: int,
    status: str,
) -> None:
    context = CliContext(config_for(fake_telegram, await migrated(database)), "en", Renderer(),
                         utc_now, {})  # fmt: skip
    asked: list[Path] = []

    def disk_usage(path: Path) -> Free:
        asked.append(path)
        return Free(free)

    try:
        await check_deployment(context, argparse.Namespace(), disk_usage=disk_usage)
        code = 0
    except DeploymentUnhealthy as unhealthy:
        code = 1
        print(explain(unhealthy, context.renderer, "en"), file=sys.stderr)
    report = Report(code, capsys.readouterr().out.splitlines(), "")

    assert asked == [database.parent]
    assert report.line("disk space").startswith(f"{status} disk space: ")
    assert report.code == (1 if free < 100 * MB else 0)
    if free < 1024 * MB:
        assert f"only {free // MB} MB free on {database.parent}." in report.line("disk space")
    else:
        assert report.line("disk space").endswith(f"2 GB free on {database.parent}.")


async def test_whatsapp_is_checked_by_reading_the_business_number(
    fake_graph: FakeGraph, database: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = whatsapp_config(await migrated(database))

    async def check(config: Config) -> tuple[int, Report]:
        context = CliContext(config, "en", Renderer(), utc_now, {}, fake_graph.session())
        try:
            await check_deployment(context, argparse.Namespace())
        except DeploymentUnhealthy:
            return 1, Report(1, capsys.readouterr().out.splitlines(), "")
        return 0, Report(0, capsys.readouterr().out.splitlines(), "")

    code, working = await check(config)
    revoked = replace(config.whatsapp, access_token=Secret("EAAG-revoked"))
    refused_code, refused = await check(replace(config, whatsapp=revoked))
    fake_graph.unreachable = True
    unreachable_code, unreachable = await check(config)

    assert code == 0, working
    assert working.line("WhatsApp") == (
        "OK      WhatsApp: the access token reads the business number +62 812-3456-7890."
    )
    assert working.line("Telegram") == (
        "OK      Telegram: no bot token is set: only WhatsApp is served."
    )
    assert working.line("clock").startswith(
        "OK      clock: not compared with Telegram's (no bot token is set); timezone Asia/Jakarta"
    )
    assert "port" not in working.statuses  # port 0: any free port
    assert refused_code == 1
    assert refused.line("WhatsApp").startswith(
        "FAILED  WhatsApp: WhatsApp refused the access token (code 190)"
    )
    assert "EAAG-revoked" not in "\n".join(refused.lines)
    assert unreachable_code == 1
    assert unreachable.line("WhatsApp").startswith(
        "FAILED  WhatsApp: the business number (phone_number_id 106540352242922) could not be"
        " read (graph api unreachable: ConnectError). Check phone_number_id in the [whatsapp]"
        " section of the config file, and that this server can reach graph.facebook.com."
    )


async def test_a_config_that_cannot_be_read_stops_before_any_check(
    fake_telegram: FakeTelegram,
    tmp_path: Path,
    database: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    config = write_config(tmp_path, fake_telegram, database, 'mode = "poll"\n')

    report = await doctor(capsys, config, token=fake_telegram.token)

    assert (report.code, report.lines) == (1, [])
    assert report.err == "telegram.mode: expected 'polling' or 'webhook', got 'poll'.\n"
    assert fake_telegram.calls == []


def dashboard_on(listen: str, port: int) -> str:
    """The config's [dashboard] table, enabled on `listen`:`port`."""
    return (
        f'[dashboard]\nenabled = true\nlisten = "{listen}"\nport = {port}\n'
        'public_url = "https://dasbor.example.org"\n'
    )


async def test_the_dashboards_port_is_checked_when_it_is_enabled(
    fake_telegram: FakeTelegram,
    tmp_path: Path,
    database: Path,
    listening: int,
    capsys: pytest.CaptureFixture[str],
) -> None:
    await migrated(database)
    port = free_port()
    free = write_config(tmp_path, fake_telegram, database, dashboard_on("127.0.0.1", port))
    free_report = await doctor(capsys, free, token=fake_telegram.token)
    busy = write_config(tmp_path, fake_telegram, database, dashboard_on("127.0.0.1", listening))
    busy_report = await doctor(capsys, busy, token=fake_telegram.token)

    assert free_report.code == 0, free_report
    assert free_report.line("dashboard") == (
        f"OK      dashboard: 127.0.0.1 port {port} (dashboard.port) is free for the web dashboard."
    )
    assert free_report.lines.index(free_report.line("dashboard")) == 3  # after the webhook
    assert busy_report.code == 0, busy_report  # it may be the running bot's own dashboard
    assert busy_report.line("dashboard") == (
        f"WARNING dashboard: 127.0.0.1 port {listening} is already in use. If belanja-bareng run"
        " is running, that is the bot itself; otherwise stop the program that holds it, or"
        " choose another port with dashboard.port in the config file."
    )
    assert busy_report.lines[-1] == "No check failed; 1 warning: see WARNING above."


async def test_a_dashboard_address_that_is_not_this_servers_fails_in_indonesian(
    fake_telegram: FakeTelegram,
    tmp_path: Path,
    database: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    extra = dashboard_on("192.0.2.7", 8090)  # TEST-NET-1: no server's address
    config = write_config(tmp_path, fake_telegram, await migrated(database), extra)

    report = await doctor(capsys, config, token=fake_telegram.token, lang="id")

    assert report.code == 1
    assert report.line("dasbor").startswith(
        "GAGAL      dasbor: Dasbor web tidak bisa berjalan di 192.0.2.7 port 8090 ("
    )
    assert "[dashboard]" in report.line("dasbor")
    assert report.statuses["basis data"] == "OK"  # the other checks still ran
