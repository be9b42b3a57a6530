"""The config file: example, defaults, environment overrides, errors that name the key."""

from __future__ import annotations

import dataclasses
import itertools
import re
import tomllib
import typing
from datetime import time, timedelta
from pathlib import Path

import pytest

import bot.config
import bot.config_listeners
import bot.config_reading
import bot.whatsapp.settings
import messages
from bot.config import (
    Admin,
    Config,
    ConfigError,
    QuietHours,
    TelegramMode,
    config_path_from,
    load_config,
)
from messages import Renderer, TextStyle
from purchasing.settlement import Payee
from tests.support import REPOSITORY

EXAMPLE = REPOSITORY / "config.example.toml"
SECRETS_FROM_ENV = {
    "TELEGRAM_BOT_TOKEN": "tg-token-from-env",
    "TELEGRAM_WEBHOOK_SECRET": "hook-secret-from-env",
    "WHATSAPP_ACCESS_TOKEN": "wa-access-from-env",
    "WHATSAPP_APP_SECRET": "wa-app-secret-from-env",
    "WHATSAPP_VERIFY_TOKEN": "wa-verify-from-env",
}
WHATSAPP_ON = '[whatsapp]\nenabled = true\nphone_number_id = "1055"\n'


def write_config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def config_error(tmp_path: Path, text: str, environ: dict[str, str] | None = None) -> ConfigError:
    with pytest.raises(ConfigError) as caught:
        load_config(write_config(tmp_path, text), environ or {})
    return caught.value


def explained(error: ConfigError, lang: str = "en") -> str:
    return Renderer().render_error(error, lang, TextStyle.PLAIN)


def schema_paths(section: type[object], prefix: str = "") -> set[str]:
    paths: set[str] = set()
    hints = typing.get_type_hints(section)
    for entry in dataclasses.fields(typing.cast(typing.Any, section)):
        path = f"{prefix}{entry.name}"
        kind = hints[entry.name]
        if dataclasses.is_dataclass(kind) and isinstance(kind, type):
            paths |= schema_paths(kind, f"{path}.")
        else:
            paths.add(path)
    return paths


# Tables whose keys are names the operator chooses (one per WhatsApp message template).
OPEN_TABLES = {"whatsapp.templates"}


def toml_paths(table: dict[str, object], prefix: str = "") -> set[str]:
    paths: set[str] = set()
    for key, value in table.items():
        if isinstance(value, dict) and f"{prefix}{key}" not in OPEN_TABLES:
            paths |= toml_paths(value, f"{prefix}{key}.")
        else:
            paths.add(f"{prefix}{key}")
    return paths


def test_the_example_file_loads_and_holds_exactly_the_defaults() -> None:
    assert load_config(EXAMPLE, {}) == Config()
    assert load_config(None, {}) == Config()


def test_without_a_file_the_documented_defaults_apply() -> None:
    config = load_config(None, {})
    assert config.database == Path("belanja-bareng.sqlite3")
    assert config.timezone.key == "Asia/Jakarta"
    assert config.default_language == "id"
    assert config.telegram.mode is TelegramMode.POLLING
    assert config.telegram.base_url == "https://api.telegram.org/bot"
    assert config.reminders.offsets == (timedelta(hours=24), timedelta(hours=2))
    assert config.quiet_hours == QuietHours(time(21, 0), time(6, 0))
    assert config.sending.telegram_per_second == 30
    assert config.sending.telegram_per_chat_seconds == 1.0
    assert config.sending.telegram_group_per_minute == 20
    assert config.sending.whatsapp_per_second == 80
    assert config.demo.round_minutes == 10


def test_the_example_file_shows_every_setting_the_bot_reads() -> None:
    example = tomllib.loads(EXAMPLE.read_text(encoding="utf-8"))
    assert toml_paths(example) == schema_paths(Config)


