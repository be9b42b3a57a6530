"""Proactive messages on WhatsApp: free text inside the 24-hour window, templates outside
it, the tier's daily limit, and the pace per person."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager
from datetime import timedelta
from pathlib import Path

import pytest

from bot.delivery.sender import Delivery
from bot.delivery.transport import MessageRejected, RecipientUnreachable, TransientDeliveryError
from bot.whatsapp.running import WhatsAppConnection, connect_whatsapp
from bot.whatsapp.settings import TemplateSpec, WhatsAppSettings
from bot.whatsapp.template_messages import SHOW_HELD
from handlers.contract.services import Services
from messages.outbox_codec import encode_reply
from messages.render import Renderer
from messages.replies import Option, Reply
from storage.delivery import outbox, whatsapp_sends
from storage.delivery.outbox import DeliveryStatus
from storage.people import preferences, reps
from tests.support.clock import Clock
from tests.support.fake_graph import FakeGraph
from tests.support.fake_graph.bot import whatsapp_config

SITI, BUDI = "6281234500001", "6281234500002"
OPENED = Reply(
    "announce_round_opened",
    {
        "round_id": 3,
        "round_name": "Belanja Bareng Desember",
        "closes_at": None,
        "product_count": 25,
        "delivery_note": "",
    },
    "id",
    ((Option("buttons/announce_catalog", payload="k:3:0"),),),
)

Connect = Callable[..., AbstractAsyncContextManager[WhatsAppConnection]]


@pytest.fixture
def opened(chat_clock: Clock) -> Reply:
    return Reply(
        OPENED.template,
        {**OPENED.context, "closes_at": chat_clock() + timedelta(days=3)},
        "id",
        OPENED.options,
    )


@pytest.fixture
async def connection(
    tmp_path: Path, chat_services: Services, chat_clock: Clock, fake_graph: FakeGraph
) -> AsyncIterator[WhatsAppConnection]:
    async with connected(tmp_path, chat_services, chat_clock, fake_graph) as made:
        yield made


def connected(
    tmp_path: Path,
    services: Services,
    clock: Clock,
    fake_graph: FakeGraph,
    *,
    daily_limit: int = 250,
    settings: WhatsAppSettings | None = None,
) -> AbstractAsyncContextManager[WhatsAppConnection]:
    return connect_whatsapp(
        whatsapp_config(tmp_path / "db.sqlite3", daily_limit=daily_limit),
        services.db,
        Renderer(),
        settings=settings or WhatsAppSettings(per_user_seconds=0.0),
        session=fake_graph.session(),
        clock=clock,
    )


async def queue(services: Services, to: str, reply: Reply, key: str) -> None:
    await outbox.enqueue(
        services.db, "whatsapp", to, "round_opened", encode_reply(reply), key, services.now()
    )


def sender(services: Services, connection: WhatsAppConnection) -> Delivery:
    return Delivery(services.db, {"whatsapp": connection.transport}, clock=services.now)


async def test_the_invite_link_is_built_from_the_numbers_display_phone_number(
    connection: WhatsAppConnection,
) -> None:
    assert connection.deep_link == "https://wa.me/6281234567890?text=/start%20{code}"


async def test_inside_the_window_an_announcement_is_free_text_with_its_button(
    connection: WhatsAppConnection, chat_services: Services, fake_graph: FakeGraph, opened: Reply
) -> None:
    await preferences.record_inbound(chat_services.db, "whatsapp", SITI, chat_services.now())
    await queue(chat_services, SITI, opened, "opened:siti")

    result = await sender(chat_services, connection).drain_once(chat_services.now())

    assert result.sent == 1
    (message,) = fake_graph.messages_to(SITI)
    assert message.type == "interactive" and "*Putaran Belanja Bareng Desember dibuka!*" in (
        message.text
    )
    assert message.choices == {"Lihat katalog": "k:3:0"}


async def test_outside_the_window_the_approved_template_goes_and_the_full_text_is_held(
    connection: WhatsAppConnection,
    chat_services: Services,
    chat_clock: Clock,
    fake_graph: FakeGraph,
    opened: Reply,
) -> None:
    await preferences.record_inbound(chat_services.db, "whatsapp", SITI, chat_clock())
    chat_clock.advance(timedelta(hours=24))
    await queue(chat_services, SITI, opened, "opened:siti")

    await sender(chat_services, connection).drain_once(chat_services.now())

    (message,) = fake_graph.messages_to(SITI)
    assert message.template["name"] == "belanja_putaran_dibuka"
    assert message.template["language"] == {"code": "id"}
    body, button = message.template["components"]
    assert [p["text"] for p in body["parameters"]] == [
        "Belanja Bareng Desember",
        "25",
        "Jumat, 4 Des 2026 08.00 WIB",
    ]
    assert button["parameters"] == [{"type": "payload", "payload": "k:3:0"}]
    (held,) = await whatsapp_sends.held_replies(chat_services.db, SITI)
    assert held["template"] == "announce_round_opened"


async def test_a_message_without_a_template_of_its_own_goes_as_the_default_template(
    connection: WhatsAppConnection, chat_services: Services, fake_graph: FakeGraph
) -> None:
    bill = Reply("announce_broadcast", {"text": "Rapat Kamis"}, "en")
    await queue(chat_services, SITI, bill, "broadcast:siti")

    await sender(chat_services, connection).drain_once(chat_services.now())

    (message,) = fake_graph.messages_to(SITI)
    assert message.template["name"] == "belanja_pengumuman"
    assert message.template["language"] == {"code": "en"}
    (button,) = message.template["components"]
    assert button["parameters"][0]["payload"] == SHOW_HELD


async def test_without_any_template_a_person_outside_the_window_is_unreachable_for_now(
    tmp_path: Path, chat_services: Services, chat_clock: Clock, fake_graph: FakeGraph, opened: Reply
) -> None:
    none = WhatsAppSettings(templates={}, per_user_seconds=0.0)
    await queue(chat_services, SITI, opened, "opened:siti")

    async with connected(tmp_path, chat_services, chat_clock, fake_graph, settings=none) as made:
        result = await sender(chat_services, made).drain_once(chat_services.now())

    assert result.unreachable == 1 and fake_graph.sent == []
    (row,) = await outbox.batch(chat_services.db, "round_opened", chat_clock())
    assert row.last_error == "outside_window"


async def test_over_the_daily_limit_a_template_waits_for_a_free_place_and_admins_hear_once(
    tmp_path: Path, chat_services: Services, chat_clock: Clock, fake_graph: FakeGraph, opened: Reply
) -> None:
    db = chat_services.db
    await reps.add_admin(db, "telegram", "9001", "Mbak Rina", "config", chat_clock())
    for who in (SITI, BUDI):
        await queue(chat_services, who, opened, f"opened:{who}")

    def templates_to() -> list[str]:
        return [message.to for message in fake_graph.sent if message.type == "template"]

    async with connected(tmp_path, chat_services, chat_clock, fake_graph, daily_limit=1) as made:
        await sender(chat_services, made).drain_once(chat_services.now())
        first = templates_to()
        chat_clock.advance(timedelta(hours=1))
        await sender(chat_services, made).drain_once(chat_services.now() + timedelta(days=1))
        again = templates_to()  # still full an hour later: still waiting
        chat_clock.advance(timedelta(hours=23))
        await sender(chat_services, made).drain_once(chat_services.now())

    assert first == again == [SITI]
    assert templates_to() == [SITI, BUDI]
    notices = await outbox.delivery_counts(db, kind_prefix="whatsapp_limit")
    assert sum(notices.values()) == 1  # one notice, though the limit was hit twice that day


async def test_a_second_template_to_the_same_person_that_day_takes_no_new_place(
    tmp_path: Path, chat_services: Services, chat_clock: Clock, fake_graph: FakeGraph, opened: Reply
) -> None:
    await queue(chat_services, SITI, opened, "opened:siti")
    await queue(chat_services, SITI, Reply("announce_broadcast", {"text": "x"}, "id"), "b:siti")

    async with connected(tmp_path, chat_services, chat_clock, fake_graph, daily_limit=1) as made:
        result = await sender(chat_services, made).drain_once(chat_services.now())

    assert result.sent == 2


async def test_one_person_gets_at_most_one_message_per_pace(
    tmp_path: Path, chat_services: Services, chat_clock: Clock, fake_graph: FakeGraph
) -> None:
    paced = WhatsAppSettings(per_user_seconds=6.0)
    await preferences.record_inbound(chat_services.db, "whatsapp", SITI, chat_clock())
    hello = Reply("announce_broadcast", {"text": "Halo"}, "id")

    async with connected(tmp_path, chat_services, chat_clock, fake_graph, settings=paced) as made:
        await made.transport.deliver(SITI, hello)
        with pytest.raises(TransientDeliveryError) as wait:
            await made.transport.deliver(SITI, hello)
        await made.transport.deliver(BUDI, hello)

    assert wait.value.retry_after is not None and 0 < wait.value.retry_after <= 6.0


@pytest.mark.parametrize(
    ("code", "expected", "retry_after"),
    [
        (131056, TransientDeliveryError, 6.0),
        (130429, TransientDeliveryError, 60.0),
        (131026, RecipientUnreachable, None),
        (131009, MessageRejected, None),
        (131000, TransientDeliveryError, None),
    ],
    ids=["pair rate", "rate limit", "undeliverable", "bad parameter", "unknown error"],
)
async def test_graph_api_errors_become_the_senders_words(
    connection: WhatsAppConnection,
    chat_services: Services,
    fake_graph: FakeGraph,
    code: int,
    expected: type[Exception],
    retry_after: float | None,
) -> None:
    await preferences.record_inbound(chat_services.db, "whatsapp", SITI, chat_services.now())
    fake_graph.fail_next(code)

    with pytest.raises(expected) as failed:
        await connection.transport.deliver(SITI, Reply("announce_broadcast", {"text": "x"}, "id"))

    assert getattr(failed.value, "retry_after", None) == retry_after


async def test_an_unreachable_graph_api_is_a_transient_failure(
    connection: WhatsAppConnection, chat_services: Services, fake_graph: FakeGraph
) -> None:
    await preferences.record_inbound(chat_services.db, "whatsapp", SITI, chat_services.now())
    fake_graph.unreachable = True

    with pytest.raises(TransientDeliveryError):
        await connection.transport.deliver(SITI, Reply("announce_broadcast", {"text": "x"}, "id"))


async def test_a_progress_message_is_sent_once_finished_instead_of_edited(
    connection: WhatsAppConnection, chat_services: Services, fake_graph: FakeGraph
) -> None:
    await preferences.record_inbound(chat_services.db, "whatsapp", SITI, chat_services.now())
    running = {"sent": 40, "failed": 2, "total": 100, "done": False}

    await connection.transport.edit(SITI, "wamid.1", Reply("delivery_progress", running, "id"))
    await connection.transport.edit(
        SITI, "wamid.1", Reply("delivery_progress", {**running, "done": True}, "id")
    )

    assert len(fake_graph.messages_to(SITI)) == 1


async def test_a_message_waiting_for_the_limit_is_held_and_waits_never_failed(
    tmp_path: Path, chat_services: Services, chat_clock: Clock, fake_graph: FakeGraph, opened: Reply
) -> None:
    for who in (SITI, BUDI):
        await queue(chat_services, who, opened, f"opened:{who}")

    async with connected(tmp_path, chat_services, chat_clock, fake_graph, daily_limit=1) as made:
        for _ in range(10):
            await sender(chat_services, made).drain_once(chat_services.now())

    db = chat_services.db
    statuses = await outbox.statuses_with_prefix(db, "opened:")
    assert sorted(statuses.values()) == [DeliveryStatus.SENT, DeliveryStatus.SENT]
    (held,) = await whatsapp_sends.held_replies(db, BUDI)  # he gets it as soon as he writes
    assert held["template"] == "announce_round_opened"
    waiting = await outbox.delivery_counts(db, kind_prefix="whatsapp_waiting")
    assert (waiting[DeliveryStatus.PENDING], waiting[DeliveryStatus.FAILED]) == (1, 0)


async def test_the_default_templates_button_only_shows_the_held_message(
    connection: WhatsAppConnection, chat_services: Services, fake_graph: FakeGraph
) -> None:
    extended = Reply("whatsapp/rendered", {"text": "Diperpanjang"}, "id", OPENED.options)

    await connection.transport.deliver(SITI, extended)

    (message,) = fake_graph.messages_to(SITI)
    assert message.template["name"] == "belanja_pesan_baru"
    assert message.template["components"][0]["parameters"][0]["payload"] == SHOW_HELD


async def test_a_template_language_meta_does_not_know_is_rejected_not_retried(
    tmp_path: Path, chat_services: Services, chat_clock: Clock, fake_graph: FakeGraph
) -> None:
    spec = TemplateSpec("belanja_pesan_baru", languages={"id": "bahasa"})
    odd = WhatsAppSettings(templates={"default": spec}, per_user_seconds=0.0)

    async with connected(tmp_path, chat_services, chat_clock, fake_graph, settings=odd) as made:
        with pytest.raises(MessageRejected):
            await made.transport.deliver(SITI, Reply("announce_broadcast", {"text": "x"}, "id"))

    assert fake_graph.sent == []


async def test_an_admins_workbook_is_uploaded_and_sent_as_a_document(
    connection: WhatsAppConnection, chat_services: Services, fake_graph: FakeGraph, tmp_path: Path
) -> None:
    workbook = tmp_path / "rekap-putaran-3.xlsx"
    workbook.write_bytes(b"PK\x03\x04 not really a workbook")
    await preferences.record_inbound(chat_services.db, "whatsapp", SITI, chat_services.now())
    reply = Reply("announce_broadcast", {"text": "Rekap"}, "id", attachment=workbook)

    await connection.transport.deliver(SITI, reply)

    (message,) = fake_graph.messages_to(SITI)
    assert message.type == "document" and "Rekap" in message.text
    assert message.body["document"]["id"] == fake_graph.uploads[0]
    assert message.body["document"]["filename"] == "rekap-putaran-3.xlsx"


async def test_the_bot_starts_while_the_graph_api_is_down_with_invites_without_a_link(
    tmp_path: Path, chat_services: Services, chat_clock: Clock, fake_graph: FakeGraph
) -> None:
    fake_graph.unreachable = True

    async with connected(tmp_path, chat_services, chat_clock, fake_graph) as made:
        assert made.deep_link == ""
