"""Updates of different chats run concurrently; updates of one chat strictly in order.

A treasurer who sends "BRS5 10" and then "BRS5 12" must end with 12, so one chat's updates
may never overtake each other; but two hundred treasurers ordering at once should not wait
for each other's network round trips. PTB's own processor offers only all-or-nothing.

At most `max_concurrent_updates` updates run at once, and only an update whose turn it is in
its chat takes one of those slots: one that waits behind an earlier update of the same chat
holds none. (PTB takes its own slot before `do_process_update`, while the update may still
have to wait for its chat; a treasurer who sends five messages in a row would then hold five
slots and keep other treasurers waiting. So PTB's limit is set out of reach and ours is
taken after the chat's turn has come.)

Given the outbox sender's pacer (`expect_replies_on`), a message or button press from a
private chat also keeps that chat's next turn for its reply (`Pacer.reply_coming`), from the
moment it arrives until its handler ends (the reply sent or queued in the outbox, or none
to send), at most a few seconds: a bill to the same person being sent meanwhile does not
take the turn while the answer is still being worked out.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable

from telegram import Chat, Update
from telegram.ext import BaseUpdateProcessor

from bot.delivery.pacing import Pacer, ReplyComing

_OUT_OF_REACH = 1_000_000


class ChatOrderedProcessor(BaseUpdateProcessor):
    def __init__(self, max_concurrent_updates: int) -> None:
        super().__init__(_OUT_OF_REACH)
        if max_concurrent_updates < 1:
            raise ValueError("max_concurrent_updates must be a positive integer")
        self._slots = asyncio.BoundedSemaphore(max_concurrent_updates)
        self._locks: dict[object, asyncio.Lock] = {}
        self._users: dict[object, int] = {}
        self._pacer: Pacer | None = None

    def expect_replies_on(self, pacer: Pacer | None) -> None:
        """Keep a private chat's next turn on `pacer` for the reply to each of its updates."""
        self._pacer = pacer

    async def do_process_update(self, update: object, coroutine: Awaitable[object]) -> None:
        key = _chat_key(update)
        reply = self._reply_coming(update)
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._users[key] = self._users.get(key, 0) + 1
        try:
            async with lock, self._slots:
                await coroutine
        finally:
            if reply is not None:
                reply.release()
            self._users[key] -= 1
            if self._users[key] == 0:
                del self._users[key], self._locks[key]

    def _reply_coming(self, update: object) -> ReplyComing | None:
        if self._pacer is None or not isinstance(update, Update):
            return None
        chat = update.effective_chat
        if chat is None or chat.type != Chat.PRIVATE:
            return None
        return self._pacer.reply_coming(str(chat.id))

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