def test_every_key_and_section_in_the_example_has_a_comment_above_it() -> None:
    lines = EXAMPLE.read_text(encoding="utf-8").splitlines()
    section, key = re.compile(r"^\[[a-z_.]+\]$"), re.compile(r"^[a-z_]+ = ")
    undocumented = [
        line
        for previous, line in itertools.pairwise(lines)
        if (section.match(line) or key.match(line)) and not previous.startswith("#")
    ]
    assert undocumented == []
    open_table_keys = len(
        tomllib.loads(EXAMPLE.read_text())["whatsapp"]["templates"]["summary_bill"]
    )
    documented_keys = sum(1 for line in lines if key.match(line)) - open_table_keys
    assert documented_keys == len(schema_paths(Config)) - len(OPEN_TABLES)


def test_an_operator_changes_a_few_settings_and_keeps_the_other_defaults(tmp_path: Path) -> None:
    path = write_config(
        tmp_path,
        'default_language = "en"\nadmins = ["telegram:123456789", "whatsapp:6281234567890"]\n'
        '[reminders]\noffsets = ["2h", "1d12h", "90m"]\n'
        '[quiet_hours]\nstart = "22:30"\n'
        "[sending]\ntelegram_per_chat_seconds = 2\n",
    )
    config = load_config(path, {})
    assert config.default_language == "en"
    assert config.admins == (Admin("telegram", "123456789"), Admin("whatsapp", "6281234567890"))
    assert config.is_admin("telegram", "123456789")
    assert not config.is_admin("whatsapp", "123456789")
    assert config.reminders.offsets == (
        timedelta(days=1, hours=12),
        timedelta(hours=2),
        timedelta(minutes=90),
    )
    assert config.quiet_hours == QuietHours(time(22, 30), time(6, 0))
    assert config.sending.telegram_per_chat_seconds == 2.0
    assert config.sending.max_attempts == Config().sending.max_attempts
    assert config.sending.keep_sent_days == 30


def test_secrets_in_the_environment_win_over_the_file(tmp_path: Path) -> None:
    path = write_config(
        tmp_path,
        '[telegram]\ntoken = "tg-token-from-file"\nmode = "webhook"\n'
        '[telegram.webhook]\npublic_url = "https://bot.example.org/telegram"\n'
        'secret_token = "from-file"\n' + WHATSAPP_ON,
    )
    config = load_config(path, SECRETS_FROM_ENV)
    assert config.telegram.token == "tg-token-from-env"
    assert config.telegram.webhook.secret_token == "hook-secret-from-env"
    assert config.whatsapp.access_token == "wa-access-from-env"
    assert config.whatsapp.app_secret == "wa-app-secret-from-env"
    assert config.whatsapp.verify_token == "wa-verify-from-env"


def test_an_empty_environment_variable_leaves_the_file_value(tmp_path: Path) -> None:
    path = write_config(tmp_path, '[telegram]\ntoken = "tg-token-from-file"\n')
    config = load_config(path, {"TELEGRAM_BOT_TOKEN": ""})
    assert config.telegram.token == "tg-token-from-file"


def test_secrets_never_show_in_the_printed_config(tmp_path: Path) -> None:
    path = write_config(
        tmp_path,
        '[telegram]\nmode = "webhook"\n[telegram.webhook]\npublic_url = "https://bot.example.org"\n'
        + WHATSAPP_ON,
    )
    environ = dict(SECRETS_FROM_ENV, TELEGRAM_WEBHOOK_SECRET="hook_secret_from_env")
    config = load_config(path, environ)
    printed = [repr(config), str(config), repr(config.telegram), str(config.whatsapp)]
    for secret in environ.values():
        assert all(secret not in text for text in printed)
    assert "Secret('***')" in repr(config.telegram)
    assert config.telegram.token == "tg-token-from-env"


def test_a_misspelt_key_stops_the_bot_and_names_the_key(tmp_path: Path) -> None:
    error = config_error(tmp_path, '[telegram]\nmdoe = "webhook"\n')
    assert error.key == "config_unknown_key"
    assert "telegram.mdoe" in str(error)
    assert explained(error).startswith("telegram.mdoe: unknown key")
    assert "telegram.mdoe" in explained(error, "id")


