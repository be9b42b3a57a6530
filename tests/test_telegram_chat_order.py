"""One chat's updates are handled strictly in order; other chats do not wait for it."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from telegram import Chat, Message, Update, User

from bot.telegram.chat_order import ChatOrderedProcessor


def text_update(update_id: int, chat_id: int) -> Update:
    user = User(chat_id, "Siti", is_bot=False)
    chat = Chat(chat_id, "private")
    message = Message(update_id, datetime.now(UTC), chat, from_user=user, text="BRS5 10")
    return Update(update_id, message=message)


async def test_a_second_message_of_a_chat_waits_while_another_chat_goes_ahead() -> None:
    processor = ChatOrderedProcessor(8)
    release_first = asyncio.Event()
    done: list[str] = []

    async def work(name: str, wait: asyncio.Event | None = None) -> None:
        if wait is not None:
            await wait.wait()
        done.append(name)

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
