"""A treasurer's answer takes the chat's next turn even while the bot is still working it out.

Siti's bill is long: three messages, which Telegram lets arrive one a second. Just before
the bill's second message is due she writes to the bot, which needs a moment to work out
its answer. Her answer goes next, as soon as it is ready; the rest of the bill follows,
still a second apart. (Before, the bill's second message took the turn while the bot was
still working, and her answer waited a whole second more for the next one.)

If the bot has nothing to answer, or its handler fails, the bill goes on at once: the
chat's turn is kept only while an answer may come (and never longer than a few seconds).

The shared Telegram pacer as `belanja-bareng run` configures it, the updates going through
the bot's own update processor (`ChatOrderedProcessor`, which keeps the turn), the answer
taking its turn as a direct reply does, on a clock that moves only when everyone waits.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from itertools import pairwise

import pytest
from telegram import Chat, Message, Update, User

from bot.config import Config, Secret, SendingConfig, TelegramConfig
from bot.delivery.pacing import REPLY_COMING_SECONDS, Pacer, limits_from
from bot.delivery.sender import Delivery
from bot.telegram.application import build_telegram_application
from bot.telegram.chat_order import ChatOrderedProcessor
from handlers.contract.services import Services
from messages.render import Renderer
from storage.database import Database
from tests.support.builders import NOW
from tests.support.paced_chat import EventClock, SitisChat, queue_bill_parts

SITI = 4101
BILL_PARTS = 3
SPACING = SendingConfig().telegram_per_chat_seconds
EPSILON = 1e-6
WRITES_AFTER = 0.9  # seconds after the bill's first message: just before its second is due
WORKING_OUT = 0.3  # how long the bot takes to work out the answer
LOOKS_AGAIN_WITHIN = 0.1  # a bill held for an answer that does not come goes on this soon


def siti_writes(update_id: int) -> Update:
    user = User(SITI, "Siti", is_bot=False)
    chat = Chat(SITI, Chat.PRIVATE)
    message = Message(update_id, datetime.now(UTC), chat, from_user=user, text="/pesanan")
    return Update(update_id, message=message)


class Bot:
    """The bot's side: updates through its processor, which keeps the turn on `pacer`."""

    def __init__(self, pacer: Pacer, clock: EventClock, chat: list[tuple[str, float]]) -> None:
        self.processor = ChatOrderedProcessor(8)
        self.processor.expect_replies_on(pacer)
        self.pacer = pacer
        self.clock = clock
        self.chat = chat

    async def answers(self, update: Update, *, working: float = WORKING_OUT) -> None:
        """Work out the answer, then send it as a direct reply does (urgent, at most 3 s)."""
        await self.clock.sleep(working)
        await self.pacer.acquire(str(SITI), urgent=True, max_wait=3.0)
        self.chat.append(("answer", self.clock.now))

    async def has_nothing_to_say(self, update: Update, *, working: float = WORKING_OUT) -> None:
        await self.clock.sleep(working)

    async def fails(self, update: Update) -> None:
        await self.clock.sleep(WORKING_OUT)
        raise RuntimeError("the handler broke")


def telegram_pacer(clock: EventClock) -> Pacer:
    return Pacer(limits_from(SendingConfig())["telegram"], clock.monotonic, clock.sleep)


async def long_bill(
    pacer: Pacer, clock: EventClock, chat: list[tuple[str, float]], after_first: asyncio.Event
) -> None:
    """The bill's messages taking their turns as the sender's transport does (not urgent)."""
    for part in range(1, BILL_PARTS + 1):
        await pacer.acquire(str(SITI), urgent=False)
        chat.append((f"bill {part}", clock.now))
        if part == 1:
            after_first.set()


async def test_an_answer_still_being_worked_out_goes_before_the_rest_of_a_long_bill() -> None:
    clock = EventClock()
    pacer = telegram_pacer(clock)
    chat: list[tuple[str, float]] = []
    bot = Bot(pacer, clock, chat)
    first_went = asyncio.Event()

    async def siti() -> None:
        await first_went.wait()
        await clock.sleep(WRITES_AFTER)
        update = siti_writes(1)
        await bot.processor.process_update(update, bot.answers(update))

    async with bot.processor:
        writing = asyncio.create_task(siti())
        await clock.run(asyncio.create_task(long_bill(pacer, clock, chat, first_went)))
        await clock.run(writing)

    assert [what for what, _ in chat] == ["bill 1", "answer", "bill 2", "bill 3"]
    times = [at for _, at in chat]
    wrote_at = times[0] + WRITES_AFTER
    assert times[1] - wrote_at <= WORKING_OUT + EPSILON  # sent as soon as it was ready
    assert all(later - earlier >= SPACING - EPSILON for earlier, later in pairwise(times))