def test_an_unknown_section_is_named(tmp_path: Path) -> None:
    error = config_error(tmp_path, "[telegarm]\ntoken = 'x'\n")
    assert error.params["path"] == "telegarm"


def test_a_value_of_the_wrong_kind_names_the_key_and_the_kind(tmp_path: Path) -> None:
    error = config_error(tmp_path, '[telegram.webhook]\nport = "8443"\n')
    assert error.key == "config_wrong_type"
    assert explained(error) == "telegram.webhook.port: expected a whole number, got '8443'."


def test_true_is_not_a_number_of_attempts(tmp_path: Path) -> None:
    error = config_error(tmp_path, "[sending]\nmax_attempts = true\n")
    assert error.params["path"] == "sending.max_attempts"


def test_a_mode_that_does_not_exist_is_refused_with_the_choices(tmp_path: Path) -> None:
    error = config_error(tmp_path, '[telegram]\nmode = "poll"\n')
    assert explained(error) == "telegram.mode: expected 'polling' or 'webhook', got 'poll'."


def test_the_office_says_who_the_coops_pay(tmp_path: Path) -> None:
    paid_directly = load_config(write_config(tmp_path, '[office]\npayee = "supplier"\n'), {})
    error = config_error(tmp_path, '[office]\npayee = "pemasok"\n')

    assert paid_directly.office.payee is Payee.SUPPLIER
    assert load_config(write_config(tmp_path, ""), {}).office.payee is Payee.OFFICE
    assert explained(error) == "office.payee: expected 'office' or 'supplier', got 'pemasok'."


@pytest.mark.parametrize(
    ("text", "line"),
    [
        (
            "[whatsapp]\nper_user_seconds = -1.0",
            "whatsapp.per_user_seconds: -1.0 di luar batas: paling sedikit 0.",
        ),
        (
            "[sending]\ntelegram_per_chat_seconds = -1",
            "sending.telegram_per_chat_seconds: -1 di luar batas: paling sedikit 1.",
        ),
        (
            'default_language = "jv"',
            "default_language: seharusnya 'id' atau 'en', tertulis 'jv'.",
        ),
        (
            '[telegram]\nmode = "poll"',
            "telegram.mode: seharusnya 'polling' atau 'webhook', tertulis 'poll'.",
        ),
        (
            '[office]\npayee = "pemasok"',
            "office.payee: seharusnya 'office' atau 'supplier', tertulis 'pemasok'.",
        ),
    ],
    ids=["negative pace", "negative seconds", "language", "mode", "payee"],
)
def test_a_number_below_its_minimum_or_a_value_off_the_list_reads_as_one_plain_sentence(
    tmp_path: Path, text: str, line: str
) -> None:
    assert explained(config_error(tmp_path, text + "\n"), "id") == line


def test_a_bad_webhook_secret_from_the_environment_is_named_as_that_variable(
    tmp_path: Path,
) -> None:
    environ = {"TELEGRAM_WEBHOOK_SECRET": "secret with spaces"}

    from_environment = config_error(tmp_path, "", environ)
    from_file = config_error(tmp_path, '[telegram.webhook]\nsecret_token = "a b"\n')

    assert explained(from_environment, "id").startswith(
        "Variabel lingkungan TELEGRAM_WEBHOOK_SECRET (pengganti telegram.webhook.secret_token):"
        " token rahasia hanya boleh"
    )
    assert explained(from_file, "id").startswith("telegram.webhook.secret_token: token rahasia")
    assert "secret with spaces" not in explained(from_environment, "en")


