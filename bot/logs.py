"""Logging for the command line and the running bot, without secrets in it.

python-telegram-bot puts the bot token into every request URL (and into the text of
`InvalidToken`), and httpx logs request URLs at INFO; so httpx and httpcore log only
warnings, and every handler of the root logger, and the last-resort handler a command
without --verbose logs through, drops the secrets from whatever a record says: its message,
the traceback of its exception (formatted here, once, and kept as the record's `exc_text`)
and its stack. Dropped are the configured secrets (as written and URL-encoded) and any bot
token inside a Bot API URL (`/bot<token>/`, `/file/bot<token>/`), configured or not.
`redact` does the same for a text shown to a person.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from urllib.parse import quote

from telegram.error import TelegramError

from bot.config import Config

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
REDACTED = "***"
_URL_LOGGERS = ("httpx", "httpcore")
_BOT_API_REQUESTS = "telegram.request.BaseRequest"  # python-telegram-bot's request logger
# Its network loop ("telegram.ext"), Updater and Application: a filter on a logger does not
# apply to the records of its children, so each is named.
_PTB_EXT = ("telegram.ext", "telegram.ext.Updater", "telegram.ext.Application")
# A bot token where python-telegram-bot puts it: right after "/bot" in a Bot API URL.
_TOKEN_IN_URL = re.compile(r"(?<=/bot)\d+(?::|%3A)[A-Za-z0-9_-]+", re.IGNORECASE)
_TRACEBACKS = logging.Formatter()


class RedactSecrets(logging.Filter):
    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        written = {secret for secret in secrets if secret}
        forms = written | {quote(secret, safe="") for secret in written}
        # The longest first, so a secret inside another one cannot leave a piece behind.
        self._secrets = tuple(sorted(forms, key=len, reverse=True))

    def __eq__(self, other: object) -> bool:  # so adding the same secrets twice adds one
        return isinstance(other, RedactSecrets) and other._secrets == self._secrets

    def __hash__(self) -> int:
        return hash(self._secrets)

    def redact(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, REDACTED)
        return _TOKEN_IN_URL.sub(REDACTED, text)

    def filter(self, record: logging.LogRecord) -> bool:
        text = record.getMessage()
        clean = self.redact(text)
        if clean != text:
            record.msg, record.args = clean, ()
        if record.exc_info and not record.exc_text:
            # Format the traceback now, to redact it: every logging.Formatter prints the
            # cached exc_text instead of formatting exc_info again.
            record.exc_text = _TRACEBACKS.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True


def secrets_of(config: Config) -> list[str]:
    return [
        config.telegram.token,
        config.telegram.webhook.secret_token,
        config.whatsapp.access_token,
        config.whatsapp.app_secret,
        config.whatsapp.verify_token,
    ]


def redact(text: str, config: Config) -> str:
    """`text` without the secrets of `config` (or a bot token in a URL)."""
    return RedactSecrets(secrets_of(config)).redact(text)


class ShortInvalidJson(logging.Filter):
    """python-telegram-bot logs a Bot API answer that is not JSON (a proxy's HTML error page)
    as an error with the whole page and a traceback, then raises the error the command
    explains in one line (`bot.cli.startup.explained`). So the record is kept only with
    --verbose (debug), as one line with the start of the page."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info is None or not isinstance(record.exc_info[1], ValueError):
            return True
        record.exc_info, record.exc_text = None, None
        record.levelno, record.levelname = logging.DEBUG, "DEBUG"
        record.args = tuple(str(arg)[:INVALID_JSON_SHOWN] for arg in record.args or ())
        return logging.getLogger().isEnabledFor(logging.DEBUG)


INVALID_JSON_SHOWN = 120  # characters of a Bot API answer that is not JSON
_INVALID_JSON = ShortInvalidJson()


class OneLineTelegramErrors(logging.Filter):
    """python-telegram-bot's own error records about a `TelegramError` (its network loop
    giving up on setWebhook, say) carry a traceback of its internals; without --verbose the
    error's class and words on the record's line say it (the command then explains it)."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if isinstance(error, TelegramError) and not logging.getLogger().isEnabledFor(logging.DEBUG):
            record.msg, record.args = f"{record.getMessage()} ({type(error).__name__}: {error})", ()
            record.exc_info, record.exc_text = None, None
        return True


_ONE_LINE = OneLineTelegramErrors()


def keep_secrets_out_of_logs(config: Config) -> None:
    """Redact the secrets of `config` in every handler of the root logger and in the
    last-resort handler (what prints a warning when logging was not configured); and keep a
    Bot API answer that is not JSON to one short line (`ShortInvalidJson`)."""
    redact = RedactSecrets(secrets_of(config))
    for handler in (*logging.getLogger().handlers, logging.lastResort):
        if handler is not None:
            handler.addFilter(redact)
    logging.getLogger(_BOT_API_REQUESTS).addFilter(_INVALID_JSON)
    for name in _PTB_EXT:
        logging.getLogger(name).addFilter(_ONE_LINE)


def configure_logging(level: int, config: Config) -> None:
    """Log at `level` (set up a handler if there is none), keeping secrets out."""
    root = logging.getLogger()
    if not root.handlers:
        logging.basicConfig(level=level, format=FORMAT)
    else:
        root.setLevel(level)
    for name in _URL_LOGGERS:
        logging.getLogger(name).setLevel(max(level, logging.WARNING))
    keep_secrets_out_of_logs(config)
