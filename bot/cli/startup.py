"""Start-up faults an operator can cause, each told in one line that says what to fix.

`belanja-bareng run` checks what it can before it starts anything: the token's form
(`check_telegram_token`), that no other program listens on a webhook's port or the web
dashboard's (`check_listening_ports`), that the database's folder can be made
(`make_database_folder`) and that an existing database file may be written
(`check_database_writable`).
What shows only once it talks to Telegram reaches `bot.cli.app.main` as
python-telegram-bot's exception, and `explained` turns it into one of ours there, for every
command: the token rejected (`InvalidToken`), the Bot API unreachable (`NetworkError`).

The other faults are explained where they are raised: no token (`TelegramTokenMissing`), a
bad config value (`bot.config`), and a database file that is not SQLite, newer than this
release, read-only or impossible to create (`storage.database`, `storage.migrator`).

`belanja-bareng doctor` (`bot.cli.doctor`) runs these same checks without starting anything
and reports each as a line instead of stopping at the first.
"""

from __future__ import annotations

import errno
import os
import re
import socket
from pathlib import Path
from urllib.parse import urlsplit

from telegram.error import BadRequest, InvalidToken, NetworkError, TelegramError

from bot.cli.errors import (
    CliError,
    DashboardCannotListen,
    DashboardPortInUse,
    DatabaseFolderUnusable,
    TelegramRefused,
    TelegramTokenMalformed,
    TelegramTokenRejected,
    TelegramUnreachable,
    WebhookCannotListen,
    WebhookPortInUse,
)
from bot.cli.targets import file_problem
from bot.config import Config, TelegramMode
from bot.logs import redact
from storage.database import DatabaseReadOnly

# What @BotFather hands out: the bot's id, a colon, then letters, digits, '-' and '_'.
TOKEN_FORM = re.compile(r"\d+:[A-Za-z0-9_-]+")
SHOWN_CHARS = 200  # of what Telegram (or a proxy in its place) answered


def check_telegram_token(token: str) -> None:
    """Refuse a token with characters a token never has (a space or line break copied along),
    which Telegram would never see: the request URL itself would be invalid."""
    if token and not TOKEN_FORM.fullmatch(token):
        raise TelegramTokenMalformed()


def make_database_folder(database: Path) -> None:
    """Create the folder `database` goes in, if it is missing."""
    folder = database.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        detail = error.strerror or type(error).__name__
        raise DatabaseFolderUnusable(folder=str(folder.absolute()), detail=detail) from error


def check_database_writable(database: Path) -> None:
    """Refuse an existing database file this user may not write. SQLite opens such a file
    read-only without a word, and `run` would fail at its first write instead."""
    if database.exists() and not os.access(database, os.W_OK):
        folder = str(database.absolute().parent)
        raise DatabaseReadOnly(path=str(database), folder=folder)


def check_listening_ports(config: Config) -> None:
    """Refuse an address `run` would listen on and this server cannot (another program has
    the port, the address is not this server's, a port below 1024 without root) before
    anything starts: the webhooks'. The web dashboard's port is not refused: the chat runs
    without a dashboard that cannot start (`doctor` reports its port)."""
    if config.telegram.token and config.telegram.mode is TelegramMode.WEBHOOK:
        telegram = config.telegram.webhook
        check_listen("telegram.webhook", telegram.listen, telegram.port)
    if config.whatsapp.enabled:
        whatsapp = config.whatsapp.webhook
        check_listen("whatsapp.webhook", whatsapp.listen, whatsapp.port)


def check_dashboard_port(listen: str, port: int) -> None:
    """For `doctor`: refuse the dashboard's `[dashboard] listen`:`port` if this server cannot
    listen there now: `DashboardPortInUse` or `DashboardCannotListen`, in the dashboard's
    words."""
    check_listen("dashboard", listen, port, in_use=DashboardPortInUse, cannot=DashboardCannotListen)


def check_listen(
    section: str,
    listen: str,
    port: int,
    *,
    in_use: type[CliError] = WebhookPortInUse,
    cannot: type[CliError] = WebhookCannotListen,
) -> None:
    """Refuse `listen`:`port` (the `section` of the config) if this server cannot listen
    there now: `in_use` when another program has the port, `cannot` for any other reason
    (a webhook's faults unless told otherwise). Port 0 (any free one) passes."""
    if port == 0:  # any free port: nothing to collide with
        return
    try:
        addresses = socket.getaddrinfo(
            listen, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )
    except socket.gaierror as error:
        raise cannot(section=section, listen=listen, port=port, detail=error.strerror) from error
    for family, kind, protocol, _, address in addresses:
        with socket.socket(family, kind, protocol) as probe:
            # As tornado and aiohttp bind: a port left in TIME_WAIT is no conflict.
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind(address)
            except OSError as error:
                if error.errno == errno.EADDRINUSE:
                    raise in_use(setting=f"{section}.port", listen=listen, port=port) from error
                raise cannot(
                    section=section, listen=listen, port=port, detail=error.strerror
                ) from error


def explained(error: Exception, config: Config | None) -> Exception:
    """The error to tell a person about: the one error inside a task group's
    `ExceptionGroup`, and ours for what python-telegram-bot raises when Telegram refuses the
    token or cannot be reached, and for an OSError naming a file (`bot.cli.targets`);
    otherwise `error` itself."""
    while isinstance(error, ExceptionGroup) and len(error.exceptions) == 1:
        error = error.exceptions[0]
    if config is None:
        return error
    if isinstance(error, OSError):
        return file_problem(error)
    if isinstance(error, InvalidToken):
        return TelegramTokenRejected()
    if isinstance(error, BadRequest):
        detail = redact(_short(error.message), config)
        webhook = "webhook" in error.message.lower()
        public_url = redact(config.telegram.webhook.public_url, config)
        return TelegramRefused(detail=detail, webhook=webhook, public_url=public_url)
    if isinstance(error, NetworkError) or type(error) is TelegramError:  # or not the Bot API
        return TelegramUnreachable(
            address=_address(config.telegram.base_url),
            detail=redact(_short(error.message), config),
        )
    return error


def _short(message: str) -> str:
    """python-telegram-bot's words without the page a proxy answered with (HTML)."""
    return message.split(". Parsing the server response", 1)[0][:SHOWN_CHARS]


def _address(url: str) -> str:
    """host[:port] of `url` (never a path, where a token could be)."""
    parts = urlsplit(url)
    if parts.hostname is None:
        return url.split("/")[0]
    return parts.hostname if parts.port is None else f"{parts.hostname}:{parts.port}"