@pytest.mark.parametrize(
    ("text", "key", "path"),
    [
        ('timezone = "Asia/Bandung"', "config_invalid_timezone", "timezone"),
        ('default_language = "fr"', "config_invalid_choice", "default_language"),
        ('admins = ["telegram:@budi"]', "config_invalid_admin", "admins[0]"),
        ('admins = ["signal:1"]', "config_invalid_admin", "admins[0]"),
        ('database = ""', "config_wrong_type", "database"),
        (
            '[reminders]\noffsets = ["24h", "2 jam"]',
            "config_invalid_duration",
            "reminders.offsets[1]",
        ),
        ('[reminders]\noffsets = ["0h"]', "config_invalid_duration", "reminders.offsets[0]"),
        ('[quiet_hours]\nend = "6"', "config_invalid_time", "quiet_hours.end"),
        ('[quiet_hours]\nstart = "24:00"', "config_invalid_time", "quiet_hours.start"),
        ("[telegram.webhook]\nport = 0", "config_out_of_range", "telegram.webhook.port"),
        (
            "[sending]\ntelegram_per_chat_seconds = -1",
            "config_out_of_range",
            "sending.telegram_per_chat_seconds",
        ),
        ("[demo]\nround_minutes = 0", "config_out_of_range", "demo.round_minutes"),
        ("[sending]\nkeep_sent_days = -1", "config_out_of_range", "sending.keep_sent_days"),
        ('[telegram]\nbase_url = "ftp://x"', "config_invalid_url", "telegram.base_url"),
        ("[telegram]\nwebhook = 1", "config_wrong_type", "telegram.webhook"),
        (
            '[telegram.webhook]\nsecret_token = "has space"',
            "config_invalid_secret_token",
            "telegram.webhook.secret_token",
        ),
    ],
)
def test_each_bad_value_is_refused_with_its_key_in_both_languages(
    tmp_path: Path, text: str, key: str, path: str
) -> None:
    error = config_error(tmp_path, text + "\n")
    assert (error.key, error.params["path"]) == (key, path)
    assert explained(error, "en").startswith(path)
    assert explained(error, "id").startswith(path)


def test_a_reminder_may_come_up_to_thirty_days_before_the_deadline_and_no_earlier(
    tmp_path: Path,
) -> None:
    month = load_config(write_config(tmp_path, '[reminders]\noffsets = ["30d"]\n'), {})
    typo = config_error(tmp_path, '[reminders]\noffsets = ["2h", "99999999999999d"]\n')

    assert month.reminders.offsets == (timedelta(days=30),)
    assert (typo.key, typo.params["path"]) == ("config_duration_too_long", "reminders.offsets[1]")
    assert explained(typo, "id") == (
        "reminders.offsets[1]: '99999999999999d' terlalu lama: pengingat dikirim paling lama"
        " 30 hari (30d) sebelum putaran ditutup."
    )
    assert config_error(tmp_path, '[reminders]\noffsets = ["30d1m"]\n').key == (
        "config_duration_too_long"
    )


@pytest.mark.parametrize(
    ("text", "path", "largest"),
    [
        ("[invites]\nvalid_days = {}", "invites.valid_days", 3650),
        ("[dashboard]\nsession_hours = {}", "dashboard.session_hours", 720),
        ("[sending]\ntelegram_per_second = {}", "sending.telegram_per_second", 30),
        ("[sending]\ntelegram_group_per_minute = {}", "sending.telegram_group_per_minute", 20),
    ],
)
def test_a_number_beyond_its_documented_largest_value_is_refused_naming_the_key(
    tmp_path: Path, text: str, path: str, largest: int
) -> None:
    load_config(write_config(tmp_path, text.format(largest) + "\n"), {})
    refused = config_error(tmp_path, text.format(100_000_000) + "\n")

    assert (refused.key, refused.params["path"]) == ("config_out_of_range", path)
    assert explained(refused, "id").endswith(f"paling banyak {largest}.")


