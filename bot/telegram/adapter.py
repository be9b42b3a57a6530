"""Translating between Telegram and the handlers: Update → IncomingEvent, Reply → messages.

Incoming: a text or command in a private chat, a command in a group (text that does not
start with "/" is ignored there; privacy mode shows the bot little else anyway), a button
press, or a document (the event without its file: `bot.telegram.documents` fetches it).
Outgoing: each `Reply` is rendered as Telegram HTML, split into parts of at most 4096
characters, its options become an inline keyboard under the last part, and a `replace`
reply to a button press edits the pressed message instead of sending a new one.
Every message and edit first waits for the platform's shared `Pacer` (when given), as a reply:
ahead of the outbox's announcements, within Telegram's limits (`bot.delivery.pacing`).
"""

from __future__ import annotations

import logging
import re
import warnings
from collections.abc import Sequence
from dataclasses import replace
from datetime import timedelta

from telegram import Bot, CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from telegram.constants import ChatType, ParseMode
from telegram.error import BadRequest, NetworkError, RetryAfter, TelegramError, TimedOut
from telegram.warnings import PTBDeprecationWarning

from bot.delivery.pacing import ChatHeld, Pacer
from handlers.contract.events import ChatKind, IncomingEvent
from messages.render import Renderer
from messages.replies import Option, Reply
from messages.splitting import split_message
from messages.styles import TextStyle

log = logging.getLogger(__name__)

# A reply whose chat must wait longer than this (Telegram asked for a pause, a group used up
# its minute) goes to the outbox instead of holding up the update.
REPLY_MAX_WAIT_SECONDS = 3.0

PLATFORM = "telegram"
CAPTION_LIMIT = 1024
_CHAT_KINDS: dict[str, ChatKind] = {
    ChatType.PRIVATE: ChatKind.PRIVATE,
    ChatType.GROUP: ChatKind.GROUP,
    ChatType.SUPERGROUP: ChatKind.GROUP,
}
_START_PARAMETER = re.compile(r"[A-Za-z0-9_-]{1,64}")
_COMMAND_TARGET = re.compile(r"/[A-Za-z0-9_]+@([A-Za-z0-9_]+)")


def event_from_message(message: Message, bot_username: str) -> IncomingEvent | None:
    """The event for a text message, or None when the bot should stay silent."""
    text = message.text
    event = _person_event(message)
    if event is None or not text:
        return None
    if event.chat_kind is ChatKind.GROUP and not _is_command_for(text, bot_username):
        return None
    return replace(event, text=text)


def event_from_document(message: Message) -> IncomingEvent | None:
    """The event for a document or a photo, still without the file (None: not a person's)."""
    return None if message.document is None and not message.photo else _person_event(message)


def _person_event(message: Message) -> IncomingEvent | None:
    """Who wrote `message` and where (None: no person, or a kind of chat we ignore)."""
    kind = _CHAT_KINDS.get(message.chat.type)
    user = message.from_user
    if kind is None or user is None or user.is_bot:
        return None
    return IncomingEvent(
        platform=PLATFORM,
        user_id=str(user.id),
        display_name=user.full_name,
        chat_id=str(message.chat.id),
        chat_kind=kind,
        language_hint=user.language_code,
        message_id=str(message.message_id),
    )


def event_from_button(query: CallbackQuery) -> IncomingEvent:
    """The event for a button press (a message no longer accessible counts as private)."""
    message = pressed_message(query)
    user = query.from_user
    kind = _CHAT_KINDS.get(message.chat.type) if message is not None else None
    return IncomingEvent(
        platform=PLATFORM,
        user_id=str(user.id),
        display_name=user.full_name,
        chat_id=str(message.chat.id if message is not None else user.id),
        chat_kind=kind or ChatKind.PRIVATE,
        language_hint=user.language_code,
        payload=query.data or "",
        message_id=str(message.message_id) if message is not None else "",
    )


def pressed_message(query: CallbackQuery) -> Message | None:
    return query.message if isinstance(query.message, Message) else None


def _is_command_for(text: str, bot_username: str) -> bool:
    """A "/command" in a group, unless it is addressed to another bot ("/help@otherbot")."""
    if not text.startswith("/"):
        return False
    target = _COMMAND_TARGET.match(text)
    return target is None or target.group(1).lower() == bot_username.lower()


async def send_replies(
    bot: Bot,
    renderer: Renderer,
    chat_id: int,
    replies: Sequence[Reply],
    pressed: Message | None = None,
    pacer: Pacer | None = None,
) -> None:
    """Send `replies` in order to `chat_id`; `pressed` is the message whose button was pressed.
    Each message waits for `pacer` first (None: sent at once).
    Raises RepliesNotSent with the replies not sent yet when Telegram refuses one for now (a
    429 of its limits, a timeout, the network): the caller queues them in the outbox."""
    pace = Pace(pacer, chat_id, max_wait=REPLY_MAX_WAIT_SECONDS)
    for index, reply in enumerate(replies):
        try:
            await _send_reply(bot, renderer, chat_id, reply, pressed, pace)
        except ChatHeld as error:
            raise RepliesNotSent(replies[index:], error) from error
        except (RetryAfter, TimedOut) as error:
            if isinstance(error, RetryAfter) and pacer is not None:
                pacer.refused(str(chat_id), retry_after_seconds(error))
            raise RepliesNotSent(replies[index:], error) from error
        except NetworkError as error:
            if isinstance(error, BadRequest):
                raise
            raise RepliesNotSent(replies[index:], error) from error


