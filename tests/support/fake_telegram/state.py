"""Everything the fake Bot API remembers between requests."""

from collections.abc import Callable
from dataclasses import dataclass, field

from tests.support.fake_telegram.chats import ChatHistory, FakeUser
from tests.support.fake_telegram.faults import FaultPlan
from tests.support.fake_telegram.files import FileStore
from tests.support.fake_telegram.rate_limits import RateLimits
from tests.support.fake_telegram.updates import UpdateQueue


@dataclass
class Webhook:
    url: str = ""
    secret_token: str | None = None
    allowed_updates: list[str] | None = None
    max_connections: int = 40
    # What Telegram reports after a delivery to the webhook failed (a test sets them).
    last_error_message: str | None = None
    last_error_date: int | None = None


@dataclass
class CallbackQuery:
    """A button press the bot has to answer once."""

    id: str
    chat_id: int
    answered: bool = False
    answer: dict[str, object] | None = None


@dataclass
class BotState:
    bot: FakeUser
    limits: RateLimits
    wall_clock: Callable[[], float]
    history: ChatHistory = field(default_factory=ChatHistory)
    updates: UpdateQueue = field(default_factory=UpdateQueue)
    faults: FaultPlan = field(default_factory=FaultPlan)
    webhook: Webhook = field(default_factory=Webhook)
    commands: dict[tuple[str, str], list[dict[str, str]]] = field(default_factory=dict)
    callback_queries: dict[str, CallbackQuery] = field(default_factory=dict)
    files: FileStore = field(default_factory=FileStore)

    def now(self) -> int:
        return int(self.wall_clock())