async def test_an_answer_being_worked_out_goes_before_bills_the_sender_has_queued(
    db: Database,
) -> None:
    clock = EventClock()
    await queue_bill_parts(db, str(SITI), BILL_PARTS, NOW)
    chat: list[tuple[str, float]] = []
    telegram = SitisChat(clock, chat)
    delivery = Delivery(
        db,
        {"telegram": telegram},
        limits=limits_from(SendingConfig()),
        clock=lambda: NOW + timedelta(seconds=clock.now),
        monotonic=clock.monotonic,
        sleep=clock.sleep,
    )
    bot = Bot(delivery.pacer("telegram"), clock, chat)

    async def siti() -> None:
        await telegram.first_bill.wait()
        await clock.sleep(WRITES_AFTER)
        update = siti_writes(1)
        await bot.processor.process_update(update, bot.answers(update))

    async with bot.processor:
        writing = asyncio.create_task(siti())
        await clock.run(asyncio.create_task(delivery.drain_once(NOW)))
        await clock.run(writing)

    assert [what for what, _ in chat] == ["bill 1", "answer", "bill 2", "bill 3"]
    times = [at for _, at in chat]
    assert times[1] - (times[0] + WRITES_AFTER) <= WORKING_OUT + EPSILON
    assert all(later - earlier >= SPACING - EPSILON for earlier, later in pairwise(times))


@pytest.mark.parametrize("handler", ["has_nothing_to_say", "fails"])
async def test_the_bill_goes_on_at_once_when_no_answer_comes(handler: str) -> None:
    clock = EventClock()
    pacer = telegram_pacer(clock)
    chat: list[tuple[str, float]] = []
    bot = Bot(pacer, clock, chat)
    first_went = asyncio.Event()
    failed: list[RuntimeError] = []

    async def siti() -> None:
        await first_went.wait()
        await clock.sleep(WRITES_AFTER)
        update = siti_writes(1)
        try:
            await bot.processor.process_update(update, getattr(bot, handler)(update))
        except RuntimeError as error:
            failed.append(error)

    async with bot.processor:
        writing = asyncio.create_task(siti())
        await clock.run(asyncio.create_task(long_bill(pacer, clock, chat, first_went)))
        await clock.run(writing)

    assert len(failed) == (handler == "fails")  # the handler's error still reaches PTB
    assert [what for what, _ in chat] == ["bill 1", "bill 2", "bill 3"]
    first, second, third = (at for _, at in chat)
    handler_ended = first + WRITES_AFTER + WORKING_OUT
    assert second - handler_ended <= LOOKS_AGAIN_WITHIN  # held only while an answer could come
    assert third - second <= SPACING + LOOKS_AGAIN_WITHIN  # and nothing is held afterwards


async def test_a_bill_waits_for_a_slow_answer_only_a_few_seconds() -> None:
    clock = EventClock()
    pacer = telegram_pacer(clock)
    chat: list[tuple[str, float]] = []
    bot = Bot(pacer, clock, chat)
    first_went = asyncio.Event()
    slow = REPLY_COMING_SECONDS * 2

    async def siti() -> None:
        await first_went.wait()
        await clock.sleep(WRITES_AFTER)
        update = siti_writes(1)
        await bot.processor.process_update(update, bot.has_nothing_to_say(update, working=slow))

    async with bot.processor:
        writing = asyncio.create_task(siti())
        await clock.run(asyncio.create_task(long_bill(pacer, clock, chat, first_went)))
        await clock.run(writing)

    first, second, _ = (at for _, at in chat)
    assert second - (first + WRITES_AFTER) <= REPLY_COMING_SECONDS + LOOKS_AGAIN_WITHIN


async def test_the_bot_that_belanja_bareng_runs_keeps_the_turn_on_the_senders_pacer(
    db: Database,
) -> None:
    clock = EventClock()
    pacer = telegram_pacer(clock)
    telegram = TelegramConfig(token=Secret("123:fake"))
    application = build_telegram_application(
        Config(database=db.path, telegram=telegram),
        Services(db=db, now=lambda: NOW),
        Renderer(),
        pacer=pacer,
    )
    bill_waits: list[float] = []

    async def handler() -> None:  # what a bill to Siti would be told while her update is handled
        bill_waits.append(pacer.wait(str(SITI), clock.now))

    processor = application.update_processor
    async with processor:
        await processor.process_update(siti_writes(1), handler())
    bill_waits.append(pacer.wait(str(SITI), clock.now))

    assert bill_waits[0] > 0  # held while the answer is worked out
    assert bill_waits[1] == 0  # and free again once the handler ended