class Pace:
    """Called before each message to one chat: waits for its turn on the shared `Pacer`
    (nothing to wait for without one). `paid`: the first message's turn was already taken
    (the outbox sender took it before calling its transport). `max_wait`: the first message
    raises `ChatHeld` rather than wait longer (once one went, the others wait their turn, so
    a reply is never cut in two)."""

    def __init__(
        self,
        pacer: Pacer | None,
        chat_id: int,
        *,
        urgent: bool = True,
        paid: bool = False,
        max_wait: float | None = None,
    ) -> None:
        self._pacer = pacer
        self._chat_id = str(chat_id)
        self._urgent = urgent
        self._paid = paid
        self._max_wait = max_wait

    async def __call__(self) -> None:
        if self._paid:
            self._paid = False
        elif self._pacer is not None:
            max_wait, self._max_wait = self._max_wait, None
            await self._pacer.acquire(self._chat_id, urgent=self._urgent, max_wait=max_wait)


def retry_after_seconds(error: RetryAfter) -> float:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


class RepliesNotSent(Exception):
    """Replies Telegram refused for now (`left`: the one refused and those after it)."""

    def __init__(self, left: Sequence[Reply], cause: TelegramError | ChatHeld) -> None:
        super().__init__(f"{len(left)} replies not sent: {type(cause).__name__}")
        self.left = list(left)


async def send_paced(bot: Bot, renderer: Renderer, chat_id: int, reply: Reply, pace: Pace) -> None:
    """Send one reply to `chat_id`, calling `pace` before each message; Telegram's errors are
    raised as they are."""
    await _send_reply(bot, renderer, chat_id, reply, None, pace)


async def _send_reply(
    bot: Bot, renderer: Renderer, chat_id: int, reply: Reply, pressed: Message | None, pace: Pace
) -> None:
    text = renderer.render(reply.template, reply.language, reply.context, TextStyle.TELEGRAM_HTML)
    markup = keyboard(reply, renderer, bot.username)
    parts = split_message(text)
    if reply.attachment is not None:
        await _send_document(bot, chat_id, reply, parts, markup, pace)
    elif reply.replace and pressed is not None and len(parts) == 1:
        await _edit_or_send(bot, pressed, parts[0], markup, pace)
    else:
        await _send_texts(bot, chat_id, parts, markup, pace)


def keyboard(reply: Reply, renderer: Renderer, bot_username: str) -> InlineKeyboardMarkup | None:
    if not reply.options:
        return None
    return InlineKeyboardMarkup(
        [[_button(option, reply.language, renderer, bot_username) for option in row]
         for row in reply.options]
    )  # fmt: skip


def _button(
    option: Option, language: str, renderer: Renderer, bot_username: str
) -> InlineKeyboardButton:
    label = renderer.render_label(option.label, language, option.label_context)
    if option.open_private_chat:
        return InlineKeyboardButton(label, url=private_chat_link(bot_username, option.payload))
    return InlineKeyboardButton(label, callback_data=option.payload)


def private_chat_link(bot_username: str, payload: str) -> str:
    """https://t.me/<bot>?start=<payload>; a payload Telegram would not carry is left out."""
    if not payload:
        return f"https://t.me/{bot_username}"
    if not _START_PARAMETER.fullmatch(payload):
        log.warning("start parameter %r is not [A-Za-z0-9_-]{1,64}; link without it", payload)
        return f"https://t.me/{bot_username}"
    return f"https://t.me/{bot_username}?start={payload}"


async def _send_texts(
    bot: Bot,
    chat_id: int,
    parts: Sequence[str],
    markup: InlineKeyboardMarkup | None,
    pace: Pace | None = None,
) -> None:
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        if pace is not None:
            await pace()
        await bot.send_message(
            chat_id, part, parse_mode=ParseMode.HTML, reply_markup=markup if last else None
        )


async def _edit_or_send(
    bot: Bot, pressed: Message, text: str, markup: InlineKeyboardMarkup | None, pace: Pace
) -> None:
    chat_id, message_id = pressed.chat.id, pressed.message_id
    await pace()
    try:
        if pressed.caption is not None and len(text) <= CAPTION_LIMIT:  # a file's caption
            await bot.edit_message_caption(
                chat_id, message_id, caption=text, parse_mode=ParseMode.HTML, reply_markup=markup
            )
        else:
            await bot.edit_message_text(
                text, chat_id, message_id, parse_mode=ParseMode.HTML, reply_markup=markup
            )
    except BadRequest as error:
        if "not modified" in error.message.lower():
            return
        log.info("editing message %s failed (%s); sending anew", pressed.message_id, error)
        await _send_texts(bot, pressed.chat.id, [text], markup, pace)


async def _send_document(
    bot: Bot,
    chat_id: int,
    reply: Reply,
    parts: Sequence[str],
    markup: InlineKeyboardMarkup | None,
    pace: Pace,
) -> None:
    assert reply.attachment is not None
    caption: str | None = None
    if len(parts) == 1 and len(split_message(parts[0], CAPTION_LIMIT)) == 1:
        caption = parts[0]
    else:
        await _send_texts(bot, chat_id, parts, None, pace)
    await pace()
    parse_mode = ParseMode.HTML if caption else None
    if reply.picture:
        await bot.send_photo(
            chat_id, reply.attachment, caption=caption, parse_mode=parse_mode, reply_markup=markup
        )
        return
    await bot.send_document(
        chat_id,
        reply.attachment,
        filename=reply.attachment.name,
        caption=caption,
        parse_mode=parse_mode,
        reply_markup=markup,
    )
