"""The bot's configuration: a TOML file (see config.example.toml) read into frozen sections.

`load_config(path, environ)` is the only reader: no section is built at import time and the
environment is passed in, never read here. Secrets are `Secret` strings, masked in every
repr, and may come from the environment instead of the file (the environment wins).
Invalid files raise `ConfigError`, whose `key` names a template errors/<key>.j2.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import time, timedelta
from enum import StrEnum
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from bot.config_listeners import Listener, refuse_shared_ports
from bot.config_reading import ConfigError, Secret, TomlTable, parse_duration
from bot.whatsapp.settings import (
    DEFAULT_TEMPLATES,
    TemplateSpec,
    WhatsAppSettings,
    settings_from_toml,
)
from messages.formatting import LANGUAGES
from messages.render import DEFAULT_OFFICE_NAME
from purchasing.settlement import Payee
from usecases.context import INVITE_VALID_DAYS
from usecases.dashboard import LINK_MINUTES, SESSION_HOURS

__all__ = [
    "Admin",
    "Config",
    "ConfigError",
    "DashboardConfig",
    "DemoConfig",
    "InviteConfig",
    "QuietHours",
    "ReminderConfig",
    "Secret",
    "SendingConfig",
    "TelegramConfig",
    "TelegramMode",
    "WebhookConfig",
    "WhatsAppConfig",
    "WhatsAppWebhookConfig",
    "config_path_from",
    "load_config",
]

CONFIG_PATH_VARIABLE = "BELANJA_BARENG_CONFIG"
# The largest values some keys take: beyond them a value is a slip (a reminder weeks before a
# round closes, which a round never lasts; an invite or a sign-in lasting decades) and would
# overflow Python's dates when used.
LONGEST_REMINDER_OFFSET = timedelta(days=30)
MAX_INVITE_VALID_DAYS = 3650
MAX_SESSION_HOURS = 720
# Telegram's own limits (docs/delivery.md): about 30 messages a second, 20 a minute to a group.
MAX_TELEGRAM_PER_SECOND = 30
MAX_TELEGRAM_GROUP_PER_MINUTE = 20
# Telegram's pace for one chat: about a message a second (faster gets 429s, then a pause).
MIN_TELEGRAM_PER_CHAT_SECONDS = 1.0
NO_SECRET = Secret("")
# A Telegram user id is digits; a WhatsApp id is the phone number in international form
# without "+" (E.164: up to 15 digits; with a country code, never fewer than 8).
_ADMIN_ID = {"telegram": re.compile(r"[0-9]+"), "whatsapp": re.compile(r"[0-9]{8,15}")}
# The only ports Telegram posts webhook updates to (its setWebhook documentation).
TELEGRAM_WEBHOOK_PORTS = (443, 80, 88, 8443)
# WhatsApp's messaging tiers (docs/whatsapp.md): business-initiated conversations a day.
WHATSAPP_TIERS = (250, 2000, 10000, 100000)
_GRAPH_API_VERSION = re.compile(r"v[0-9]+\.[0-9]+")
_HTTP = ("https://", "http://")


class TelegramMode(StrEnum):
    POLLING = "polling"
    WEBHOOK = "webhook"


class Admin(NamedTuple):
    """A Dinas staff chat identity, from an "admins" entry such as "telegram:12345"."""

    platform: str
    user_id: str


@dataclass(frozen=True)
class WebhookConfig:
    listen: str = "127.0.0.1"
    port: int = 8443
    url_path: str = "telegram"
    public_url: str = ""
    secret_token: Secret = NO_SECRET


@dataclass(frozen=True)
class TelegramConfig:
    token: Secret = NO_SECRET
    base_url: str = "https://api.telegram.org/bot"
    base_file_url: str = "https://api.telegram.org/file/bot"
    mode: TelegramMode = TelegramMode.POLLING
    webhook: WebhookConfig = field(default_factory=WebhookConfig)


@dataclass(frozen=True)
class WhatsAppWebhookConfig:
    listen: str = "127.0.0.1"
    port: int = 8080
    url_path: str = "whatsapp"


@dataclass(frozen=True)
class WhatsAppConfig:
    enabled: bool = False
    phone_number_id: str = ""
    access_token: Secret = NO_SECRET
    app_secret: Secret = NO_SECRET
    verify_token: Secret = NO_SECRET
    # The Graph API's address (another one: a local test server, a proxy) and version; the
    # version is pywa 4.5's default, pinned so that upgrading pywa does not move it unseen.
    api_url: str = "https://graph.facebook.com"
    api_version: str = "v26.0"
    business_daily_limit: int = 250
    webhook: WhatsAppWebhookConfig = field(default_factory=WhatsAppWebhookConfig)
    # Approved message templates for outside the 24-hour window, and the per-person pace:
    # read by `bot.whatsapp.settings` (see there and docs/whatsapp.md).
    templates: Mapping[str, TemplateSpec] = field(default_factory=lambda: dict(DEFAULT_TEMPLATES))
    per_user_seconds: float = 1.0

    @property
    def settings(self) -> WhatsAppSettings:
        return WhatsAppSettings(self.templates, self.per_user_seconds)


@dataclass(frozen=True)
class ReminderConfig:
    offsets: tuple[timedelta, ...] = (timedelta(hours=24), timedelta(hours=2))


@dataclass(frozen=True)
class QuietHours:
    """Local times between which nothing is sent on the bot's own initiative."""

    start: time = time(21, 0)
    end: time = time(6, 0)

    def contains(self, local_time: time) -> bool:
        """Whether `local_time` is quiet; the span may pass midnight; start == end: never."""
        if self.start <= self.end:
            return self.start <= local_time < self.end
        return local_time >= self.start or local_time < self.end


