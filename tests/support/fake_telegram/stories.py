"""Updates a user causes: sending a text or a document, pressing an inline button.

Each builder also writes the user's side into the chat history, so message ids stay in one
sequence per chat as in Telegram. The result is the Update JSON without `update_id`.
"""

import re

from tests.support.fake_telegram.chats import FakeChat, FakeUser, SentMessage, document_json
from tests.support.fake_telegram.html_text import utf16_len
from tests.support.fake_telegram.state import BotState, CallbackQuery
from tests.support.fake_telegram.wire import UploadedFile

_COMMAND = re.compile(r"/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]+)?")


def command_entities(text: str) -> list[dict[str, object]]:
    """The bot_command entity Telegram adds when a text starts with /command."""
    match = _COMMAND.match(text)
    if match is None:
        return []
    return [{"type": "bot_command", "offset": 0, "length": utf16_len(match.group())}]


def text_update(
    state: BotState, user: FakeUser, text: str, chat: FakeChat | None = None
) -> dict[str, object]:
    chat = chat or FakeChat.private_with(user)
    message = state.history.add(chat, user, state.now())
    message.text = message.raw_text = text
    message.entities = command_entities(text)
    return {"message": message.to_json()}


def document_update(
    state: BotState, user: FakeUser, document: UploadedFile, chat: FakeChat | None = None
) -> dict[str, object]:
    """A document without caption; the file can then be fetched with getFile."""
    chat = chat or FakeChat.private_with(user)
    message = state.history.add(chat, user, state.now())
    message.document = document
    state.files.add(document)
    return {"message": message.to_json()}


def photo_update(state: BotState, user: FakeUser, photo: UploadedFile) -> dict[str, object]:
    """A photo (one size) without caption in the private chat; fetched with getFile."""
    message = state.history.add(FakeChat.private_with(user), user, state.now())
    state.files.add(photo)
    size = {k: v for k, v in document_json(photo).items() if k not in ("file_name", "mime_type")}
    return {"message": {**message.to_json(), "photo": [{**size, "width": 960, "height": 1280}]}}


def button_update(
    state: BotState, user: FakeUser, message: SentMessage, callback_data: str
) -> dict[str, object]:
    pressable = [button.callback_data for row in message.buttons for button in row]
    if callback_data not in pressable:
        raise AssertionError(
            f"message {message.message_id} has no button with data {callback_data!r}: {pressable}"
        )
    query = CallbackQuery(id=str(len(state.callback_queries) + 1), chat_id=message.chat_id)
    state.callback_queries[query.id] = query
    return {
        "callback_query": {
            "id": query.id,
            "from": user.to_json(),
            "message": message.to_json(),
            "chat_instance": str(message.chat_id),
            "data": callback_data,
        }
    }
