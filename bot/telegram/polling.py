"""Long polling through a Bot API outage: one log line per failed poll, one when it works again.

PTB's updater retries a failed `getUpdates` for as long as it runs (after 1 s, then 1.5 times
longer each time, at most 30 s). Left to itself it logs every failure with
`logging.exception`, and a network error carries its httpx and httpcore causes: one failed
poll is three chained tracebacks at ERROR, fifteen in a 12-second outage. Instead:

- `PollingHealth.failed` is the updater's error callback (`start_polling(error_callback=)`):
  one WARNING line per failure, with the traceback only when DEBUG is on (`--verbose`);
- `PollingRequest` is the HTTP client of `getUpdates` only (`get_updates_request`): it tells
  the health about each poll answered, so the first one after failures logs one INFO line;
  and about a poll that timed out, which PTB retries at once without calling the callback.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from http import HTTPStatus
from typing import Any

from telegram.error import TelegramError, TimedOut
from telegram.request import HTTPXRequest

log = logging.getLogger(__name__)

GET_UPDATES_CONNECTIONS = 1  # what PTB gives getUpdates by default: one poll at a time


class PollingHealth:
    """How many polls failed in a row, and since when."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self.failures = 0
        self._since = 0.0

    def failed(self, error: TelegramError) -> None:
        """A poll failed. PTB's error callback: it must not raise, or polling stops."""
        if self.failures == 0:
            self._since = self._clock()
        self.failures += 1
        log.warning(
            "polling Telegram for updates failed (%d in a row): %s: %s; trying again",
            self.failures,
            type(error).__name__,
            error.message,
            exc_info=error if log.isEnabledFor(logging.DEBUG) else None,
        )

    def answered(self) -> None:
        """A poll was answered: if some failed before, polling works again."""
        if self.failures:
            log.info(
                "polling Telegram works again after %d failed polls in %.0f s",
                self.failures,
                self._clock() - self._since,
            )
            self.failures = 0


class PollingRequest(HTTPXRequest):
    """PTB's HTTP client for `getUpdates`, telling `health` how each poll went."""

    def __init__(self, health: PollingHealth, *, read_timeout: float | None = 5.0) -> None:
        super().__init__(connection_pool_size=GET_UPDATES_CONNECTIONS, read_timeout=read_timeout)
        self._health = health

    async def do_request(self, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        try:
            code, payload = await super().do_request(*args, **kwargs)
        except TimedOut as error:
            self._health.failed(error)
            raise
        if code == HTTPStatus.OK:
            self._health.answered()
        return code, payload