@dataclass(frozen=True)
class SendingConfig:
    telegram_per_second: int = 30
    telegram_per_chat_seconds: float = 1.0
    telegram_group_per_minute: int = 20
    whatsapp_per_second: int = 80
    # Tries of one message that meets only temporary errors (a timeout, the network, a 5xx)
    # before it is marked failed. The waits between tries double from 30 s up to an hour
    # (`bot.delivery.sender.Backoff`): with 31 the last try is about 24 hours after the first,
    # so a message outlives an outage of up to a day.
    max_attempts: int = 31
    # Days a sent message stays in the outbox before the daily prune deletes it (0: for ever).
    keep_sent_days: int = 30


@dataclass(frozen=True)
class DemoConfig:
    round_minutes: int = 10


@dataclass(frozen=True)
class OfficeConfig:
    """Who issues the purchase orders and bills, and how coops pay (printed on the PDFs)."""

    name: str = DEFAULT_OFFICE_NAME  # also the welcome message's (`messages.render`)
    address: str = ""
    contact: str = ""
    signatory: str = ""
    payment_instructions: str = ""
    payment_terms: str = ""
    bill_due_days: int = 7
    # Who the coops pay: the office (one bill per coop, `payment_instructions`) or each
    # supplier directly (one bill per coop per supplier, to the supplier's `rekening`).
    payee: Payee = Payee.OFFICE


@dataclass(frozen=True)
class InviteConfig:
    """How long an invite code made without an expiry stays valid (0: for ever)."""

    valid_days: int = INVITE_VALID_DAYS


@dataclass(frozen=True)
class DashboardConfig:
    """The read-only web dashboard `belanja-bareng run` serves (`bot.dashboard`)."""

    enabled: bool = False
    listen: str = "127.0.0.1"
    port: int = 8090
    # Where browsers reach it (through the reverse proxy): the start of `/dasbor`'s links.
    public_url: str = ""
    link_minutes: int = LINK_MINUTES
    session_hours: int = SESSION_HOURS

    @property
    def secure_cookie(self) -> bool:
        """Whether the session cookie is sent over HTTPS only (public_url is https)."""
        return self.public_url.startswith("https://")


