"""How fast the sender may go on one platform: overall, per chat and per group.

`Limits` come from `config.sending` (`limits_from`). A `Pacer` applies them to one platform:
a token bucket for the overall rate (`burst` kept small so the platform's own bucket always
has room to spare when requests arrive a little out of step), at least `per_chat_seconds`
between two messages to one chat, at most `group_per_minute` messages to one group in any
60 seconds (a sliding window: stricter than Telegram's bucket), and a chat held back after
the platform said "retry after N seconds" for it. Time is a monotonic float from an injected
clock, and waiting an injected sleep, so tests run instantly.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bot.config import SendingConfig

Monotonic = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]
GROUP_WINDOW_SECONDS = 60.0
_FORGET_AFTER = 10_000  # chats remembered before old entries are dropped


def never(chat_id: str) -> bool:
    return False


def telegram_group(chat_id: str) -> bool:
    """Telegram group and supergroup ids are negative."""
    return chat_id.startswith("-")


@dataclass(frozen=True, slots=True)
class Limits:
    per_second: float
    burst: float | None = None  # None: a whole second's worth
    per_chat_seconds: float = 0.0
    group_per_minute: int = 0  # 0: groups are paced like any chat
    is_group: Callable[[str], bool] = never


def limits_from(sending: SendingConfig) -> dict[str, Limits]:
    """The limits per platform the config asks for."""
    return {
        "telegram": Limits(
            per_second=sending.telegram_per_second,
            burst=min(5.0, float(sending.telegram_per_second)),
            per_chat_seconds=sending.telegram_per_chat_seconds,
            group_per_minute=sending.telegram_group_per_minute,
            is_group=telegram_group,
        ),
        "whatsapp": Limits(
            per_second=sending.whatsapp_per_second,
            burst=min(10.0, float(sending.whatsapp_per_second)),
        ),
    }


class TokenBucket:
    """At most `per_second` takes per second on average, bursts up to `burst` (default:
    `per_second`)."""

    def __init__(
        self,
        per_second: float,
        clock: Monotonic = time.monotonic,
        sleep: Sleep = asyncio.sleep,
        burst: float | None = None,
    ) -> None:
        if per_second <= 0:
            raise ValueError("per_second must be positive")
        self._rate = per_second
        self._capacity = max(1.0, per_second if burst is None else burst)
        self._tokens = self._capacity
        self._clock = clock
        self._sleep = sleep
        self._updated = clock()

    async def take(self) -> None:
        while True:
            now = self._clock()
            self._tokens = min(self._capacity, self._tokens + (now - self._updated) * self._rate)
            self._updated = now
            if self._tokens >= 1:
                self._tokens -= 1
                return
            await self._sleep((1 - self._tokens) / self._rate)


class Pacer:
    """One platform's limits, applied: who may get a message now, and who must wait."""

    def __init__(self, limits: Limits, clock: Monotonic, sleep: Sleep) -> None:
        self.limits = limits
        self.bucket = TokenBucket(limits.per_second, clock, sleep, limits.burst)
        self._open_at: dict[str, float] = {}
        self._group_sends: dict[str, deque[float]] = {}

    def wait(self, chat_id: str, now: float) -> float:
        """Seconds until `chat_id` may get its next message (0: now)."""
        wait = self._open_at.get(chat_id, now) - now
        sends = self._group_sends.get(chat_id)
        if sends is not None and len(sends) >= self.limits.group_per_minute:
            wait = max(wait, sends[-self.limits.group_per_minute] + GROUP_WINDOW_SECONDS - now)
        return max(wait, 0.0)

    def sent(self, chat_id: str, at: float) -> None:
        """A message to `chat_id` leaves at `at`."""
        if len(self._open_at) > _FORGET_AFTER:
            self._forget_before(at)
        self._hold_until(chat_id, at + self.limits.per_chat_seconds)
        if self.limits.group_per_minute and self.limits.is_group(chat_id):
            sends = self._group_sends.setdefault(
                chat_id, deque(maxlen=self.limits.group_per_minute)
            )
            sends.append(at)

    def hold(self, chat_id: str, until: float) -> None:
        """The platform asked to leave this chat alone until `until`."""
        self._hold_until(chat_id, until)

    def _hold_until(self, chat_id: str, until: float) -> None:
        self._open_at[chat_id] = max(self._open_at.get(chat_id, until), until)

    def _forget_before(self, now: float) -> None:
        self._open_at = {chat: at for chat, at in self._open_at.items() if at > now}
        window_start = now - GROUP_WINDOW_SECONDS
        self._group_sends = {
            chat: sends for chat, sends in self._group_sends.items() if sends[-1] > window_start
        }
