"""A fake Telegram Bot API on 127.0.0.1 for tests that run the real python-telegram-bot."""

from tests.support.fake_telegram.chats import (
    Button,
    FakeChat,
    FakeUser,
    MessageVersion,
    SentMessage,
)
from tests.support.fake_telegram.faults import FaultKind
from tests.support.fake_telegram.recorder import Call, ErrorAnswer
from tests.support.fake_telegram.server import DEFAULT_TOKEN, FakeTelegram
from tests.support.fake_telegram.wire import UploadedFile

__all__ = [
    "DEFAULT_TOKEN",
    "Button",
    "Call",
    "ErrorAnswer",
    "FakeChat",
    "FakeTelegram",
    "FakeUser",
    "FaultKind",
    "MessageVersion",
    "SentMessage",
    "UploadedFile",
]
