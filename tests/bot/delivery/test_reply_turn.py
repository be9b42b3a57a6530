"""A reply takes the chat's next turn, ahead of the rest of a long bill to the same chat.

Siti's bill is long: three messages, which Telegram lets arrive one a second (with short
bursts tolerated). After the first, while the second waits for its turn, she asks for her
order. Her answer goes next, at once (a reply may use one message of the chat's burst); the
bill's other two messages follow, a second apart and never more than two in two seconds.
(Before, the bill's next message and her answer waited for the same turn and the bill won
it: her answer came after the whole bill, several seconds later at a province's close.)

The shared Telegram pacer as `belanja-bareng run` configures it, the bill's messages taking
their turns as the sender's transport does (`Pace`, not urgent) and the answer as a direct
reply does (urgent, at most 3 s), on a clock that moves only when everyone waits.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

from bot.config import SendingConfig
from bot.delivery.pacing import Pacer, limits_from
from bot.delivery.sender import Delivery
from storage.database import Database
from tests.support.builders import NOW
from tests.support.paced_chat import EventClock, SitisChat, queue_bill_parts

SITI = "4101"
BILL_PARTS = 3
SPACING = SendingConfig().telegram_per_chat_seconds
EPSILON = 1e-6
ASKS_AFTER = 0.5  # seconds after the bill's first message


async def test_an_answer_goes_between_the_messages_of_a_long_bill_to_the_same_chat() -> None:
    clock = EventClock()
    pacer = Pacer(limits_from(SendingConfig())["telegram"], clock.monotonic, clock.sleep)
    chat: list[tuple[str, float]] = []
    answered: list[asyncio.Task[None]] = []

    async def siti_asks() -> None:
        await clock.sleep(ASKS_AFTER)  # the bill's next message already waits for its turn
        await pacer.acquire(SITI, urgent=True, max_wait=3.0)  # a direct reply's first message
        chat.append(("answer", clock.now))

    async def bill() -> None:
        for part in range(1, BILL_PARTS + 1):
            await pacer.acquire(SITI, urgent=False)  # the sender's transport, part by part
            chat.append((f"bill {part}", clock.now))
            if part == 1:
                answered.append(asyncio.create_task(siti_asks()))

    await clock.run(asyncio.create_task(bill()))
    await clock.run(answered[0])

    assert [what for what, _ in chat] == ["bill 1", "answer", "bill 2", "bill 3"]
    assert_answered_at_once_and_paced([at for _, at in chat])


async def test_an_answer_goes_before_the_next_of_several_bills_queued_for_the_same_chat(
    db: Database,
) -> None:
    clock = EventClock()
    await queue_bill_parts(db, SITI, BILL_PARTS, NOW)
    chat = SitisChat(clock)
    delivery = Delivery(
        db,
        {"telegram": chat},
        limits=limits_from(SendingConfig()),
        clock=lambda: NOW + timedelta(seconds=clock.now),
        monotonic=clock.monotonic,
        sleep=clock.sleep,
    )
    pacer = delivery.pacer("telegram")

    async def siti_asks() -> None:
        await chat.first_bill.wait()
        await clock.sleep(ASKS_AFTER)  # the next bill already waits for its turn
        await pacer.acquire(SITI, urgent=True, max_wait=3.0)
        chat.got.append(("answer", clock.now))

    asking = asyncio.create_task(siti_asks())
    await clock.run(asyncio.create_task(delivery.drain_once(NOW)))
    await clock.run(asking)

    assert [what for what, _ in chat.got] == ["bill 1", "answer", "bill 2", "bill 3"]
    assert_answered_at_once_and_paced([at for _, at in chat.got])


def assert_answered_at_once_and_paced(times: list[float]) -> None:
    """Siti's answer (second) left as soon as she asked: a reply may use one message of the
    chat's short burst. The bill's parts (first, third, fourth) stay a second apart, and no
    two seconds hold more than two messages."""
    bill_1, answer, bill_2, bill_3 = times
    assert answer - bill_1 <= ASKS_AFTER + EPSILON
    assert bill_2 - bill_1 >= SPACING - EPSILON and bill_3 - bill_2 >= SPACING - EPSILON
    assert all(times[n + 2] - times[n] >= 2 * SPACING - EPSILON for n in range(len(times) - 2))


async def test_after_telegram_asks_for_a_pause_not_even_a_reply_goes_before_it_ends() -> None:
    clock = EventClock()
    pacer = Pacer(limits_from(SendingConfig())["telegram"], clock.monotonic, clock.sleep)
    asked_at = clock.now
    pacer.refused(SITI, retry_after=30.0)  # a 429 with retry_after 30

    assert pacer.wait(SITI, clock.now, urgent=True) >= 30.0 - EPSILON
    assert pacer.wait(SITI, clock.now) >= 30.0 - EPSILON
    clock.now = asked_at + 30.0
    assert pacer.wait(SITI, clock.now, urgent=True) == 0.0
