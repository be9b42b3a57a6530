"""Secrets never reach the logs, even when a library logs a URL with the bot token in it."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from bot.config import Config, Secret, TelegramConfig
from bot.logs import configure_logging

TOKEN = "123456:AAE-secret-token"


@pytest.fixture
def restore_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers = {handler: list(handler.filters) for handler in root.handlers}
    levels = {name: logging.getLogger(name).level for name in ("", "httpx", "httpcore")}
    yield
    for handler, filters in handlers.items():
        handler.filters = filters
    for name, level in levels.items():
        logging.getLogger(name).setLevel(level)


@pytest.mark.usefixtures("restore_logging")
def test_a_log_line_carrying_the_bot_token_shows_stars_instead(
    caplog: pytest.LogCaptureFixture,
) -> None:
    configure_logging(logging.DEBUG, Config(telegram=TelegramConfig(token=Secret(TOKEN))))

    logging.getLogger("telegram.ext").warning("POST https://api.telegram.org/bot%s/getMe", TOKEN)

    assert TOKEN not in caplog.text
    assert "https://api.telegram.org/bot***/getMe" in caplog.text


@pytest.mark.usefixtures("restore_logging")
def test_httpx_request_lines_are_not_logged_even_when_verbose() -> None:
    configure_logging(logging.DEBUG, Config())

    assert not logging.getLogger("httpx").isEnabledFor(logging.INFO)
    assert logging.getLogger("telegram").isEnabledFor(logging.DEBUG)
