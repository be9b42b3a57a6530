"""Secrets stay out of every log line: the message, the traceback of a logged exception, a
bot URL with a token nobody configured, and the last-resort handler a command without
--verbose logs through."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from bot.config import Config, Secret, TelegramConfig, WebhookConfig, WhatsAppConfig
from bot.logs import configure_logging, keep_secrets_out_of_logs, redact

TOKEN = "123456:AAE-secret-token"
CONFIG = Config(
    telegram=TelegramConfig(
        token=Secret(TOKEN), webhook=WebhookConfig(secret_token=Secret("hook-secret"))
    ),
    whatsapp=WhatsAppConfig(access_token=Secret("EAAG-access"), app_secret=Secret("app-s3cret")),
)
log = logging.getLogger("telegram.ext.Application")


@pytest.fixture(autouse=True)
def restore_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers = {handler: list(handler.filters) for handler in root.handlers}
    last_resort = logging.lastResort
    resort_filters = [] if last_resort is None else list(last_resort.filters)
    levels = {name: logging.getLogger(name).level for name in ("", "httpx", "httpcore")}
    yield
    for handler, filters in handlers.items():
        handler.filters = filters
    if last_resort is not None:
        last_resort.filters = resort_filters
    for name, level in levels.items():
        logging.getLogger(name).setLevel(level)


def test_the_traceback_of_a_logged_exception_shows_stars_instead_of_the_token(
    caplog: pytest.LogCaptureFixture,
) -> None:
    configure_logging(logging.DEBUG, CONFIG)

    try:
        raise RuntimeError(f"The token `{TOKEN}` was rejected by the server.")
    except RuntimeError:
        log.exception("starting failed")

    assert "Traceback" in caplog.text and "The token `***` was rejected" in caplog.text
    assert TOKEN not in caplog.text


def test_a_bot_url_with_a_token_is_redacted_even_when_it_is_not_the_configured_one(
    caplog: pytest.LogCaptureFixture,
) -> None:
    configure_logging(logging.DEBUG, Config())

    log.warning("GET https://api.telegram.org/bot987654:AAH-other_token/getMe failed")
    log.warning("GET https://api.telegram.org/file/bot987654:AAH-other_token/doc.pdf failed")

    assert "987654:AAH" not in caplog.text and "other_token" not in caplog.text
    assert "https://api.telegram.org/bot***/getMe" in caplog.text
    assert "https://api.telegram.org/file/bot***/doc.pdf" in caplog.text


@pytest.mark.parametrize("secret", [TOKEN, "hook-secret", "EAAG-access", "app-s3cret"])
def test_every_configured_secret_is_redacted_also_when_url_encoded(secret: str) -> None:
    encoded = secret.replace(":", "%3A")

    text = redact(f"sent {secret} and {encoded}", CONFIG)

    assert text == "sent *** and ***"


def test_without_verbose_the_last_resort_handler_drops_the_token_too(
    capsys: pytest.CaptureFixture[str],
) -> None:
    keep_secrets_out_of_logs(CONFIG)
    assert logging.lastResort is not None
    record = log.makeRecord(
        log.name, logging.WARNING, __file__, 1,
        "no invite links: Telegram could not be reached (%s)",
        (f"The token `{TOKEN}` was rejected by the server.",), None,
    )  # fmt: skip

    logging.lastResort.handle(record)

    err = capsys.readouterr().err
    assert "The token `***` was rejected" in err and TOKEN not in err
