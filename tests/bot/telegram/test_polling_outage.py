"""While the Bot API cannot be reached, each failed poll is one WARNING line (its traceback only
with --verbose), and the first poll that works again says so in one INFO line."""

from __future__ import annotations

import logging

import pytest
from telegram import Bot
from telegram.error import NetworkError

from bot.telegram.polling import PollingHealth, PollingRequest
from handlers.contract.services import Services
from tests.support.fake_telegram import FakeTelegram
from tests.support.fake_telegram.recorder import Call
from tests.support.fixtures.telegram import bot_running, config_for

TRACEBACK = "Traceback (most recent call last)"


def refused(call: Call) -> bool:
    return call.status == 502


def traceback_blocks(caplog: pytest.LogCaptureFixture) -> int:
    return caplog.text.count(TRACEBACK)


def recovered_lines(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.levelno == logging.INFO and "again" in r.getMessage()]


async def test_two_failed_polls_log_two_warning_lines_no_traceback_and_one_line_on_recovery(
    fake_telegram: FakeTelegram, bot_services: Services, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    fake_telegram.fail_next("getUpdates", "server_error", times=2)  # the Bot API is down
    siti = fake_telegram.user(5001, "Siti")

    async with bot_running(config_for(fake_telegram, bot_services.db.path), bot_services):
        first = await fake_telegram.wait_for_call("getUpdates", refused, since=0)
        await fake_telegram.wait_for_call(
            "getUpdates", refused, since=fake_telegram.calls.index(first) + 1
        )
        await fake_telegram.wait_until_polling()  # the third poll: the Bot API is back
        await fake_telegram.send_text(siti, "/bantuan")
        await fake_telegram.wait_for_message(siti.id)

    problems = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert [r.levelno for r in problems] == [logging.WARNING, logging.WARNING]
    assert all("\n" not in r.getMessage() and "Bad Gateway" in r.getMessage() for r in problems)
    assert traceback_blocks(caplog) == 0
    [recovered] = recovered_lines(caplog)
    assert "2" in recovered.getMessage()  # after 2 failed polls


def test_with_verbose_logging_a_failed_poll_shows_its_chained_tracebacks(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    health = PollingHealth()
    try:
        try:
            raise ConnectionRefusedError(111, "Connection refused")
        except OSError as cause:
            raise NetworkError("httpx.ConnectError: All connection attempts failed") from cause
    except NetworkError as error:
        health.failed(error)

    [warning] = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert "All connection attempts failed" in warning.getMessage()
    assert traceback_blocks(caplog) == 2  # the NetworkError and what caused it


async def test_a_poll_that_times_out_counts_as_a_failure_too(
    fake_telegram: FakeTelegram, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    health = PollingHealth()
    request = PollingRequest(health, read_timeout=0.2)
    bot = Bot(fake_telegram.token, base_url=fake_telegram.base_url, get_updates_request=request)
    fake_telegram.fail_next("getUpdates", "timeout")  # held until the bot gives up

    async with bot:
        with pytest.raises(NetworkError):  # TimedOut; PTB retries it without an error callback
            await bot.get_updates(timeout=0)
        assert health.failures == 1
        await bot.get_updates(timeout=0)

    assert health.failures == 0
    [warning] = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert warning.levelno == logging.WARNING and "\n" not in warning.getMessage()
    assert len(recovered_lines(caplog)) == 1
    assert traceback_blocks(caplog) == 0