@dataclass(frozen=True)
class Config:
    database: Path = Path("belanja-bareng.sqlite3")
    timezone: ZoneInfo = field(default_factory=lambda: ZoneInfo("Asia/Jakarta"))
    default_language: str = "id"
    admins: tuple[Admin, ...] = ()
    telegram: TelegramConfig = field(default_factory=TelegramConfig)
    whatsapp: WhatsAppConfig = field(default_factory=WhatsAppConfig)
    reminders: ReminderConfig = field(default_factory=ReminderConfig)
    quiet_hours: QuietHours = field(default_factory=QuietHours)
    sending: SendingConfig = field(default_factory=SendingConfig)
    demo: DemoConfig = field(default_factory=DemoConfig)
    office: OfficeConfig = field(default_factory=OfficeConfig)
    dashboard: DashboardConfig = field(default_factory=DashboardConfig)
    invites: InviteConfig = field(default_factory=InviteConfig)

    def is_admin(self, platform: str, user_id: str) -> bool:
        return Admin(platform, user_id) in self.admins


def config_path_from(cli_value: str | Path | None, environ: Mapping[str, str]) -> Path | None:
    """The config file named by --config, else by $BELANJA_BARENG_CONFIG, else none."""
    chosen = cli_value or environ.get(CONFIG_PATH_VARIABLE)
    return Path(chosen) if chosen else None


def load_config(path: Path | None, environ: Mapping[str, str]) -> Config:
    """Read `path` (None: all defaults), let `environ` override secrets, validate."""
    root = TomlTable(_read_toml(path) if path else {}, "", Config)
    config = _sections(root, environ)
    refuse_shared_ports(_listeners(config))
    return config


def _sections(root: TomlTable, environ: Mapping[str, str]) -> Config:
    return Config(
        database=Path(root.text("database", str(Config.database), non_empty=True)),
        timezone=root.timezone("timezone", "Asia/Jakarta"),
        default_language=root.choice("default_language", "id", LANGUAGES),
        admins=tuple(
            parse_admin(entry, f"admins[{index}]")
            for index, entry in enumerate(root.texts("admins", ()))
        ),
        telegram=_telegram(root.table("telegram", TelegramConfig), environ),
        whatsapp=_whatsapp(root.table("whatsapp", WhatsAppConfig), environ),
        reminders=_reminders(root.table("reminders", ReminderConfig)),
        quiet_hours=_quiet_hours(root.table("quiet_hours", QuietHours)),
        sending=_sending(root.table("sending", SendingConfig)),
        demo=DemoConfig(
            round_minutes=root.table("demo", DemoConfig).integer(
                "round_minutes", DemoConfig.round_minutes, minimum=1
            )
        ),
        office=_office(root.table("office", OfficeConfig)),
        dashboard=_dashboard(root.table("dashboard", DashboardConfig)),
        invites=InviteConfig(
            valid_days=root.table("invites", InviteConfig).integer(
                "valid_days", INVITE_VALID_DAYS, minimum=0, maximum=MAX_INVITE_VALID_DAYS
            )
        ),
    )


def _listeners(config: Config) -> list[Listener]:
    """The web servers `run` starts with this config, in the order of the file."""
    found = []
    if config.telegram.mode is TelegramMode.WEBHOOK:
        hook = config.telegram.webhook
        found.append(Listener("telegram.webhook.port", hook.listen, hook.port))
    if config.whatsapp.enabled:
        whatsapp = config.whatsapp.webhook
        found.append(Listener("whatsapp.webhook.port", whatsapp.listen, whatsapp.port))
    if config.dashboard.enabled:
        dashboard = config.dashboard
        found.append(Listener("dashboard.port", dashboard.listen, dashboard.port))
    return found


def _dashboard(table: TomlTable) -> DashboardConfig:
    defaults = DashboardConfig()
    config = DashboardConfig(
        enabled=table.flag("enabled", defaults.enabled),
        listen=table.text("listen", defaults.listen, non_empty=True),
        port=table.integer("port", defaults.port, minimum=1, maximum=65535),
        public_url=table.url("public_url", "", schemes=_HTTP).rstrip("/"),
        link_minutes=table.integer("link_minutes", defaults.link_minutes, minimum=1, maximum=1440),
        session_hours=table.integer(
            "session_hours", defaults.session_hours, minimum=1, maximum=MAX_SESSION_HOURS
        ),
    )
    if config.enabled:
        table.require("public_url", config.public_url, when=("dashboard.enabled", "true"))
    return config


