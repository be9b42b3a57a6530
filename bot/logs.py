"""Logging for the command line and the running bot, without secrets in it.

python-telegram-bot puts the bot token into every request URL, and httpx logs request URLs
at INFO; so httpx and httpcore log only warnings, and every handler of the root logger drops
the configured secrets from whatever a record says.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from bot.config import Config

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
REDACTED = "***"
_URL_LOGGERS = ("httpx", "httpcore")


class RedactSecrets(logging.Filter):
    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        self._secrets = tuple(secret for secret in secrets if secret)

    def filter(self, record: logging.LogRecord) -> bool:
        text = record.getMessage()
        if any(secret in text for secret in self._secrets):
            for secret in self._secrets:
                text = text.replace(secret, REDACTED)
            record.msg, record.args = text, ()
        return True


def secrets_of(config: Config) -> list[str]:
    return [
        config.telegram.token,
        config.telegram.webhook.secret_token,
        config.whatsapp.access_token,
        config.whatsapp.app_secret,
        config.whatsapp.verify_token,
    ]


def configure_logging(level: int, config: Config) -> None:
    """Log at `level` (set up a handler if there is none), keeping secrets out."""
    root = logging.getLogger()
    if not root.handlers:
        logging.basicConfig(level=level, format=FORMAT)
    else:
        root.setLevel(level)
    for name in _URL_LOGGERS:
        logging.getLogger(name).setLevel(max(level, logging.WARNING))
    redact = RedactSecrets(secrets_of(config))
    for handler in root.handlers:
        handler.addFilter(redact)
