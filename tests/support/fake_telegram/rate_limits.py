"""Telegram's flood limits as token buckets on an injectable clock.

Limits (when switched on): each chat about 1 message per second with a short burst, all
chats together 30 per second, a group (negative chat id) 20 per minute. A message over any
limit is refused with 429 and `retry_after` whole seconds, and consumes nothing.
"""

import math
from collections.abc import Callable
from dataclasses import dataclass, field

from tests.support.fake_telegram.wire import ApiError

Clock = Callable[[], float]


@dataclass
class TokenBucket:
    capacity: float
    per_second: float
    tokens: float
    updated: float

    def refill(self, now: float) -> None:
        elapsed = max(now - self.updated, 0.0)
        self.tokens = min(self.capacity, self.tokens + elapsed * self.per_second)
        self.updated = now

    def wait(self, now: float) -> float:
        """Seconds until one token is available (0 when one is available now)."""
        self.refill(now)
        return 0.0 if self.tokens >= 1 else (1 - self.tokens) / self.per_second


@dataclass
class RateLimits:
    """Switched off until `enable()`; `refused` counts the 429s answered."""

    clock: Clock
    enabled: bool = False
    per_chat_per_second: float = 1.0
    per_chat_burst: int = 3
    global_per_second: float = 30.0
    group_per_minute: float = 20.0
    refused: int = 0
    _chats: dict[int, TokenBucket] = field(default_factory=dict)
    _groups: dict[int, TokenBucket] = field(default_factory=dict)
    _global: TokenBucket | None = None

    def enable(
        self,
        *,
        per_chat_per_second: float = 1.0,
        per_chat_burst: int = 3,
        global_per_second: float = 30.0,
        group_per_minute: float = 20.0,
    ) -> None:
        self.enabled = True
        self.per_chat_per_second = per_chat_per_second
        self.per_chat_burst = per_chat_burst
        self.global_per_second = global_per_second
        self.group_per_minute = group_per_minute
        self._chats.clear()
        self._groups.clear()
        self._global = None

    def disable(self) -> None:
        self.enabled = False

    def take(self, chat_id: int) -> None:
        """Count one message to `chat_id`, or raise the 429 Telegram would answer."""
        if not self.enabled:
            return
        now = self.clock()
        buckets = self._buckets(chat_id, now)
        wait = max(bucket.wait(now) for bucket in buckets)
        if wait > 0:
            self.refused += 1
            retry_after = max(1, math.ceil(wait))
            raise ApiError(
                429,
                f"Too Many Requests: retry after {retry_after}",
                {"retry_after": retry_after},
            )
        for bucket in buckets:
            bucket.tokens -= 1

    def _buckets(self, chat_id: int, now: float) -> list[TokenBucket]:
        if self._global is None:
            self._global = TokenBucket(
                self.global_per_second, self.global_per_second, self.global_per_second, now
            )
        chat = self._chats.setdefault(
            chat_id,
            TokenBucket(self.per_chat_burst, self.per_chat_per_second, self.per_chat_burst, now),
        )
        buckets = [self._global, chat]
        if chat_id < 0:
            per_second = self.group_per_minute / 60
            buckets.append(
                self._groups.setdefault(
                    chat_id,
                    TokenBucket(self.group_per_minute, per_second, self.group_per_minute, now),
                )
            )
        return buckets
