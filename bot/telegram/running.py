"""Running the Telegram Application until asked to stop: by long polling or by webhook.

PTB's `run_polling`/`run_webhook` own the event loop, but our database and the rest of the
bot live in the loop `belanja-bareng run` already runs; so this does what they do by hand:
initialize, `post_init` (the command menus), start fetching updates, start processing, and
undo it all in reverse order on SIGINT/SIGTERM or when `stop` is set. A long poll that fails
(the Bot API unreachable) is logged as one line, and so is the first that works again
(`bot.telegram.polling`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Callable, Iterator

from bot.config import Config, TelegramConfig, TelegramMode
from bot.delivery.pacing import Pacer
from bot.telegram.application import build_telegram_application
from bot.telegram.context import TelegramApplication
from bot.telegram.polling import PollingHealth
from handlers.contract.services import Services
from messages.render import Renderer

log = logging.getLogger(__name__)

ALLOWED_UPDATES = ("message", "callback_query")
POLL_TIMEOUT_SECONDS = 30


async def run_telegram(
    config: Config,
    services: Services,
    renderer: Renderer,
    *,
    stop: asyncio.Event | None = None,
    on_ready: Callable[[str], None] | None = None,
    notify: Callable[[], None] | None = None,
    pacer: Pacer | None = None,
) -> None:
    """Serve Telegram until `stop` is set (without `stop`: until SIGINT or SIGTERM).

    `on_ready` is called with the bot's username once updates are being processed; `notify`
    wakes the outbox sender after each update; replies wait for `pacer`, the one the outbox
    sender paces Telegram with (None: sent at once).
    """
    polling = PollingHealth()
    application = build_telegram_application(
        config, services, renderer, notify, polling, pacer=pacer
    )
    with stop_on_signals() if stop is None else contextlib.nullcontext(stop) as stopped:
        async with application:
            if application.post_init is not None:
                await application.post_init(application)
            await _start_updates(application, config.telegram, polling)
            await application.start()
            log.info(
                "Telegram bot @%s running (%s)", application.bot.username, config.telegram.mode
            )
            if on_ready is not None:
                on_ready(application.bot.username)
            try:
                await stopped.wait()
            finally:
                await _stop(application)


async def _start_updates(
    application: TelegramApplication, telegram: TelegramConfig, polling: PollingHealth
) -> None:
    updater = application.updater
    assert updater is not None
    if telegram.mode is TelegramMode.WEBHOOK:
        hook = telegram.webhook
        await updater.start_webhook(
            listen=hook.listen,
            port=hook.port,
            url_path=hook.url_path,
            webhook_url=hook.public_url,
            secret_token=hook.secret_token,
            allowed_updates=ALLOWED_UPDATES,
        )
    else:
        await updater.start_polling(
            timeout=POLL_TIMEOUT_SECONDS,
            allowed_updates=ALLOWED_UPDATES,
            error_callback=polling.failed,  # one line per failed poll, not PTB's tracebacks
        )


async def _stop(application: TelegramApplication) -> None:
    if application.updater is not None and application.updater.running:
        await application.updater.stop()
    if application.running:
        await application.stop()
        if application.post_stop is not None:
            await application.post_stop(application)


@contextlib.contextmanager
def stop_on_signals() -> Iterator[asyncio.Event]:
    loop = asyncio.get_running_loop()
    stopped = asyncio.Event()
    signals = (signal.SIGINT, signal.SIGTERM)
    for number in signals:
        loop.add_signal_handler(number, stopped.set)
    try:
        yield stopped
    finally:
        for number in signals:
            loop.remove_signal_handler(number)
