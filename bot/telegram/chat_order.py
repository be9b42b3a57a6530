"""Updates of different chats run concurrently; updates of one chat strictly in order.

A treasurer who sends "BRS5 10" and then "BRS5 12" must end with 12, so one chat's updates
may never overtake each other; but two hundred treasurers ordering at once should not wait
for each other's network round trips. PTB's own processor offers only all-or-nothing.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable

from telegram import Update
from telegram.ext import BaseUpdateProcessor


class ChatOrderedProcessor(BaseUpdateProcessor):
    def __init__(self, max_concurrent_updates: int) -> None:
        super().__init__(max_concurrent_updates)
        self._locks: dict[object, asyncio.Lock] = {}
        self._users: dict[object, int] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[object]) -> None:
        key = _chat_key(update)
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._users[key] = self._users.get(key, 0) + 1
        try:
            async with lock:
                await coroutine
        finally:
            self._users[key] -= 1
            if self._users[key] == 0:
                del self._users[key], self._locks[key]

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass


def _chat_key(update: object) -> object:
    if isinstance(update, Update):
        chat, user = update.effective_chat, update.effective_user
        if chat is not None:
            return chat.id
        if user is not None:
            return ("user", user.id)
    return None  # updates of no chat (rare kinds) share one lane
