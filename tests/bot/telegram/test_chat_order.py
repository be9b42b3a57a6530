"""One chat's updates are handled strictly in order; other chats do not wait for it."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from datetime import UTC, datetime

from telegram import Chat, Message, Update, User

from bot.telegram.chat_order import ChatOrderedProcessor


def text_update(update_id: int, chat_id: int) -> Update:
    user = User(chat_id, "Siti", is_bot=False)
    chat = Chat(chat_id, "private")
    message = Message(update_id, datetime.now(UTC), chat, from_user=user, text="BRS5 10")
    return Update(update_id, message=message)


def _work_recorded_in(done: list[str]) -> Callable[..., Coroutine[None, None, None]]:
    """Work named `name` that waits for `wait` (if given), then notes it is done."""

    async def work(name: str, wait: asyncio.Event | None = None) -> None:
        if wait is not None:
            await wait.wait()
        done.append(name)

    return work


async def test_a_second_message_of_a_chat_waits_while_another_chat_goes_ahead() -> None:
    processor = ChatOrderedProcessor(8)
    release_first = asyncio.Event()
    done: list[str] = []
    work = _work_recorded_in(done)

    async with processor:
        first = asyncio.create_task(
            processor.process_update(text_update(1, 501), work("siti 1", release_first))
        )
        second = asyncio.create_task(processor.process_update(text_update(2, 501), work("siti 2")))
        other = asyncio.create_task(processor.process_update(text_update(3, 777), work("budi")))
        await other
        assert done == ["budi"]
        assert not second.done()

        release_first.set()
        await asyncio.gather(first, second)

    assert done == ["budi", "siti 1", "siti 2"]


async def test_messages_waiting_behind_their_own_chat_hold_no_slot_another_chat_needs() -> None:
    processor = ChatOrderedProcessor(2)
    release_siti = asyncio.Event()
    done: list[str] = []
    work = _work_recorded_in(done)

    async with processor:
        siti = [
            asyncio.create_task(
                processor.process_update(text_update(n, 501), work(f"siti {n}", release_siti))
            )
            for n in range(1, 6)
        ]
        budi = asyncio.create_task(processor.process_update(text_update(9, 777), work("budi")))
        # Siti's five messages use one of the two slots, not both (else this never ends)
        await asyncio.wait_for(budi, timeout=5)
        assert done == ["budi"]

        release_siti.set()
        await asyncio.gather(*siti)

    assert done == ["budi", "siti 1", "siti 2", "siti 3", "siti 4", "siti 5"]


async def test_no_more_updates_run_at_once_than_the_limit() -> None:
    processor = ChatOrderedProcessor(3)
    running, most = 0, 0
    full, release = asyncio.Event(), asyncio.Event()

    async def work() -> None:
        nonlocal running, most
        running += 1
        most = max(most, running)
        if running == 3:
            full.set()
        await release.wait()
        running -= 1

    async with processor:
        tasks = [
            asyncio.create_task(processor.process_update(text_update(n, 600 + n), work()))
            for n in range(10)
        ]
        await full.wait()
        for _ in range(20):  # give the other seven every chance to start
            await asyncio.sleep(0)
        assert (running, most) == (3, 3)
        release.set()
        await asyncio.gather(*tasks)

    assert most == 3
