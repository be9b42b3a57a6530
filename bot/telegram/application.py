"""The one place the Telegram Application is built and every handler is listed, in order.

1. every button press (a CallbackQueryHandler), answered exactly once whatever happens;
2. text and commands in private chats and groups (a MessageHandler);
3. a file sent in a private chat (a MessageHandler; the admin's catalog upload), fetched by
   `bot.telegram.documents` and removed again once handled;
4. an error handler that logs with the update's ids and never shows a raw error to a person.
`post_init` sets the command menus. Nothing here runs at import time.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace

from telegram import CallbackQuery, Message, Update
from telegram.error import BadRequest, TelegramError
from telegram.ext import ApplicationBuilder, CallbackQueryHandler, ContextTypes, MessageHandler
from telegram.ext import filters as f

from bot.config import Config
from bot.delivery.pacing import Pacer
from bot.telegram.adapter import (
    PLATFORM,
    RepliesNotSent,
    event_from_button,
    event_from_message,
    pressed_message,
    send_replies,
)
from bot.telegram.chat_order import ChatOrderedProcessor
from bot.telegram.context import WIRING_KEY, BotContext, TelegramApplication, wiring_of
from bot.telegram.documents import file_name_of, received_document
from bot.telegram.frozen import frozen_reply
from bot.telegram.lanes import LanesRequest
from bot.telegram.menus import set_command_menus, telegram_admin_ids
from bot.telegram.polling import PollingHealth, PollingRequest
from bot.wiring import Wiring
from handlers import router
from handlers.contract.events import IncomingEvent
from handlers.contract.services import Services
from handlers.treasurer.proof import is_proof_file
from messages.formatting import LANGUAGES
from messages.render import Renderer
from storage.people import reps
from usecases.notices.posts import queue_replies

log = logging.getLogger(__name__)

TEXT_IN_CHATS = f.UpdateType.MESSAGE & f.TEXT & (f.ChatType.PRIVATE | f.ChatType.GROUPS)
DOCUMENTS_IN_PRIVATE = f.UpdateType.MESSAGE & (f.Document.ALL | f.PHOTO) & f.ChatType.PRIVATE
CONCURRENT_UPDATES = 64
CONNECTION_POOL_SIZE = 64  # one connection per update handled at once (`LanesRequest`)
PACER_KEY = "belanja_bareng_pacer"


class TelegramTokenMissing(Exception):
    """No bot token in the config or in $TELEGRAM_BOT_TOKEN."""

    key = "telegram_token_missing"

    def __init__(self) -> None:
        super().__init__(self.key)
        self.params: dict[str, object] = {}


def build_telegram_application(
    config: Config,
    services: Services,
    renderer: Renderer,
    notify: Callable[[], None] | None = None,
    polling: PollingHealth | None = None,
    pacer: Pacer | None = None,
) -> TelegramApplication:
    """`notify` wakes the outbox sender once an update was handled: what it queued for other
    people (a proof for the admins, a broadcast) goes out now, not at the sender's next look.
    `polling` is told how each long poll went (`bot.telegram.polling`). Replies wait for
    `pacer`, the outbox sender's for Telegram (`Delivery.pacer`), ahead of its announcements
    (None: sent at once, as a bench's or a test's bot without the sender)."""
    application = build_bare_application(config, polling)
    application.post_init = set_menus
    application.bot_data[WIRING_KEY] = Wiring(services, renderer, notify)
    application.bot_data[PACER_KEY] = pacer
    if isinstance(processor := application.update_processor, ChatOrderedProcessor):
        processor.expect_replies_on(pacer)  # a reply being worked out keeps its chat's turn
    application.add_handler(CallbackQueryHandler(on_button))
    application.add_handler(MessageHandler(TEXT_IN_CHATS, on_message))
    application.add_handler(MessageHandler(DOCUMENTS_IN_PRIVATE, on_document))
    application.add_error_handler(on_error)
    return application


def build_bare_application(
    config: Config, polling: PollingHealth | None = None
) -> TelegramApplication:
    """Our Application settings (API address, update concurrency, `getUpdates` reporting to
    `polling`) without any handler.

    One connection per update handled at once, each a lane of its own
    (`bot.telegram.lanes`): in one shared httpx pool the cost of choosing a connection grew
    with the pool (with PTB's default of 256, more than a 50 ms round trip costs).
    """
    telegram = config.telegram
    if not telegram.token:
        raise TelegramTokenMissing()
    return (
        ApplicationBuilder()
        .token(telegram.token)
        .base_url(telegram.base_url)
        .base_file_url(telegram.base_file_url)
        .get_updates_request(PollingRequest(polling or PollingHealth()))
        .context_types(ContextTypes(context=BotContext))
        .job_queue(None)
        .concurrent_updates(ChatOrderedProcessor(CONCURRENT_UPDATES))
        .request(LanesRequest(CONNECTION_POOL_SIZE))
        .build()
    )


async def set_menus(application: TelegramApplication) -> None:
    wiring = wiring_of(application)
    admin_ids = await telegram_admin_ids(wiring.services.db)
    await set_command_menus(
        application.bot, wiring.renderer, wiring.services.default_language, admin_ids
    )


async def on_message(update: Update, context: BotContext) -> None:
    if update.message is None:
        return
    event = event_from_message(update.message, context.bot.username)
    if event is not None:
        await _handle(update, context, event, pressed=None)


async def on_document(update: Update, context: BotContext) -> None:
    message = update.message
    if message is None:
        return
    # Only an admin's or a treasurer's file is worth fetching (the handlers check again and
    # answer anyone).
    user = message.from_user
    db = context.wiring.services.db
    name = file_name_of(message)
    fetch = user is not None and await reps.may_send_files(
        db, PLATFORM, str(user.id), as_treasurer=is_proof_file(name)
    )
    async with received_document(message, fetch=fetch) as event:
        if event is not None:
            await _handle(update, context, event, pressed=None)


async def on_button(update: Update, context: BotContext) -> None:
    query = update.callback_query
    if query is None:
        return
    try:
        await _handle(update, context, event_from_button(query), pressed_message(query))
    finally:
        await answer_once(query)


async def answer_once(query: CallbackQuery) -> None:
    """Stop the button's spinner; a query answered too late is no longer worth an error."""
    try:
        await query.answer()
    except BadRequest as error:
        if "query is too old" not in error.message.lower():
            raise


async def _handle(
    update: Update, context: BotContext, event: IncomingEvent, pressed: Message | None
) -> None:
    wiring = context.wiring
    # Telegram delivers an update again when it is unsure we got it (webhook retries, a
    # restart before polling confirmed it): the router acts on each update_id once.
    event = replace(event, delivery_id=str(update.update_id))
    replies = await router.handle(wiring.services, event)
    try:
        await send_replies(
            context.bot, wiring.renderer, int(event.chat_id), replies, pressed, _pacer(context)
        )
    except RepliesNotSent as refused:
        # Never lost: the outbox sends them at Telegram's pace (and retries them).
        log.warning("update %s: %s; queued for the sender", update.update_id, refused)
        delivery = f"telegram:{update.update_id}"
        frozen = [frozen_reply(wiring.renderer, reply) for reply in refused.left]
        await queue_replies(wiring.services, "telegram", event.chat_id, delivery, frozen)
    if wiring.notify is not None:
        wiring.notify()


def _pacer(context: BotContext) -> Pacer | None:
    pacer = context.application.bot_data.get(PACER_KEY)
    return pacer if isinstance(pacer, Pacer) else None


async def on_error(update: object, context: BotContext) -> None:
    """Log with the ids needed to investigate; tell the person only that something failed."""
    chat = update.effective_chat if isinstance(update, Update) else None
    user = update.effective_user if isinstance(update, Update) else None
    update_id = update.update_id if isinstance(update, Update) else None
    log.error(
        "update %s (chat %s, user %s) failed: %r",
        update_id,
        chat.id if chat else None,
        user.id if user else None,
        context.error,
        exc_info=context.error,
    )
    if chat is None or isinstance(context.error, TelegramError):
        return  # Telegram itself failed: telling the person would most likely fail as well
    wiring = context.wiring
    hint = (user.language_code or "")[:2] if user else ""
    language = hint if hint in LANGUAGES else wiring.services.default_language
    try:
        text = wiring.renderer.render("errors/internal", language)
        await context.bot.send_message(chat.id, text, parse_mode="HTML")
    except TelegramError:
        log.warning("could not tell chat %s about the failure", chat.id)