def test_a_pace_per_chat_faster_than_telegrams_one_a_second_is_refused(tmp_path: Path) -> None:
    slower = load_config(write_config(tmp_path, "[sending]\ntelegram_per_chat_seconds = 1\n"), {})
    refused = config_error(tmp_path, "[sending]\ntelegram_per_chat_seconds = 0.5\n")

    assert slower.sending.telegram_per_chat_seconds == 1.0
    assert (refused.key, refused.params["path"]) == (
        "config_out_of_range",
        "sending.telegram_per_chat_seconds",
    )
    assert explained(refused, "en").startswith("sending.telegram_per_chat_seconds: 0.5")
    assert explained(refused, "id").endswith("paling sedikit 1.")


@pytest.mark.parametrize("zone", ["localtime", "Factory", "Japan", "posix/Asia/Jakarta"])
def test_a_zone_that_is_not_an_offices_area_and_city_is_refused(tmp_path: Path, zone: str) -> None:
    refused = config_error(tmp_path, f'timezone = "{zone}"\n')

    assert (refused.key, refused.params["path"]) == ("config_invalid_timezone", "timezone")
    assert explained(refused, "id").startswith(
        f"timezone: '{zone}' bukan zona waktu kantor. Tulis nama IANA berbentuk Wilayah/Kota"
    )


@pytest.mark.parametrize("zone", ["Asia/Makassar", "America/Argentina/Salta", "Etc/GMT-7", "UTC"])
def test_an_area_and_city_or_utc_is_an_offices_zone(tmp_path: Path, zone: str) -> None:
    assert load_config(write_config(tmp_path, f'timezone = "{zone}"\n'), {}).timezone.key == zone


def test_a_whatsapp_admin_is_a_phone_number_of_at_least_eight_digits(tmp_path: Path) -> None:
    refused = config_error(tmp_path, 'admins = ["telegram:12", "whatsapp:12"]\n')
    with_plus = config_error(tmp_path, 'admins = ["whatsapp:+6281234567890"]\n')
    shortest = load_config(write_config(tmp_path, 'admins = ["whatsapp:62812345"]\n'), {})

    assert (refused.key, refused.params["path"]) == ("config_invalid_admin", "admins[1]")
    assert "nomor internasional tanpa '+', 8 sampai 15 angka" in explained(refused, "id")
    assert with_plus.params["path"] == "admins[0]"
    assert shortest.admins == (Admin("whatsapp", "62812345"),)


def test_the_whatsapp_daily_limit_is_one_of_metas_messaging_tiers(tmp_path: Path) -> None:
    tier = load_config(write_config(tmp_path, "[whatsapp]\nbusiness_daily_limit = 10000\n"), {})
    refused = config_error(tmp_path, "[whatsapp]\nbusiness_daily_limit = 300\n")

    assert tier.whatsapp.business_daily_limit == 10000
    assert explained(refused, "id") == (
        "whatsapp.business_daily_limit: seharusnya 250, 2000, 10000 atau 100000, tertulis 300."
    )


def test_webhook_mode_needs_a_public_https_address(tmp_path: Path) -> None:
    missing = config_error(tmp_path, '[telegram]\nmode = "webhook"\n', SECRETS_FROM_ENV)
    assert (missing.key, missing.params["path"]) == (
        "config_required",
        "telegram.webhook.public_url",
    )
    plain_http = config_error(
        tmp_path,
        '[telegram]\nmode = "webhook"\n[telegram.webhook]\npublic_url = "http://bot.example.org"\n',
    )
    assert plain_http.key == "config_invalid_url"


WEBHOOK_AT = '[telegram]\nmode = "webhook"\n[telegram.webhook]\npublic_url = "{}"\n'


@pytest.mark.parametrize(
    "url",
    [
        "https://bot.example.org/telegram",
        "https://bot.example.org:443/telegram",
        "https://bot.example.org:88/telegram",
        "https://bot.example.org:8443/telegram",
    ],
)
def test_telegram_posts_to_a_public_address_without_a_port_or_on_one_of_its_four(
    tmp_path: Path, url: str
) -> None:
    config = load_config(write_config(tmp_path, WEBHOOK_AT.format(url)), SECRETS_FROM_ENV)

    assert config.telegram.webhook.public_url == url


