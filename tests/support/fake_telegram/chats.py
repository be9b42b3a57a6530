"""People, chats and the message history of each chat, as JSON the Bot API returns."""

import hashlib
from dataclasses import dataclass, field
from typing import Literal

from tests.support.fake_telegram.wire import UploadedFile

ChatType = Literal["private", "group", "supergroup"]


@dataclass(frozen=True)
class FakeUser:
    id: int
    first_name: str
    language_code: str | None = "id"
    last_name: str | None = None
    username: str | None = None
    is_bot: bool = False

    def to_json(self) -> dict[str, object]:
        data: dict[str, object] = {
            "id": self.id,
            "is_bot": self.is_bot,
            "first_name": self.first_name,
        }
        for name in ("last_name", "username", "language_code"):
            if (value := getattr(self, name)) is not None:
                data[name] = value
        return data


@dataclass(frozen=True)
class FakeChat:
    id: int
    type: ChatType = "private"
    title: str | None = None
    first_name: str | None = None
    username: str | None = None

    @classmethod
    def private_with(cls, user: FakeUser) -> "FakeChat":
        return cls(user.id, "private", first_name=user.first_name, username=user.username)

    def to_json(self) -> dict[str, object]:
        data: dict[str, object] = {"id": self.id, "type": self.type}
        for name in ("title", "first_name", "username"):
            if (value := getattr(self, name)) is not None:
                data[name] = value
        return data


@dataclass(frozen=True)
class MessageVersion:
    """What a message looked like before an edit."""

    text: str | None
    raw_text: str | None
    reply_markup: dict[str, object] | None


@dataclass(frozen=True)
class Button:
    text: str
    callback_data: str | None
    url: str | None


@dataclass
class SentMessage:
    """A message in a chat's history: `text` is what the user sees, `raw_text` what was sent."""

    message_id: int
    chat: FakeChat
    sender: FakeUser
    date: int
    text: str | None = None
    raw_text: str | None = None
    parse_mode: str | None = None
    entities: list[dict[str, object]] = field(default_factory=list)
    reply_markup: dict[str, object] | None = None
    document: UploadedFile | None = None  # the file sent, a photo's too
    photo: bool = False
    edit_date: int | None = None
    versions: list[MessageVersion] = field(default_factory=list)
    deleted: bool = False

    @property
    def chat_id(self) -> int:
        return self.chat.id

    @property
    def buttons(self) -> list[list[Button]]:
        rows = (self.reply_markup or {}).get("inline_keyboard")
        if not isinstance(rows, list):
            return []
        return [
            [Button(b["text"], b.get("callback_data"), b.get("url")) for b in row] for row in rows
        ]

    def callback_data_for(self, label: str) -> str:
        """The callback data of the button showing `label`, or of the one product button
        "`label` · name" when `label` is a product code (fails the test when absent)."""
        for row in self.buttons:
            for button in row:
                if button.text == label and button.callback_data is not None:
                    return button.callback_data
        named = [
            button.callback_data
            for row in self.buttons
            for button in row
            if button.text.startswith(f"{label} · ") and button.callback_data is not None
        ]
        if len(named) == 1:
            return named[0]
        labels = [button.text for row in self.buttons for button in row]
        raise AssertionError(f"no button {label!r} on message {self.message_id}: {labels}")

    def to_json(self) -> dict[str, object]:
        data: dict[str, object] = {
            "message_id": self.message_id,
            "from": self.sender.to_json(),
            "chat": self.chat.to_json(),
            "date": self.date,
        }
        if self.document is not None and self.photo:
            data["photo"] = [photo_json(self.document)]
            text_field, entities_field = "caption", "caption_entities"
        elif self.document is not None:
            data["document"] = document_json(self.document)
            text_field, entities_field = "caption", "caption_entities"
        else:
            text_field, entities_field = "text", "entities"
        if self.text is not None:
            data[text_field] = self.text
        if self.entities:
            data[entities_field] = self.entities
        if self.reply_markup is not None and "inline_keyboard" in self.reply_markup:
            data["reply_markup"] = self.reply_markup
        if self.edit_date is not None:
            data["edit_date"] = self.edit_date
        return data


def document_json(document: UploadedFile) -> dict[str, object]:
    digest = hashlib.sha256(document.filename.encode() + document.content).hexdigest()[:16]
    return {
        "file_id": f"DOC{digest}",
        "file_unique_id": f"U{digest}",
        "file_name": document.filename,
        "mime_type": document.content_type,
        "file_size": len(document.content),
    }


def photo_json(photo: UploadedFile) -> dict[str, object]:
    """The one size of a photo the fake keeps (Telegram sends several)."""
    found = document_json(photo)
    return {
        "file_id": found["file_id"],
        "file_unique_id": found["file_unique_id"],
        "width": 1080,
        "height": 1080,
        "file_size": found["file_size"],
    }


class ChatHistory:
    """Every message of every chat, numbered per chat as Telegram does."""

    def __init__(self) -> None:
        self._chats: dict[int, FakeChat] = {}
        self._messages: dict[int, list[SentMessage]] = {}

    def chat(self, chat_id: int) -> FakeChat:
        """The chat with this id; a chat never seen before is a private chat or a group."""
        if chat_id not in self._chats:
            self._chats[chat_id] = (
                FakeChat(chat_id, "private", first_name=f"User {chat_id}")
                if chat_id > 0
                else FakeChat(chat_id, "group", title=f"Group {chat_id}")
            )
        return self._chats[chat_id]

    def remember(self, chat: FakeChat) -> None:
        self._chats[chat.id] = chat

    def add(self, chat: FakeChat, sender: FakeUser, date: int) -> SentMessage:
        self.remember(chat)
        messages = self._messages.setdefault(chat.id, [])
        message = SentMessage(len(messages) + 1, chat, sender, date)
        messages.append(message)
        return message

    def find(self, chat_id: int, message_id: int) -> SentMessage | None:
        messages = self._messages.get(chat_id, [])
        if 1 <= message_id <= len(messages) and not messages[message_id - 1].deleted:
            return messages[message_id - 1]
        return None

    def messages(self, chat_id: int) -> list[SentMessage]:
        return [message for message in self._messages.get(chat_id, []) if not message.deleted]
