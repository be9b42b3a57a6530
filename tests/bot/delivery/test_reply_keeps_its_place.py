"""A queued reply that must wait for its chat a moment longer still goes before the bills.

Siti's queued answer is the first job the dispatcher starts; while it waits for an overall
token, a direct reply takes her chat, so the answer has to wait for the chat's next turn
(one second). The bills to other treasurers fill that second; once her chat is open again
her answer goes next, not after every bill still queued.

The real `Dispatcher` and `Pacer` (one message a second overall and per chat, replies
included: no reply burst) on a clock that moves only when someone sleeps.
"""

from __future__ import annotations

import asyncio
from functools import partial

from bot.delivery.dispatch import Dispatcher, Job
from bot.delivery.pacing import Limits, Pacer

SITI = "4101"
BILLS = 6


async def test_an_answer_put_back_for_its_chats_next_turn_goes_before_the_other_bills() -> None:
    clock = [1_000.0]
    taken: list[str] = []  # a direct reply took Siti's chat while her answer waited
    pacer: list[Pacer] = []

    async def sleep(seconds: float) -> None:
        clock[0] += seconds
        if not taken:
            taken.append(SITI)
            pacer[0].sent(SITI, clock[0])  # what `Pacer.acquire` does for a direct reply
        await asyncio.sleep(0)

    limits = Limits(per_second=1, burst=1, per_chat_seconds=1.0, reply_burst=1)
    pacer.append(Pacer(limits, lambda: clock[0], sleep))
    await pacer[0].bucket.take()  # the last token went to an earlier message
    dispatcher = Dispatcher(lambda platform: pacer[0], clock=lambda: clock[0], sleep=sleep)
    chat: list[str] = []

    async def deliver(what: str) -> None:
        chat.append(what)

    async def later(what: str, seconds: float) -> None:
        raise AssertionError(f"{what} was handed back for {seconds} s")

    for n in range(BILLS):
        bill = f"bill {n}"
        dispatcher.add(Job("telegram", str(5000 + n), partial(deliver, bill), partial(later, bill)))
    answer = partial(deliver, "answer")
    dispatcher.add(Job("telegram", SITI, answer, partial(later, "answer"), urgent=True))

    await dispatcher.run()

    assert taken == [SITI]
    assert chat[:3] == ["bill 0", "bill 1", "answer"]  # at her chat's next turn
    assert sorted(chat) == sorted(["answer", *(f"bill {n}" for n in range(BILLS))])