def _office(table: TomlTable) -> OfficeConfig:
    defaults = OfficeConfig()
    return OfficeConfig(
        name=table.text("name", defaults.name, non_empty=True),
        address=table.text("address", defaults.address),
        contact=table.text("contact", defaults.contact),
        signatory=table.text("signatory", defaults.signatory),
        payment_instructions=table.text("payment_instructions", defaults.payment_instructions),
        payment_terms=table.text("payment_terms", defaults.payment_terms),
        bill_due_days=table.integer("bill_due_days", defaults.bill_due_days, minimum=0),
        payee=Payee(table.choice("payee", defaults.payee.value, tuple(p.value for p in Payee))),
    )


def parse_admin(entry: str, path: str) -> Admin:
    """Parse an admins entry, "telegram:12345" or "whatsapp:6281234567890", into an Admin."""
    platform, _, user_id = entry.strip().partition(":")
    pattern = _ADMIN_ID.get(platform)
    if pattern is None or not pattern.fullmatch(user_id):
        raise ConfigError("config_invalid_admin", path=path, got=entry)
    return Admin(platform, user_id)


def _read_toml(path: Path) -> dict[str, object]:
    try:
        return tomllib.loads(_utf8_text(path))
    except tomllib.TOMLDecodeError as error:
        raise ConfigError("config_syntax", file=str(path), detail=str(error)) from None


def _utf8_text(path: Path) -> str:
    """The file's text, read as UTF-8: a byte order mark first (Windows Notepad) is fine,
    other encodings (Latin-1, UTF-16) are refused naming the line of the first odd byte."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError("config_file_missing", file=str(path)) from None
    except OSError as error:
        raise ConfigError("config_file_unreadable", file=str(path), detail=error.strerror) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ConfigError("config_not_utf8", file=str(path), line=line) from None


def _telegram(table: TomlTable, environ: Mapping[str, str]) -> TelegramConfig:
    defaults = TelegramConfig()
    hook = table.table("webhook", WebhookConfig)
    webhook = WebhookConfig(
        listen=hook.text("listen", defaults.webhook.listen, non_empty=True),
        port=hook.integer("port", defaults.webhook.port, minimum=1, maximum=65535),
        url_path=hook.text("url_path", defaults.webhook.url_path),
        public_url=_telegram_public_url(hook),
        secret_token=hook.secret("secret_token", environ, "TELEGRAM_WEBHOOK_SECRET"),
    )
    mode = TelegramMode(table.choice("mode", defaults.mode, tuple(TelegramMode)))
    if mode is TelegramMode.WEBHOOK:
        hook.require("public_url", webhook.public_url, when=("telegram.mode", "webhook"))
        hook.require(
            "secret_token",
            webhook.secret_token,
            when=("telegram.mode", "webhook"),
            env="TELEGRAM_WEBHOOK_SECRET",
        )
    hook.check_secret_token(
        "secret_token", webhook.secret_token, environ, "TELEGRAM_WEBHOOK_SECRET"
    )
    return TelegramConfig(
        token=table.secret("token", environ, "TELEGRAM_BOT_TOKEN"),
        base_url=table.url("base_url", defaults.base_url, schemes=("https://", "http://")),
        base_file_url=table.url(
            "base_file_url", defaults.base_file_url, schemes=("https://", "http://")
        ),
        mode=mode,
        webhook=webhook,
    )


def _telegram_public_url(hook: TomlTable) -> str:
    """Where Telegram posts updates: https://, on a port Telegram posts to (none: 443)."""
    url = hook.url("public_url", "", schemes=("https://",))
    try:
        port = urlsplit(url).port
    except ValueError:  # no port at all: "bot.example.org:84a3", "bot.example.org:99999"
        port = 0
    if port is not None and port not in TELEGRAM_WEBHOOK_PORTS:
        raise ConfigError(
            "config_webhook_url_port",
            path=hook.key_path("public_url"),
            got=url,
            ports=list(TELEGRAM_WEBHOOK_PORTS),
        )
    return url