@pytest.mark.parametrize(
    "url", ["https://bot.example.org:8080/telegram", "https://bot.example.org:84a3/telegram"]
)
def test_a_public_address_on_a_port_telegram_does_not_post_to_is_refused_at_once(
    tmp_path: Path, url: str
) -> None:
    refused = config_error(tmp_path, WEBHOOK_AT.format(url), SECRETS_FROM_ENV)

    assert (refused.key, refused.params["path"]) == (
        "config_webhook_url_port",
        "telegram.webhook.public_url",
    )
    assert explained(refused, "id").startswith(
        "telegram.webhook.public_url: Telegram hanya mengirim pembaruan ke port 443, 80, 88"
        f" atau 8443, sedangkan '{url}' memakai port lain."
    )


TELEGRAM_WEBHOOK_ON = (
    '[telegram]\nmode = "webhook"\n'
    '[telegram.webhook]\nlisten = "{}"\nport = {}\npublic_url = "https://bot.example.org"\n'
)
DASHBOARD_ON = (
    '[dashboard]\nenabled = true\nlisten = "{}"\nport = {}\n'
    'public_url = "https://dasbor.example.org"\n'
)
WHATSAPP_WEBHOOK_ON = WHATSAPP_ON + '[whatsapp.webhook]\nlisten = "{}"\nport = {}\n'


def test_the_telegram_webhook_and_the_dashboard_on_one_port_are_refused_naming_both_keys(
    tmp_path: Path,
) -> None:
    text = TELEGRAM_WEBHOOK_ON.format("127.0.0.1", 8443) + DASHBOARD_ON.format("127.0.0.1", 8443)

    refused = config_error(tmp_path, text, SECRETS_FROM_ENV)

    assert refused.key == "config_port_shared"
    assert explained(refused, "id") == (
        "telegram.webhook.port dan dashboard.port sama-sama memakai port 8443 (127.0.0.1),"
        " padahal dua server bot tidak bisa mendengarkan di port yang sama."
        " Ganti salah satunya di berkas konfigurasi."
    )


@pytest.mark.parametrize(
    ("text", "keys"),
    [
        (
            WHATSAPP_WEBHOOK_ON.format("0.0.0.0", 8443)
            + TELEGRAM_WEBHOOK_ON.format("127.0.0.1", 8443),
            ("telegram.webhook.port", "whatsapp.webhook.port"),
        ),
        (
            WHATSAPP_WEBHOOK_ON.format("localhost", 8090) + DASHBOARD_ON.format("127.0.0.1", 8090),
            ("whatsapp.webhook.port", "dashboard.port"),
        ),
    ],
    ids=["every address meets one", "localhost is 127.0.0.1"],
)
def test_the_whatsapp_webhook_on_the_port_of_another_listener_is_refused(
    tmp_path: Path, text: str, keys: tuple[str, str]
) -> None:
    refused = config_error(tmp_path, text, SECRETS_FROM_ENV)

    assert (refused.params["path"], refused.params["other"]) == keys


@pytest.mark.parametrize(
    "text",
    [
        TELEGRAM_WEBHOOK_ON.format("127.0.0.1", 8443) + DASHBOARD_ON.format("10.0.0.5", 8443),
        TELEGRAM_WEBHOOK_ON.format("127.0.0.1", 8443) + DASHBOARD_ON.format("127.0.0.1", 8090),
        "[telegram.webhook]\nport = 8090\n" + DASHBOARD_ON.format("127.0.0.1", 8090),
        "[dashboard]\nport = 8080\n" + WHATSAPP_WEBHOOK_ON.format("127.0.0.1", 8080),
    ],
    ids=["other addresses", "other ports", "polling: no webhook", "dashboard off"],
)
def test_listeners_on_other_addresses_or_ports_or_not_started_at_all_may_share_a_number(
    tmp_path: Path, text: str
) -> None:
    load_config(write_config(tmp_path, text), SECRETS_FROM_ENV)


