"""An operator's slip in the config file stops `doctor` and `run` before anything starts:
one Indonesian line naming the key (or the file), exit code 1, no traceback, and no
database made. Each case is one a QA run of the real command line found passing the check
and failing later, or failing with a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.fixtures.cli import Cli

WEBHOOK = (
    '[telegram]\nmode = "webhook"\n[telegram.webhook]\nport = 8443\n'
    'public_url = "{url}"\nsecret_token = "rahasia"\n'
)
DASHBOARD = (
    '[dashboard]\nenabled = true\nport = {port}\npublic_url = "https://dasbor.example.org"\n'
)
TEMPLATE = '[whatsapp.templates.{message}]\nname = "tagihan"\n{more}'

SLIPS = {
    "two listeners on one port": (
        WEBHOOK.format(url="https://bot.example.org/telegram") + DASHBOARD.format(port=8443),
        "telegram.webhook.port dan dashboard.port sama-sama memakai port 8443 (127.0.0.1)",
    ),
    "a port Telegram does not post to": (
        WEBHOOK.format(url="https://bot.example.org:9000/telegram"),
        "telegram.webhook.public_url: Telegram hanya mengirim pembaruan ke port 443, 80, 88",
    ),
    "a reminder ages before the deadline": (
        '[reminders]\noffsets = ["99999999999999d"]\n',
        "reminders.offsets[0]: '99999999999999d' terlalu lama",
    ),
    "invites for millennia": (
        "[invites]\nvalid_days = 3000000\n",
        "invites.valid_days: 3000000 di luar batas: paling sedikit 0 dan paling banyak 3650.",
    ),
    "a dashboard sign-in for millennia": (
        "[dashboard]\nsession_hours = 100000000\n",
        "dashboard.session_hours: 100000000 di luar batas: paling sedikit 1 dan paling banyak 720.",
    ),
    "the server's local time": (
        'timezone = "localtime"\n',
        "timezone: 'localtime' bukan zona waktu kantor.",
    ),
    "a WhatsApp admin that is no phone number": (
        'admins = ["whatsapp:12"]\n',
        "admins[0]: 'whatsapp:12' bukan ID admin yang sah.",
    ),
    "a daily limit that is no tier": (
        "[whatsapp]\nbusiness_daily_limit = 300\n",
        "whatsapp.business_daily_limit: seharusnya 250, 2000, 10000 atau 100000, tertulis 300.",
    ),
    "faster than Telegram allows": (
        "[sending]\ntelegram_per_second = 1000\n",
        "sending.telegram_per_second: 1000 di luar batas: paling sedikit 1 dan paling banyak 30.",
    ),
    "a negative WhatsApp pace": (
        "[whatsapp]\nper_user_seconds = -1.0\n",
        "whatsapp.per_user_seconds: -1.0 di luar batas: paling sedikit 0.",
    ),
    "a message name with a typo": (
        TEMPLATE.format(message="sumary_bill", more=""),
        "whatsapp.templates.sumary_bill: bot tidak punya pesan bernama 'sumary_bill'.",
    ),
    "a language the bot does not speak": (
        TEMPLATE.format(message="summary_bill", more='languages = { jv = "jv" }\n'),
        "whatsapp.templates.summary_bill.languages: 'jv' bukan bahasa bot.",
    ),
    "a value the message does not have": (
        TEMPLATE.format(message="summary_bill", more='parameters = ["no_such_key"]\n'),
        "whatsapp.templates.summary_bill.parameters[0]: pesan 'summary_bill' tidak punya nilai",
    ),
}


@pytest.fixture
def cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Cli:
    return Cli(tmp_path, capsys)


def config_of(cli: Cli) -> Path:
    return Path(cli.environ["BELANJA_BARENG_CONFIG"])


def configure(cli: Cli, text: str) -> None:
    """The test's config file: its database, then `text`."""
    database = f'database = "{cli.database.as_posix()}"\n'
    config_of(cli).write_text(database + text, encoding="utf-8")


def refused(cli: Cli, command: str) -> str:
    """`command` run against the config: its one line; nothing was made."""
    line = cli.failed(command)
    assert "Traceback" not in line and "tidak terduga" not in line
    assert not cli.database.exists()
    return line


@pytest.mark.parametrize("command", ["doctor", "run"])
@pytest.mark.parametrize(("text", "line"), SLIPS.values(), ids=SLIPS.keys())
def test_a_slip_in_the_config_stops_doctor_and_run_with_one_line_naming_the_key(
    cli: Cli, command: str, text: str, line: str
) -> None:
    configure(cli, text)

    assert refused(cli, command).startswith(line)


@pytest.mark.parametrize("command", ["doctor", "run"])
def test_a_config_saved_in_latin_1_asks_for_utf_8_naming_the_file(cli: Cli, command: str) -> None:
    config_of(cli).write_bytes(b'database = "caf\xe9.sqlite3"\n')

    line = refused(cli, command)

    assert line.startswith(f"Berkas konfigurasi {config_of(cli)} tidak tersimpan sebagai UTF-8")
    assert not (config_of(cli).parent / "café.sqlite3").exists()


def test_a_config_saved_by_notepad_with_a_byte_order_mark_works(cli: Cli) -> None:
    config_of(cli).write_bytes(
        b"\xef\xbb\xbf" + f'database = "{cli.database.as_posix()}"\n'.encode()
    )

    assert cli.ok("init")
    assert cli.database.exists()


def test_a_bad_webhook_secret_in_the_environment_is_named_as_that_variable(cli: Cli) -> None:
    configure(cli, "")
    cli.environ["TELEGRAM_WEBHOOK_SECRET"] = "ada spasi"

    line = refused(cli, "doctor")

    assert line.startswith("Variabel lingkungan TELEGRAM_WEBHOOK_SECRET")
    assert "ada spasi" not in line
