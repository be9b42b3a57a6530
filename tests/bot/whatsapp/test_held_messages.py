"""What waits for a person outside the 24-hour window, and when it goes.

At the close Bu Siti (DT) and Pak Dedi (KKPITB) have not written for three days. Each gets
ONE template for what the close queued for them (the bill; the round's result waits behind
it), and what waited arrives as ordinary messages as soon as they write. A message that
waits for a place of the daily business-initiated limit goes the same way: at once, as an
ordinary message, when its recipient writes.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from bot.config import Config
from handlers.contract.services import Services
from messages.outbox_codec import encode_reply
from messages.replies import Reply
from purchasing.model import Rep, Round
from storage.delivery import outbox
from storage.delivery.outbox import DeliveryStatus
from storage.people import reps
from tests.support.clock import Clock
from tests.support.fake_graph import FakeGraph, FakeUser, Sent, failed_status
from tests.support.fake_graph.bot import whatsapp_running
from tests.support.fake_graph.phone import Phone
from usecases.sweeps import close_due_rounds, send_due_reminders

SITI = FakeUser("6281234500001", "Bu Siti")  # treasurer of DT
DEDI = FakeUser("6281234500002", "Pak Dedi")  # treasurer of KKPITB
BUDI = FakeUser("6281234500003", "Pak Budi")  # anyone else on WhatsApp
CLOSE = timedelta(days=3, minutes=1)


@pytest.fixture
async def treasurers(chat_services: Services, chat_clock: Clock, chat_round: Round) -> Round:
    """The open round; Siti and Dedi are its treasurers on WhatsApp."""
    db, now = chat_services.db, chat_clock()
    await reps.add_rep(db, Rep("whatsapp", SITI.wa_id or "", "DT", display_name=SITI.name), now)
    await reps.add_rep(db, Rep("whatsapp", DEDI.wa_id or "", "KKPITB", display_name=DEDI.name), now)
    return chat_round


def templates(messages: list[Sent]) -> list[str]:
    return [str(message.template["name"]) for message in messages if message.type == "template"]


async def broadcast(services: Services, user: FakeUser, text: str = "Rapat Kamis") -> None:
    """Queue a broadcast to `user` now (as /siarkan would)."""
    now, reply = services.now(), Reply("announce_broadcast", {"text": text}, "id")
    key = f"broadcast:{now.isoformat()}:{user.wa_id}"
    await outbox.enqueue(
        services.db, "whatsapp", user.wa_id or "", "broadcast", encode_reply(reply), key, now
    )


def limited_to(config: Config, places: int) -> Config:
    return replace(config, whatsapp=replace(config.whatsapp, business_daily_limit=places))


async def test_at_the_close_a_treasurer_gets_one_template_and_the_rest_when_she_opens_it(
    wa_config: Config,
    chat_services: Services,
    chat_clock: Clock,
    treasurers: Round,
    fake_graph: FakeGraph,
) -> None:
    async with whatsapp_running(wa_config, chat_services, fake_graph) as bot:
        siti = Phone(SITI, bot, fake_graph)
        await siti.write("GLP-50 6")
        await bot.drain()
        siti.unread()

        chat_clock.advance(CLOSE)  # her window has closed
        await close_due_rounds(chat_services, chat_clock())
        await bot.drain()
        at_close = siti.unread()
        await siti.open(at_close[0])
        await bot.drain()
        opened = siti.unread()

    assert templates(at_close) == ["belanja_tagihan"]  # not also "belanja_pesan_baru"
    assert templates(opened) == []
    [bill] = [message for message in opened if message.type == "document"]
    assert "*Tagihan Kopontren Daarut Tauhid*" in bill.text
    [result] = [message for message in opened if message is not bill]
    assert f"*Putaran {treasurers.name} ditutup*" in result.text
    assert fake_graph.refused == []


async def test_a_reminder_held_behind_its_template_is_dropped_when_the_round_closes(
    wa_config: Config,
    chat_services: Services,
    chat_clock: Clock,
    treasurers: Round,
    fake_graph: FakeGraph,
) -> None:
    async with whatsapp_running(wa_config, chat_services, fake_graph) as bot:
        siti = Phone(SITI, bot, fake_graph)
        await siti.write("GLP-50 6")
        await bot.drain()
        siti.unread()

        chat_clock.now = treasurers.closes_at - timedelta(hours=2)  # her window has closed
        await send_due_reminders(chat_services, chat_clock())
        await bot.drain()
        reminded = siti.unread()  # the reminder's template; the reminder waits behind it
        chat_clock.now = treasurers.closes_at + timedelta(minutes=1)
        await close_due_rounds(chat_services, chat_clock())
        await bot.drain()
        at_close = siti.unread()
        await siti.open(at_close[0])  # two hours later she opens the bill's template
        await bot.drain()
        opened = siti.unread()

    assert templates(reminded) == ["belanja_pengingat_pesanan"]
    assert templates(at_close) == ["belanja_tagihan"]
    assert [message for message in opened if message.type == "document"]  # her bill
    assert not [message for message in opened if "Pesan paling lambat" in message.text]
    assert fake_graph.refused == []


async def test_a_message_queued_later_than_the_template_gets_its_own(
    wa_config: Config, chat_services: Services, chat_clock: Clock, fake_graph: FakeGraph
) -> None:
    async with whatsapp_running(wa_config, chat_services, fake_graph) as bot:
        await broadcast(chat_services, SITI, "Rapat Kamis")
        await bot.drain()
        chat_clock.advance(timedelta(hours=2))  # Siti has not opened the first one
        await broadcast(chat_services, SITI, "Rapat ditunda")
        await bot.drain()

    assert templates(fake_graph.messages_to(SITI.wa_id or "")) == ["belanja_pengumuman"] * 2


async def test_a_template_meta_reports_failed_does_not_hold_back_what_follows(
    wa_config: Config, chat_services: Services, chat_clock: Clock, fake_graph: FakeGraph
) -> None:
    async with whatsapp_running(wa_config, chat_services, fake_graph) as bot:
        await broadcast(chat_services, SITI, "Rapat Kamis")
        await bot.drain()
        [throttled] = fake_graph.messages_to(SITI.wa_id or "")
        assert await bot.send(failed_status(throttled, 130429)) == 200  # due again in a minute
        chat_clock.advance(timedelta(minutes=2))
        await bot.drain()

    assert templates(fake_graph.messages_to(SITI.wa_id or "")) == ["belanja_pengumuman"] * 2


async def test_a_bill_waiting_for_the_daily_limit_goes_as_a_message_once_he_writes(
    wa_config: Config,
    chat_services: Services,
    chat_clock: Clock,
    treasurers: Round,
    fake_graph: FakeGraph,
) -> None:
    async with whatsapp_running(limited_to(wa_config, 1), chat_services, fake_graph) as bot:
        siti, dedi = Phone(SITI, bot, fake_graph), Phone(DEDI, bot, fake_graph)
        await siti.write("GLP-50 6")
        await dedi.write("GLP-50 4")
        await bot.drain()
        siti.unread(), dedi.unread()

        chat_clock.advance(CLOSE)
        await broadcast(chat_services, BUDI)  # Budi's template takes the day's only place
        await bot.drain()
        await close_due_rounds(chat_services, chat_clock())
        await bot.drain()  # the bills wait for a place
        siti_at_close, dedi_at_close = siti.unread(), dedi.unread()
        chat_clock.advance(timedelta(hours=1))
        answered = await dedi.write("/bantuan")  # his window opens: what waited goes now
        await bot.drain()
        dedi_after = dedi.unread()

        chat_clock.advance(timedelta(hours=23))  # Budi's place frees up
        await bot.drain()
        siti_later, dedi_later = siti.unread(), dedi.unread()

    assert siti_at_close == dedi_at_close == []
    assert templates(answered + dedi_after) == []
    [bill] = [message for message in dedi_after if message.type == "document"]
    assert "*Tagihan Koperasi Keluarga Pegawai (KKP) ITB*" in bill.text
    assert bill.body["document"]["filename"] == f"tagihan-{treasurers.id}-KKPITB.pdf"
    assert templates(siti_later) == ["belanja_tagihan"] and dedi_later == []
    waiting = await outbox.delivery_counts(chat_services.db, kind_prefix="whatsapp_waiting")
    assert waiting[DeliveryStatus.PENDING] == waiting[DeliveryStatus.FAILED] == 0
    assert fake_graph.refused == []
