"""`FakeTelegram`: the fake Bot API as a test sees it.

Start it (`async with FakeTelegram() as fake`), point the real Application at `base_url`,
then play the users (`send_text`, `send_document`, `press_button`), wait for the bot's
replies without sleeping (`wait_for_call`, `wait_for_message`), read what was sent
(`messages_to`, `calls`, `errors`, `downloads`) and plan failures (`fail_next`,
`block_chat`, `rate_limits.enable`).
"""

import mimetypes
import time
from collections.abc import Callable
from types import TracebackType
from typing import TYPE_CHECKING, Self

import aiohttp
from telegram.ext import Application

from tests.support.fake_telegram import stories
from tests.support.fake_telegram.chats import FakeChat, FakeUser, SentMessage
from tests.support.fake_telegram.faults import FaultKind
from tests.support.fake_telegram.methods_bot import menu_key
from tests.support.fake_telegram.rate_limits import RateLimits
from tests.support.fake_telegram.recorder import Call, CallLog, CallPredicate, ErrorAnswer
from tests.support.fake_telegram.state import BotState, Webhook
from tests.support.fake_telegram.transport import BotApiServer
from tests.support.fake_telegram.wire import UploadedFile

if TYPE_CHECKING:
    from telegram.ext._applicationbuilder import InitApplicationBuilder

DEFAULT_TOKEN = "123456:TEST-fake-telegram-token"
MAX_HOLD_SECONDS = 30.0