def _whatsapp(table: TomlTable, environ: Mapping[str, str]) -> WhatsAppConfig:
    defaults = WhatsAppWebhookConfig()
    hook = table.table("webhook", WhatsAppWebhookConfig)
    config = WhatsAppConfig(
        enabled=table.flag("enabled", False),
        phone_number_id=table.text("phone_number_id", ""),
        access_token=table.secret("access_token", environ, "WHATSAPP_ACCESS_TOKEN"),
        app_secret=table.secret("app_secret", environ, "WHATSAPP_APP_SECRET"),
        verify_token=table.secret("verify_token", environ, "WHATSAPP_VERIFY_TOKEN"),
        api_url=_graph_api_url(table),
        api_version=_graph_api_version(table),
        business_daily_limit=table.integer_choice(
            "business_daily_limit", WhatsAppConfig.business_daily_limit, WHATSAPP_TIERS
        ),
        webhook=WhatsAppWebhookConfig(
            listen=hook.text("listen", defaults.listen, non_empty=True),
            port=hook.integer("port", defaults.port, minimum=1, maximum=65535),
            url_path=hook.text("url_path", defaults.url_path),
        ),
    )
    settings = settings_from_toml(table.raw())
    config = replace(
        config, templates=settings.templates, per_user_seconds=settings.per_user_seconds
    )
    if config.enabled:
        # pywa silently skips signature checks without an app secret: refuse to start instead.
        when = ("whatsapp.enabled", "true")
        table.require("phone_number_id", config.phone_number_id, when=when)
        table.require("access_token", config.access_token, when=when, env="WHATSAPP_ACCESS_TOKEN")
        table.require("app_secret", config.app_secret, when=when, env="WHATSAPP_APP_SECRET")
        table.require("verify_token", config.verify_token, when=when, env="WHATSAPP_VERIFY_TOKEN")
    return config


def _graph_api_url(table: TomlTable) -> str:
    """An http(s) address with a host ("https://graph.facebook.com", "http://127.0.0.1:8999")."""
    url = table.url("api_url", WhatsAppConfig.api_url, schemes=_HTTP)
    if not urlsplit(url).hostname:
        raise ConfigError(
            "config_invalid_url", path=table.key_path("api_url"), got=url, schemes=list(_HTTP)
        )
    return url


def _graph_api_version(table: TomlTable) -> str:
    """A Graph API version as Meta writes it: "v21.0"."""
    version = table.text("api_version", WhatsAppConfig.api_version)
    if not _GRAPH_API_VERSION.fullmatch(version):
        path = table.key_path("api_version")
        raise ConfigError("config_invalid_api_version", path=path, got=version)
    return version


def _reminders(table: TomlTable) -> ReminderConfig:
    texts = table.texts("offsets", ("24h", "2h"))  # ReminderConfig's default
    offsets = {
        parse_duration(text, f"{table.path}.offsets[{i}]", longest=LONGEST_REMINDER_OFFSET)
        for i, text in enumerate(texts)
    }
    return ReminderConfig(offsets=tuple(sorted(offsets, reverse=True)))


def _quiet_hours(table: TomlTable) -> QuietHours:
    return QuietHours(start=table.clock("start", "21:00"), end=table.clock("end", "06:00"))


def _sending(table: TomlTable) -> SendingConfig:
    defaults = SendingConfig()
    return SendingConfig(
        telegram_per_second=table.integer(
            "telegram_per_second",
            defaults.telegram_per_second,
            minimum=1,
            maximum=MAX_TELEGRAM_PER_SECOND,
        ),
        telegram_per_chat_seconds=table.real(
            "telegram_per_chat_seconds",
            defaults.telegram_per_chat_seconds,
            minimum=MIN_TELEGRAM_PER_CHAT_SECONDS,
        ),
        telegram_group_per_minute=table.integer(
            "telegram_group_per_minute",
            defaults.telegram_group_per_minute,
            minimum=1,
            maximum=MAX_TELEGRAM_GROUP_PER_MINUTE,
        ),
        whatsapp_per_second=table.integer(
            "whatsapp_per_second", defaults.whatsapp_per_second, minimum=1
        ),
        max_attempts=table.integer("max_attempts", defaults.max_attempts, minimum=1),
        keep_sent_days=table.integer("keep_sent_days", defaults.keep_sent_days, minimum=0),
    )
