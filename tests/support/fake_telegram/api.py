"""The table of Bot API methods the fake serves (names are case-insensitive, as in Telegram)."""

from collections.abc import Awaitable, Callable

from tests.support.fake_telegram import methods_bot as bot
from tests.support.fake_telegram import methods_messages as messages
from tests.support.fake_telegram.state import BotState
from tests.support.fake_telegram.wire import ApiError, ApiRequest

Method = Callable[[BotState, ApiRequest], Awaitable[object]]

METHODS: dict[str, Method] = {
    name.lower(): method
    for name, method in {
        "getMe": bot.get_me,
        "getUpdates": bot.get_updates,
        "setWebhook": bot.set_webhook,
        "deleteWebhook": bot.delete_webhook,
        "getWebhookInfo": bot.get_webhook_info,
        "setMyCommands": bot.set_my_commands,
        "deleteMyCommands": bot.delete_my_commands,
        "getMyCommands": bot.get_my_commands,
        "getFile": bot.get_file,
        "close": bot.accept,
        "logOut": bot.accept,
        "sendMessage": messages.send_message,
        "sendDocument": messages.send_document,
        "sendPhoto": messages.send_photo,
        "editMessageText": messages.edit_message_text,
        "editMessageCaption": messages.edit_message_caption,
        "editMessageReplyMarkup": messages.edit_message_reply_markup,
        "deleteMessage": messages.delete_message,
        "answerCallbackQuery": messages.answer_callback_query,
        "sendChatAction": messages.send_chat_action,
        "getChat": messages.get_chat,
    }.items()
}


def method_named(name: str) -> Method:
    method = METHODS.get(name.lower())
    if method is None:
        raise ApiError(404, "Not Found")
    return method
