"""Fixtures for conversation tests: a real database loaded with examples/, a clock, people.

Every handler test goes through `handlers.router.handle` with these. `ChatUser` sends text
and presses buttons as one person in a private chat, and renders every reply (text and
button labels, in Telegram HTML and plain text) so a template that breaks on a real context
fails the test. Fixture names start with `chat_`.
"""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

import tests.support.use_case_steps as steps
from handlers.contract.events import ChatKind, IncomingEvent
from handlers.contract.services import Services
from handlers.router import handle
from messages import Renderer, TextStyle
from messages.replies import Reply
from messages.styles import validate_telegram_html
from purchasing.model import Commitment, Rep, Round
from spreadsheets import read_coops, read_products, read_suppliers
from storage.catalog.loading import upsert_catalog
from storage.commitment_reads import commitments_for_round
from storage.database import Database, open_database
from storage.people import reps
from tests.support import EXAMPLES
from tests.support.clock import Clock

# Tuesday 1 December 2026, 08:00 WIB.
STORY_START = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)
ROUND_NAME = "Belanja Bareng Desember"
ROUND_DAYS = 3


@dataclass
class ChatUser:
    """One person writing to the bot in their private chat."""

    services: Services
    renderer: Renderer
    user_id: str
    display_name: str
    platform: str = "telegram"
    language_hint: str | None = "id"
    chat_kind: ChatKind = ChatKind.PRIVATE
    rendered: list[str] = field(default_factory=list)
    message_ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    @property
    def actor(self) -> str:
        return f"{self.platform}:{self.user_id}"

    async def send(self, text: str) -> list[Reply]:
        return await self._handle(text=text)

    async def press(self, payload: str) -> list[Reply]:
        return await self._handle(payload=payload)

    async def _handle(self, text: str | None = None, payload: str | None = None) -> list[Reply]:
        event = IncomingEvent(
            platform=self.platform,
            user_id=self.user_id,
            display_name=self.display_name,
            chat_id=self.user_id,
            chat_kind=self.chat_kind,
            language_hint=self.language_hint,
            text=text,
            payload=payload,
            message_id=str(next(self.message_ids)),
        )
        replies = await handle(self.services, event)
        self.rendered = [render_reply(self.renderer, reply) for reply in replies]
        return replies

    @property
    def last_text(self) -> str:
        """The plain text of the replies to the last message, joined."""
        return "\n".join(self.rendered)


def render_reply(renderer: Renderer, reply: Reply) -> str:
    """Render a reply and its button labels (failing on a template error); plain text back."""
    html = renderer.render(reply.template, reply.language, reply.context, TextStyle.TELEGRAM_HTML)
    validate_telegram_html(html)
    for option in reply.flat_options:
        label = renderer.render_label(option.label, reply.language, option.label_context)
        assert label.strip() and "\n" not in label, (option.label, label)
    return renderer.render(reply.template, reply.language, reply.context, TextStyle.PLAIN)


def payloads(replies: Sequence[Reply]) -> list[str]:
    """Every button payload of these replies, in order."""
    return [option.payload for reply in replies for option in reply.flat_options]


def button(replies: Sequence[Reply], payload_prefix: str) -> str:
    """The one payload starting with `payload_prefix` (fails if none or several)."""
    found = [payload for payload in payloads(replies) if payload.startswith(payload_prefix)]
    assert len(found) == 1, (payload_prefix, payloads(replies))
    return found[0]


async def quantities(db: Database, round_id: int) -> dict[tuple[str, str], int]:
    """(coop, product) → quantity of every commitment of the round."""
    found: list[Commitment] = await commitments_for_round(db, round_id)
    return {(c.coop_code, c.product_code): c.quantity for c in found}


async def load_examples(db: Database) -> None:
    """The sample JUK data of examples/ (20 coops, 4 suppliers, 25 products)."""
    suppliers = read_suppliers(EXAMPLES / "pemasok.csv")
    products = read_products(EXAMPLES / "produk.csv", {s.code for s in suppliers})
    await upsert_catalog(db, read_coops(EXAMPLES / "koperasi.csv"), suppliers, products)


async def open_example_round(
    db: Database, now: datetime, product_codes: Sequence[str] | None = None, name: str = ROUND_NAME
) -> Round:
    """Create and open a round (all example products unless given), closing in ROUND_DAYS."""
    if product_codes is None:
        product_codes = [product.code for product in read_products(EXAMPLES / "produk.csv")]
    closes_at = now + timedelta(days=ROUND_DAYS)
    draft = await steps.create_round(db, name, now, closes_at, product_codes, now=now)
    return await steps.open_round(db, draft.id, now)


@pytest.fixture(scope="session")
def chat_renderer() -> Renderer:
    return Renderer()


@pytest.fixture
def chat_clock() -> Clock:
    return Clock(STORY_START)


@pytest.fixture
async def chat_db(tmp_path: Path) -> AsyncIterator[Database]:
    async with open_database(tmp_path / "belanja-bareng.sqlite3") as db:
        await load_examples(db)
        yield db


@pytest.fixture
def chat_services(chat_db: Database, chat_clock: Clock) -> Services:
    return Services(db=chat_db, now=chat_clock, default_language="id", catalog_page_size=8)


@pytest.fixture
async def chat_round(chat_db: Database, chat_clock: Clock) -> Round:
    """The open round offering every example product, closing in three days."""
    return await open_example_round(chat_db, chat_clock())


@pytest.fixture
async def chat_treasurer(
    chat_services: Services, chat_renderer: Renderer, chat_clock: Clock
) -> ChatUser:
    """Bu Siti, treasurer of Kopontren Daarut Tauhid (coop DT) and of no other coop."""
    rep = Rep("telegram", "5001", "DT", display_name="Bu Siti")
    await reps.add_rep(chat_services.db, rep, chat_clock())
    return ChatUser(chat_services, chat_renderer, "5001", "Bu Siti")


@pytest.fixture
def chat_stranger(chat_services: Services, chat_renderer: Renderer) -> ChatUser:
    """Pak Budi, who has not joined any coop yet."""
    return ChatUser(chat_services, chat_renderer, "5002", "Pak Budi")


@pytest.fixture
async def chat_admin(
    chat_services: Services, chat_renderer: Renderer, chat_clock: Clock
) -> ChatUser:
    """Mbak Rina, Dinas staff (an admin, not a rep)."""
    await reps.add_admin(chat_services.db, "telegram", "9001", "Mbak Rina", "config", chat_clock())
    return ChatUser(chat_services, chat_renderer, "9001", "Mbak Rina")
