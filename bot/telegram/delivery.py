"""The sender's Telegram transport: a queued `Reply` sent or edited through a PTB `Bot`.

Rendering is the adapter's (`bot.telegram.adapter`): Telegram HTML, split into parts of
4096 characters, the options as an inline keyboard under the last part, an attachment as a
document. `deliver` returns the id of the (last) message sent, so a progress message can be
edited later with `edit`.

Telegram's answers become the sender's words (`bot.delivery.transport`):
429 (`RetryAfter`) → `TransientDeliveryError` with its `retry_after`; timeouts, network
trouble and 5xx → `TransientDeliveryError`; "bot was blocked", kicked, deactivated
(`Forbidden`), "chat not found" or a group that became a supergroup → `RecipientUnreachable`;
any other 400 → `MessageRejected`.

Every message after a reply's first (its other parts, the file after a long text) waits for
the platform's shared pacer (`pace_with`, given by the sender), as the first did.

The `Bot` must be initialized (`await bot.initialize()`, or the Application's bot), and its
connection pool must be as large as the sender's worker count (`delivery_bot` builds one).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from telegram import Bot, InlineKeyboardMarkup, Message
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)
from telegram.request import HTTPXRequest

from bot.config import TelegramConfig
from bot.delivery.pacing import Pacer
from bot.delivery.transport import MessageRejected, RecipientUnreachable, TransientDeliveryError
from bot.telegram.adapter import Pace, keyboard, retry_after_seconds, send_paced
from messages.render import Renderer
from messages.replies import Reply
from messages.splitting import split_message
from messages.styles import TextStyle

DELIVERY_CONNECTIONS = 16


def delivery_bot(
    telegram: TelegramConfig,
    *,
    connections: int = DELIVERY_CONNECTIONS,
    read_timeout: float = 10.0,
) -> Bot:
    """A Bot for the sender, able to make `connections` requests at once (initialize it)."""
    request = HTTPXRequest(connection_pool_size=connections, read_timeout=read_timeout)
    return Bot(
        telegram.token,
        base_url=telegram.base_url,
        base_file_url=telegram.base_file_url,
        request=request,
    )


class TelegramTransport:
    def __init__(self, bot: Bot, renderer: Renderer, pacer: Pacer | None = None) -> None:
        self._bot = bot
        self._renderer = renderer
        self._pacer = pacer

    def pace_with(self, pacer: Pacer) -> None:
        """Messages after a reply's first wait for `pacer` (the sender's, for this platform)."""
        self._pacer = pacer

    async def deliver(self, chat_id: str, reply: Reply) -> str | None:
        # The sender took the first message's turn; the others wait for theirs.
        pace = Pace(self._pacer, int(chat_id), urgent=False, paid=True)
        with _translated_errors():
            if reply.attachment is not None:
                await send_paced(self._bot, self._renderer, int(chat_id), reply, pace)
                return None
            text, markup = self._render(reply)
            parts = split_message(text)
            last: Message | None = None
            for index, part in enumerate(parts):
                await pace()
                last = await self._bot.send_message(
                    int(chat_id),
                    part,
                    parse_mode=ParseMode.HTML,
                    reply_markup=markup if index == len(parts) - 1 else None,
                )
            return None if last is None else str(last.message_id)

    async def edit(self, chat_id: str, message_id: str, reply: Reply) -> None:
        """Show `reply` in the message `message_id` instead (a short text: one part)."""
        text, markup = self._render(reply)
        with _translated_errors():
            try:
                await self._bot.edit_message_text(
                    split_message(text)[0],
                    chat_id=int(chat_id),
                    message_id=int(message_id),
                    parse_mode=ParseMode.HTML,
                    reply_markup=markup,
                )
            except BadRequest as error:
                if "not modified" not in error.message.lower():
                    raise

    def _render(self, reply: Reply) -> tuple[str, InlineKeyboardMarkup | None]:
        text = self._renderer.render(
            reply.template, reply.language, reply.context, TextStyle.TELEGRAM_HTML
        )
        return text, keyboard(reply, self._renderer, self._bot.username)


@contextmanager
def _translated_errors() -> Iterator[None]:
    try:
        yield
    except TelegramError as error:
        raise delivery_error(error) from error


def delivery_error(error: TelegramError) -> Exception:
    """What the sender should make of Telegram's `error`."""
    message = error.message.lower()
    if isinstance(error, RetryAfter):
        return TransientDeliveryError("too many requests", retry_after=retry_after_seconds(error))
    if isinstance(error, Forbidden):
        return RecipientUnreachable("blocked" if "blocked" in message else message)
    if isinstance(error, ChatMigrated):
        return RecipientUnreachable(f"chat moved to {error.new_chat_id}")
    if isinstance(error, BadRequest):
        if "chat not found" in message:
            return RecipientUnreachable("chat_not_found")
        return MessageRejected(error.message)
    if isinstance(error, TimedOut | NetworkError):
        return TransientDeliveryError(error.message)
    return error
