"""How fast we may send on one platform: overall, per chat and per group.

`Limits` come from `config.sending` (`limits_from`). A `Pacer` applies them to one platform:
a token bucket for the overall rate (`burst` kept small so the platform's own bucket always
has room to spare when requests arrive a little out of step), one message per
`per_chat_seconds` to one chat on average with at most `per_chat_burst` at once, at most
`group_per_minute` messages to one group in any 60 seconds (a sliding window: stricter than
Telegram's bucket), and a chat held back after the platform said "retry after N seconds"
for it. Time is a monotonic float from an injected clock, and waiting an injected sleep, so
tests run instantly.

There is one `Pacer` per platform, shared by everything that sends there: the outbox sender
(`bot.delivery.dispatch`: announcements, reminders, bills, queued replies) and the direct
replies to an update (`bot.telegram.adapter.send_replies`, through `Pacer.acquire`). Both
take the same overall tokens, and a reply takes precedence: while a reply waits for a token,
no announcement gets one (`TokenBucket.take(urgent=True)`); while it waits for its chat's
turn, the chat's other messages wait one turn more (`wait(urgent=False)`), so it gets the
chat's next turn. A reply still being worked out takes it too: from the moment a person's
message arrives (`Pacer.reply_coming`, held by `bot.telegram.chat_order` while the handler
runs, at most `REPLY_COMING_SECONDS`) the chat's other messages leave its turn free. Once
a reply to a chat went to the outbox, the chat's next replies follow
it there until the sender has delivered it (`replies_queued`, `replies_delivered`), so a
newer reply never overtakes an older one.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import partial

from bot.config import SendingConfig

Monotonic = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]
GROUP_WINDOW_SECONDS = 60.0
_FORGET_AFTER = 10_000  # chats remembered before old entries are dropped
_LOOK_AGAIN_SECONDS = 0.05  # without a per-chat limit: a message behind a reply looks again
# How long a chat's turn is kept for a reply being worked out, at most (then the rest of a
# bill goes on: a handler that takes longer is rare, and its reply still goes ahead of it).
REPLY_COMING_SECONDS = 3.0


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
    # Messages one chat may get at once, then one per per_chat_seconds. Telegram allows "short
    # bursts" but does not say how long; we keep to 1 and leave its allowance for requests
    # that arrive out of step.
    per_chat_burst: int = 1
    # A reply to the person writing may use one message more of that allowance: whose bill
    # part just went is not kept waiting a second for the answer (Telegram tolerates it).
    reply_burst: int = 2
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
    `per_second`). Takers wait in line, the urgent ones (replies) ahead of the others."""

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
        self._urgent: deque[object] = deque()
        self._others: deque[object] = deque()
        self._changed = asyncio.Event()

    @property
    def waiting(self) -> int:
        """How many takers wait for a token."""
        return len(self._urgent) + len(self._others)

    async def take(self, *, urgent: bool = False) -> None:
        if not self._urgent and not self._others and self._grab():
            return
        ticket = object()
        line = self._urgent if urgent else self._others
        line.append(ticket)
        self._signal()  # an urgent ticket may have gone ahead of the one that was first
        try:
            while True:
                changed = self._changed
                if self._first() is not ticket:
                    await changed.wait()
                elif self._grab():
                    return
                else:
                    await _first_of(changed, self._sleep((1 - self._tokens) / self._rate))
        finally:
            line.remove(ticket)
            self._signal()

    def _first(self) -> object | None:
        line = self._urgent or self._others
        return line[0] if line else None

    def _grab(self) -> bool:
        now = self._clock()
        self._tokens = min(self._capacity, self._tokens + (now - self._updated) * self._rate)
        self._updated = now
        if self._tokens >= 1:
            self._tokens -= 1
            return True
        return False

    def _signal(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()


async def _first_of(event: asyncio.Event, timer: Awaitable[None]) -> None:
    waiters: list[asyncio.Future[object]] = [
        asyncio.ensure_future(event.wait()),
        asyncio.ensure_future(timer),
    ]
    try:
        await asyncio.wait(waiters, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for waiter in waiters:
            waiter.cancel()


class ReplyComing:
    """A reply to one chat is being worked out (`Pacer.reply_coming`): until `release`d, or
    its time is up, the chat's other messages leave the chat's turn to it."""

    __slots__ = ("_done", "until")

    def __init__(self, until: float, done: Callable[[ReplyComing], None]) -> None:
        self.until = until
        self._done: Callable[[ReplyComing], None] | None = done

    def release(self) -> None:
        """The reply was sent, queued, or will not come (the handler ended); twice is once."""
        done, self._done = self._done, None
        if done is not None:
            done(self)


class ChatHeld(Exception):
    """The chat may not get a message for `seconds` (a pause the platform asked for, a full
    group window): better queued in the outbox than waited for."""

    def __init__(self, chat_id: str, seconds: float) -> None:
        super().__init__(f"chat {chat_id} held for {seconds:.1f} s")
        self.seconds = seconds


class Pacer:
    """One platform's limits, applied: who may get a message now, and who must wait.

    Per chat it keeps the time the chat's allowance is next fully used up ("generic cell
    rate": one message per `per_chat_seconds`, `per_chat_burst` at once)."""

    def __init__(self, limits: Limits, clock: Monotonic, sleep: Sleep) -> None:
        self.limits = limits
        self.bucket = TokenBucket(limits.per_second, clock, sleep, limits.burst)
        self._clock = clock
        self._sleep = sleep
        self._slack = max(limits.per_chat_burst - 1, 0) * limits.per_chat_seconds
        burst = max(limits.per_chat_burst, limits.reply_burst)
        self._reply_slack = max(burst - 1, 0) * limits.per_chat_seconds
        self._open_at: dict[str, float] = {}
        self._group_sends: dict[str, deque[float]] = {}
        # Chats with replies queued in the outbox (a reply held or refused), each with a
        # number that changes whenever another is queued: their next replies queue too.
        self._replies_queued: dict[str, int] = {}
        self._queued_count = 0
        self._replies_waiting: dict[str, int] = {}  # replies waiting for the chat's turn
        self._replies_coming: dict[str, list[ReplyComing]] = {}  # replies being worked out

    def wait(self, chat_id: str, now: float, *, urgent: bool = False) -> float:
        """Seconds until `chat_id` may get its next message (0: now). While a reply
        (`urgent`) waits for the chat's turn, the chat's other messages wait one turn more:
        a reply goes before the rest of a bill or announcement to the same chat. While a
        reply is still being worked out (`reply_coming`), they look again a moment later."""
        wait = self._wait(chat_id, now, urgent=urgent)
        if urgent:
            return wait
        if chat_id in self._replies_waiting:
            return wait + max(self.limits.per_chat_seconds, _LOOK_AGAIN_SECONDS)
        coming = self._replies_coming.get(chat_id)
        if coming is not None:
            left = max(reply.until for reply in coming) - now
            if left > 0:
                wait = max(wait, min(left, _LOOK_AGAIN_SECONDS))
        return wait

    def _wait(self, chat_id: str, now: float, *, urgent: bool = False) -> float:
        slack = self._reply_slack if urgent else self._slack
        wait = self._open_at.get(chat_id, now) - slack - now
        sends = self._group_sends.get(chat_id)
        if sends is not None and len(sends) >= self.limits.group_per_minute:
            wait = max(wait, sends[-self.limits.group_per_minute] + GROUP_WINDOW_SECONDS - now)
        return max(wait, 0.0)

    def reply_coming(self, chat_id: str, seconds: float = REPLY_COMING_SECONDS) -> ReplyComing:
        """A person's message from `chat_id` arrived: its reply gets the chat's next turn, if
        it is sent within `seconds`. The chat's bills and announcements wait meanwhile (they
        look again every few hundredths of a second); the reply itself waits only for the
        chat's spacing. Release it once the reply is sent or the handler ended without one."""
        reply = ReplyComing(self._clock() + seconds, partial(self._reply_came, chat_id))
        self._replies_coming.setdefault(chat_id, []).append(reply)
        return reply

    def _reply_came(self, chat_id: str, reply: ReplyComing) -> None:
        coming = self._replies_coming[chat_id]
        coming.remove(reply)
        if not coming:
            del self._replies_coming[chat_id]

    async def acquire(
        self, chat_id: str, *, urgent: bool = True, max_wait: float | None = None
    ) -> None:
        """Wait until one message may go to `chat_id` now, and count it as sent: the chat's
        turn first (its spacing, its group window, a pause the platform asked for), then an
        overall token, ahead of the outbox's when `urgent` (a reply to the person writing).
        Raises `ChatHeld` instead when the chat's turn is more than `max_wait` seconds away,
        or (`max_wait` given: a reply's first message) when earlier replies to the chat wait
        in the outbox: the caller queues it behind them, so it cannot overtake them."""
        if max_wait is not None and chat_id in self._replies_queued:
            self.replies_queued(chat_id)
            raise ChatHeld(chat_id, self.wait(chat_id, self._clock()))
        if urgent:
            self._replies_waiting[chat_id] = self._replies_waiting.get(chat_id, 0) + 1
        try:
            while (wait := self.wait(chat_id, self._clock(), urgent=urgent)) > 0:
                if max_wait is not None and wait > max_wait:
                    self.replies_queued(chat_id)
                    raise ChatHeld(chat_id, wait)
                await self._sleep(wait)
        finally:
            if urgent:
                self._reply_done_waiting(chat_id)
        self.sent(chat_id, self._clock())  # the chat's turn is ours while we wait for a token
        await self.bucket.take(urgent=urgent)

    def sent(self, chat_id: str, at: float) -> None:
        """A message to `chat_id` leaves at `at`."""
        if len(self._open_at) > _FORGET_AFTER:
            self._forget_before(at)
        earliest = max(self._open_at.get(chat_id, at), at)
        self._open_at[chat_id] = earliest + self.limits.per_chat_seconds
        if self.limits.group_per_minute and self.limits.is_group(chat_id):
            sends = self._group_sends.setdefault(
                chat_id, deque(maxlen=self.limits.group_per_minute)
            )
            sends.append(at)

    def hold(self, chat_id: str, until: float) -> None:
        """The platform asked to leave this chat alone until `until`."""
        # Replies wait for `_open_at` minus their larger slack: add it, so none goes early.
        slack = max(self._slack, self._reply_slack)
        self._open_at[chat_id] = max(self._open_at.get(chat_id, until), until + slack)

    def refused(self, chat_id: str, retry_after: float) -> None:
        """The platform answered "retry after `retry_after` seconds" for a reply to this chat
        just now (the caller queues it in the outbox)."""
        self.hold(chat_id, self._clock() + retry_after)
        self.replies_queued(chat_id)

    def _reply_done_waiting(self, chat_id: str) -> None:
        left = self._replies_waiting[chat_id] - 1
        if left:
            self._replies_waiting[chat_id] = left
        else:
            del self._replies_waiting[chat_id]

    def replies_queued(self, chat_id: str) -> None:
        """Replies to `chat_id` go to the outbox: the chat's next replies follow them there."""
        self._queued_count += 1
        self._replies_queued[chat_id] = self._queued_count

    def queued_replies_mark(self, chat_id: str) -> int | None:
        """Which replies queued to `chat_id` were known (None: none are)."""
        return self._replies_queued.get(chat_id)

    def replies_delivered(self, chat_id: str, mark: int) -> None:
        """The outbox has no reply to `chat_id` left, as of `mark` (`queued_replies_mark`):
        its next replies go direct again, unless another was queued since."""
        if self._replies_queued.get(chat_id) == mark:
            del self._replies_queued[chat_id]

    def _forget_before(self, now: float) -> None:
        self._open_at = {chat: at for chat, at in self._open_at.items() if at > now}
        window_start = now - GROUP_WINDOW_SECONDS
        self._group_sends = {
            chat: sends for chat, sends in self._group_sends.items() if sends[-1] > window_start
        }