class FakeTelegram:
    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        *,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], float] = time.time,
        bot_username: str = "belanja_bareng_test_bot",
        max_hold: float = MAX_HOLD_SECONDS,
        response_delay: float = 0.0,
    ) -> None:
        """`response_delay`: seconds every request travels before it is handled, as a round
        trip to Telegram would take (benchmarks; 0, the default, adds no wait at all)."""
        self.token = token
        self.clock = clock
        self.rate_limits = RateLimits(clock)
        bot = FakeUser(
            int(token.split(":")[0]), "Belanja Bareng", None, username=bot_username, is_bot=True
        )
        self.state = BotState(bot=bot, limits=self.rate_limits, wall_clock=wall_clock)
        self.log = CallLog()
        self.server = BotApiServer(token, self.state, self.log, clock, max_hold)
        self.server.response_delay = response_delay

    async def start(self) -> None:
        await self.server.start()

    async def close(self) -> None:
        await self.server.close()

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.port}/bot"

    @property
    def base_file_url(self) -> str:
        return f"http://127.0.0.1:{self.server.port}/file/bot"

    def application_builder(self) -> "InitApplicationBuilder":
        """An ApplicationBuilder pointed at this server (token, URLs) with short timeouts."""
        return (
            Application.builder()
            .token(self.token)
            .base_url(self.base_url)
            .base_file_url(self.base_file_url)
            .read_timeout(2.0)
            .get_updates_read_timeout(2.0)
        )

    # -- what the bot did --------------------------------------------------------------------

    @property
    def calls(self) -> list[Call]:
        return self.log.calls

    @property
    def errors(self) -> list[ErrorAnswer]:
        """Every error answered (400, 403, 429, 502, ...), in order."""
        return self.log.errors

    @property
    def bad_requests(self) -> list[ErrorAnswer]:
        return [error for error in self.log.errors if error.status == 400]

    @property
    def too_many_requests(self) -> int:
        return self.rate_limits.refused

    @property
    def webhook(self) -> Webhook:
        return self.state.webhook

    def calls_to(self, method: str) -> list[Call]:
        return [call for call in self.log.calls if call.method.lower() == method.lower()]

    def messages_to(self, chat_id: int) -> list[SentMessage]:
        """The bot's messages in this chat, oldest first, as they look now."""
        bot = self.state.bot
        return [m for m in self.state.history.messages(chat_id) if m.sender == bot]

    def chat_history(self, chat_id: int) -> list[SentMessage]:
        """Every message in this chat, the users' and the bot's."""
        return self.state.history.messages(chat_id)

    @property
    def downloads(self) -> list[str]:
        """The file_path of every file the bot downloaded, in order."""
        return self.state.files.downloads

    def commands(
        self, scope: dict[str, object] | None = None, language_code: str = ""
    ) -> list[dict[str, str]]:
        """The command menu the bot set for this scope and language."""
        return self.state.commands.get(menu_key(scope, language_code), [])

    def callback_answer(self, update: dict[str, object]) -> dict[str, object] | None:
        """How the bot answered the button press in `update` (None while unanswered)."""
        query = update.get("callback_query")
        query_id = query.get("id") if isinstance(query, dict) else None
        known = self.state.callback_queries.get(str(query_id))
        return known.answer if known is not None else None

    def mark(self) -> int:
        """Start waiting from here: later `wait_for_*` calls ignore earlier calls."""
        return self.log.set_mark()

    async def wait_for_call(
        self,
        method: str,
        predicate: CallPredicate | None = None,
        *,
        timeout: float = 5.0,  # noqa: ASYNC109 -- a deadline for the bot, read by the test
        since: int | None = None,
    ) -> Call:
        """The first answered call to `method` since the last user action (or `since`)."""
        return await self.log.wait_for(method, predicate, timeout, since)

    async def wait_until_polling(self, timeout: float = 5.0) -> None:  # noqa: ASYNC109
        """Until the bot is inside a long poll, so the next update must wake it."""
        await self.log.wait_for_in_flight("getUpdates", timeout)

    async def wait_for_message(
        self,
        chat_id: int,
        *,
        timeout: float = 5.0,  # noqa: ASYNC109 -- a deadline for the bot, read by the test
        since: int | None = None,
    ) -> SentMessage:
        """The first message the bot sent to `chat_id` since the last user action."""
        call = await self.wait_for_call(
            "sendMessage",
            lambda call: call.ok and call.params.get("chat_id") == chat_id,
            timeout=timeout,
            since=since,
        )
        assert isinstance(call.result, dict)
        message = self.state.history.find(chat_id, int(call.result["message_id"]))
        assert message is not None
        return message

    # -- what the users do --------------------------------------------------------------------

    def user(self, id: int, first_name: str = "Siti", language_code: str | None = "id") -> FakeUser:
        user = FakeUser(id, first_name, language_code)
        self.state.history.remember(FakeChat.private_with(user))
        return user

    def group(self, id: int, title: str = "JUK Bandung") -> FakeChat:
        chat = FakeChat(id, "group", title=title)
        self.state.history.remember(chat)
        return chat

    def text_update(
        self, user: FakeUser, text: str, chat: FakeChat | None = None
    ) -> dict[str, object]:
        """The Update for `user` sending `text`, not queued (post it to a webhook yourself)."""
        return self.state.updates.stamp(stories.text_update(self.state, user, text, chat))

    def document_update(
        self,
        user: FakeUser,
        file_name: str,
        content: bytes,
        mime_type: str | None = None,
        chat: FakeChat | None = None,
    ) -> dict[str, object]:
        """The Update for `user` sending a file (MIME type guessed from the name), not queued."""
        kind = mime_type or mimetypes.guess_type(file_name)[0] or "application/octet-stream"
        document = UploadedFile("document", file_name, content, kind)
        return self.state.updates.stamp(stories.document_update(self.state, user, document, chat))

    def button_update(
        self, user: FakeUser, message: SentMessage, callback_data: str
    ) -> dict[str, object]:
        """The Update for `user` pressing a button of `message`, not queued."""
        body = stories.button_update(self.state, user, message, callback_data)
        return self.state.updates.stamp(body)

    async def send_text(
        self, user: FakeUser, text: str, chat: FakeChat | None = None
    ) -> dict[str, object]:
        """`user` sends `text`: the Update is queued for getUpdates and returned."""
        return self._queue(self.text_update(user, text, chat))

    async def send_document(
        self,
        user: FakeUser,
        file_name: str,
        content: bytes,
        mime_type: str | None = None,
        chat: FakeChat | None = None,
    ) -> dict[str, object]:
        """`user` sends the file `file_name` holding `content`: the Update is queued."""
        return self._queue(self.document_update(user, file_name, content, mime_type, chat))

    async def send_photo(self, user: FakeUser, content: bytes) -> dict[str, object]:
        """`user` sends a picture (not as a file) in the private chat: the Update is queued."""
        photo = UploadedFile("photo", "photo.jpg", content, "image/jpeg")
        return self._queue(self.state.updates.stamp(stories.photo_update(self.state, user, photo)))

    async def press_button(
        self, user: FakeUser, message: SentMessage, callback_data: str
    ) -> dict[str, object]:
        """`user` presses the button carrying `callback_data` under `message`."""
        return self._queue(self.button_update(user, message, callback_data))

    def _queue(self, update: dict[str, object]) -> dict[str, object]:
        self.log.set_mark()
        self.state.updates.put(update)
        return update

    async def deliver_to_webhook(self, update: dict[str, object]) -> int:
        """POST `update` to the webhook the bot set, as Telegram does; returns the status."""
        if not self.state.webhook.url:
            raise AssertionError("the bot has not set a webhook")
        self.log.set_mark()
        headers = {}
        if self.state.webhook.secret_token is not None:
            headers["X-Telegram-Bot-Api-Secret-Token"] = self.state.webhook.secret_token
        async with (
            aiohttp.ClientSession() as session,
            session.post(self.state.webhook.url, json=update, headers=headers) as response,
        ):
            return response.status

    # -- what goes wrong ---------------------------------------------------------------------

    def fail_next(self, method: str, kind: FaultKind, times: int = 1) -> None:
        """The next `times` calls to `method` fail with `kind` (see faults.FaultKind)."""
        self.state.faults.fail_next(method, kind, times)

    def block_chat(self, chat_id: int) -> None:
        """The user blocked the bot: every call to this chat answers 403 from now on."""
        self.state.faults.block_chat(chat_id)

    def unblock_chat(self, chat_id: int) -> None:
        self.state.faults.unblock_chat(chat_id)

    def lose_chat(self, chat_id: int) -> None:
        """The chat is gone (deleted account, bot removed): 400 "chat not found" from now on."""
        self.state.faults.lose_chat(chat_id)