def test_webhook_mode_needs_a_secret_token(tmp_path: Path) -> None:
    error = config_error(
        tmp_path,
        '[telegram]\nmode = "webhook"\n[telegram.webhook]\npublic_url = "https://bot.example.org"\n',
    )
    assert error.params["path"] == "telegram.webhook.secret_token"
    assert "TELEGRAM_WEBHOOK_SECRET" in explained(error)


def test_whatsapp_without_an_app_secret_refuses_to_start(tmp_path: Path) -> None:
    environ = {k: v for k, v in SECRETS_FROM_ENV.items() if k != "WHATSAPP_APP_SECRET"}
    error = config_error(tmp_path, WHATSAPP_ON, environ)
    assert (error.key, error.params["path"]) == ("config_required", "whatsapp.app_secret")
    assert explained(error) == (
        "whatsapp.app_secret is required when whatsapp.enabled is true: set it in the config"
        " file or in the environment variable WHATSAPP_APP_SECRET."
    )


def test_a_missing_or_broken_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as missing:
        load_config(tmp_path / "nope.toml", {})
    assert missing.value.key == "config_file_missing"
    assert "nope.toml" in explained(missing.value)
    with pytest.raises(ConfigError) as unreadable:
        load_config(tmp_path, {})
    assert unreadable.value.key == "config_file_unreadable"
    broken = config_error(tmp_path, "[telegram\n")
    assert broken.key == "config_syntax"
    assert "config.toml" in explained(broken, "id")


def test_a_config_saved_by_windows_notepad_with_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes("\ufeff".encode() + 'database = "kafé.sqlite3"\n'.encode())

    assert load_config(path, {}).database == Path("kafé.sqlite3")


def test_a_config_saved_in_latin_1_is_refused_asking_for_utf_8(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes(b'timezone = "Asia/Jakarta"\ndatabase = "caf\xe9"\n')

    with pytest.raises(ConfigError) as refused:
        load_config(path, {})

    assert refused.value.params == {"file": str(path), "line": 2}
    assert explained(refused.value, "id").startswith(
        f"Berkas konfigurasi {path} tidak tersimpan sebagai UTF-8 (baris 2"
    )


def test_the_config_path_comes_from_the_command_line_then_the_environment() -> None:
    environ = {"BELANJA_BARENG_CONFIG": "/etc/belanja.toml"}
    assert config_path_from("mine.toml", environ) == Path("mine.toml")
    assert config_path_from(None, environ) == Path("/etc/belanja.toml")
    assert config_path_from(None, {}) is None


@pytest.mark.parametrize(
    ("clock", "quiet"),
    [(time(20, 59), False), (time(21, 0), True), (time(2, 0), True), (time(6, 0), False)],
)
def test_quiet_hours_run_over_midnight(clock: time, quiet: bool) -> None:
    assert QuietHours(time(21, 0), time(6, 0)).contains(clock) is quiet


def test_equal_start_and_end_mean_no_quiet_hours() -> None:
    assert not QuietHours(time(21, 0), time(21, 0)).contains(time(21, 0))


def test_every_config_error_the_loader_raises_has_a_template_in_both_languages() -> None:
    modules = (bot.config, bot.config_reading, bot.config_listeners, bot.whatsapp.settings)
    sources = [Path(module.__file__ or "") for module in modules]
    keys = {
        key
        for path in sources
        for key in re.findall(r'ConfigError\(\s*"(config_[a-z_]+)"', path.read_text())
    }
    assert len(keys) >= 10
    templates = Path(messages.__file__ or "").parent / "templates"
    missing = [
        f"{lang}/errors/{key}.j2"
        for key in sorted(keys)
        for lang in ("id", "en")
        if not (templates / lang / "errors" / f"{key}.j2").is_file()
    ]
    assert missing == []
