"""Meta's later "failed" statuses, posted signed to the real webhook over HTTP: a message
the Graph API took goes again as a template, its person is reported unreachable, or it
waits and goes again; a repeated status or an unknown code changes nothing."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import timedelta

import pytest

from bot.config import Config
from bot.whatsapp import failures
from bot.whatsapp.template_messages import SHOW_HELD
from handlers.contract.services import Services
from messages.outbox_codec import encode_reply
from messages.replies import Reply
from purchasing.model import Rep, Round
from storage.delivery import outbox, whatsapp_sends
from storage.delivery.outbox import DeliveryStatus, OutboxMessage
from storage.people import reps
from tests.support.clock import Clock
from tests.support.fake_graph import FakeGraph, FakeUser, Sent, failed_status
from tests.support.fake_graph.bot import RunningWhatsApp, whatsapp_running
from usecases.sweeps import close_due_rounds

SITI = FakeUser("6281234500001", "Bu Siti")
BUDI = "6281234500002"
NOTICE_KIND = "delivery_undelivered"


@pytest.fixture
async def admins(chat_services: Services, chat_clock: Clock) -> list[str]:
    """Mbak Rina on Telegram and Pak Dedi on WhatsApp, both Dinas staff."""
    await reps.add_admin(chat_services.db, "telegram", "9001", "Mbak Rina", "config", chat_clock())
    await reps.add_admin(chat_services.db, "whatsapp", "6281234509999", "Pak Dedi", "config",
                         chat_clock())  # fmt: skip
    return ["telegram:9001", "whatsapp:6281234509999"]


async def queue_broadcast(services: Services, to: list[str], text: str) -> None:
    """One staff broadcast to `to` ("platform:id", or a WhatsApp id), queued as one batch."""
    reply = encode_reply(Reply("announce_broadcast", {"text": text}, "id"))
    async with services.db.transaction() as conn:
        for user in to:
            platform, _, chat = user.rpartition(":")
            await outbox.enqueue(
                conn, platform or "whatsapp", chat, "broadcast", reply, f"broadcast:1:{user}",
                services.now(),
            )  # fmt: skip


async def rows(services: Services, kind: str) -> list[OutboxMessage]:
    async with services.db.read() as conn:
        ids = await conn.fetch_all("SELECT id FROM outbox WHERE kind = ? ORDER BY id", (kind,))
    found = [await outbox.get_message(services.db, row["id"]) for row in ids]
    return [row for row in found if row is not None]


async def everything(services: Services) -> list[tuple[object, ...]]:
    """Every outbox row and held reply as it stands (to compare before and after)."""
    async with services.db.read() as conn:
        queued = await conn.fetch_all("SELECT * FROM outbox ORDER BY id")
        held = await conn.fetch_all("SELECT * FROM whatsapp_held_replies ORDER BY id")
    return [tuple(row) for row in queued] + [tuple(row) for row in held]


async def fail(bot: RunningWhatsApp, sent: Sent, code: int) -> None:
    assert await bot.send(failed_status(sent, code)) == 200


async def test_a_bill_sent_outside_the_window_comes_back_131047_and_goes_out_again_as_the_approved_template(  # noqa: E501
    wa_config: Config,
    chat_services: Services,
    chat_clock: Clock,
    chat_round: Round,
    fake_graph: FakeGraph,
) -> None:
    db = chat_services.db
    await reps.add_rep(db, Rep("whatsapp", SITI.wa_id or "", "DT"), chat_clock())

    async with whatsapp_running(wa_config, chat_services, fake_graph) as bot:
        await bot.send(SITI.text("IDM-GRG 3"))  # no MOQ: her bill is the first message at close
        chat_clock.advance(timedelta(days=3) - timedelta(minutes=30))
        await bot.send(SITI.text("/bantuan"))  # by our records her window is open at close
        chat_clock.advance(timedelta(minutes=31))
        assert len(await close_due_rounds(chat_services, chat_clock())) == 1
        before = len(fake_graph.messages_to(SITI.wa_id or ""))
        await bot.drain()
        at_close = fake_graph.messages_to(SITI.wa_id or "")[before:]
        assert at_close and all(message.type != "template" for message in at_close)
        [bill] = [m for m in at_close if "*Tagihan Kopontren Daarut Tauhid*" in m.text]

        for message in at_close:  # she had not written for 24 hours by Meta's reckoning
            await fail(bot, message, 131047)
        [returned] = await rows(chat_services, "summary_bill")
        assert returned.status is DeliveryStatus.PENDING
        assert returned.last_error == "131047: Re-engagement message"
        await bot.drain()
        again = fake_graph.messages_to(SITI.wa_id or "")[before + len(at_close) :]

        await bot.send(SITI.quick_reply(SHOW_HELD))  # "Tampilkan"
        await bot.drain()
        shown = fake_graph.messages_to(SITI.wa_id or "")[before + len(at_close) + len(again) :]

    assert all(message.type == "template" for message in again)
    [template] = [m for m in again if m.template["name"] == "belanja_tagihan"]
    round_name, coop_name, total = (
        p["text"] for p in template.template["components"][0]["parameters"]
    )
    assert (round_name, coop_name) == (chat_round.name, "Kopontren Daarut Tauhid")
    assert f"Total: *{total}*" in bill.text
    [sent_again] = await rows(chat_services, "summary_bill")
    assert sent_again.status is DeliveryStatus.SENT
    assert [m.text for m in shown if "*Tagihan Kopontren" in m.text] == [bill.text]
    assert await whatsapp_sends.held_replies(db, SITI.wa_id or "") == []
    assert fake_graph.refused == []


async def test_a_number_not_on_whatsapp_is_reported_unreachable_to_the_admins_once(
    wa_config: Config, chat_services: Services, fake_graph: FakeGraph, admins: list[str]
) -> None:
    await queue_broadcast(chat_services, [SITI.wa_id or "", BUDI], "Rapat Kamis jam 9")

    async with whatsapp_running(wa_config, chat_services, fake_graph) as bot:
        await bot.drain()
        [to_budi] = fake_graph.messages_to(BUDI)
        assert to_budi.template["name"] == "belanja_pengumuman"  # never wrote: a template
        await fail(bot, to_budi, 131026)
        await fail(bot, to_budi, 131026)

    by_chat = {row.chat_id: row for row in await rows(chat_services, "broadcast")}
    assert by_chat[BUDI].status is DeliveryStatus.UNREACHABLE
    assert by_chat[BUDI].last_error == "131026: Message undeliverable"
    assert by_chat[SITI.wa_id or ""].status is DeliveryStatus.SENT
    notices = await rows(chat_services, NOTICE_KIND)
    assert sorted(f"{n.platform}:{n.chat_id}" for n in notices) == admins
    for notice in notices:
        context = notice.payload["context"]
        assert (context["count"], context["total"]) == (1, 2)
        assert [(r["chat_id"], r["reason"]) for r in context["recipients"]] == [
            (BUDI, "unreachable")
        ]


async def test_a_failure_reported_after_the_batchs_notice_went_is_still_told_once(
    wa_config: Config, chat_services: Services, fake_graph: FakeGraph, admins: list[str]
) -> None:
    # Pak Joko on Telegram, which this bot does not serve: at once the batch's notice goes.
    await queue_broadcast(chat_services, ["telegram:5003", BUDI], "Rapat Kamis jam 9")

    async with whatsapp_running(wa_config, chat_services, fake_graph) as bot:
        await bot.drain()
        first = await rows(chat_services, NOTICE_KIND)
        [to_budi] = fake_graph.messages_to(BUDI)
        await fail(bot, to_budi, 131050)
        await fail(bot, to_budi, 131050)

    assert len(first) == len(admins)
    notices = await rows(chat_services, NOTICE_KIND)
    late = [notice for notice in notices if notice.id not in {n.id for n in first}]
    assert len(late) == len(admins)
    assert all(n.payload["context"]["recipients"][0]["chat_id"] == BUDI for n in late)


async def test_a_duplicate_status_changes_nothing(
    wa_config: Config, chat_services: Services, chat_clock: Clock, fake_graph: FakeGraph
) -> None:
    async with whatsapp_running(wa_config, chat_services, fake_graph) as bot:
        await bot.send(SITI.text("/bantuan"))
        chat_clock.advance(timedelta(minutes=5))
        await queue_broadcast(chat_services, [SITI.wa_id or ""], "Rapat Kamis jam 9")
        await bot.drain()
        text = fake_graph.messages_to(SITI.wa_id or "")[-1]
        assert text.type == "text" and "Rapat Kamis" in text.text

        await fail(bot, text, 131047)
        after_first = await everything(chat_services)
        await fail(bot, text, 131047)
        assert await everything(chat_services) == after_first

        await bot.drain()
        after_resend = await everything(chat_services)
        await fail(bot, text, 131047)
        await bot.drain()
        assert await everything(chat_services) == after_resend

    templates = [m for m in fake_graph.messages_to(SITI.wa_id or "") if m.type == "template"]
    assert [m.template["name"] for m in templates] == ["belanja_pengumuman"]
    assert len(await whatsapp_sends.held_replies(chat_services.db, SITI.wa_id or "")) == 1


async def test_an_unknown_code_is_logged_with_the_message_id_and_changes_nothing(
    wa_config: Config,
    chat_services: Services,
    fake_graph: FakeGraph,
    caplog: pytest.LogCaptureFixture,
) -> None:
    async with whatsapp_running(wa_config, chat_services, fake_graph) as bot:
        await queue_broadcast(chat_services, [SITI.wa_id or ""], "Rapat Kamis jam 9")
        await bot.drain()
        [template] = fake_graph.messages_to(SITI.wa_id or "")
        before = await everything(chat_services)
        with caplog.at_level(logging.WARNING, logger="bot.whatsapp"):
            await fail(bot, template, 135000)
        await bot.drain()
        after = await everything(chat_services)

    assert after == before
    assert len(fake_graph.sent) == 1
    assert any(
        template.id in record.getMessage() and "135000" in record.getMessage()
        for record in caplog.records
    )


async def test_a_message_meta_throttled_goes_again_after_the_pause(
    wa_config: Config, chat_services: Services, chat_clock: Clock, fake_graph: FakeGraph
) -> None:
    async with whatsapp_running(wa_config, chat_services, fake_graph) as bot:
        await bot.send(SITI.text("/bantuan"))
        await queue_broadcast(chat_services, [SITI.wa_id or ""], "Rapat Kamis jam 9")
        await bot.drain()
        first = fake_graph.messages_to(SITI.wa_id or "")[-1]
        await fail(bot, first, 130429)
        too_soon = await bot.drain()
        chat_clock.advance(timedelta(seconds=61))
        later = await bot.drain()

    [row] = await rows(chat_services, "broadcast")
    assert (too_soon.sent, later.sent) == (0, 1)
    assert row.status is DeliveryStatus.SENT and row.attempts == 2
    again = fake_graph.messages_to(SITI.wa_id or "")[-1]
    assert again.type == "text" and again.text == first.text and again.id != first.id


async def test_a_message_that_keeps_failing_stops_after_the_senders_attempts(
    wa_config: Config,
    chat_services: Services,
    chat_clock: Clock,
    fake_graph: FakeGraph,
    admins: list[str],
) -> None:
    five_tries = replace(wa_config, sending=replace(wa_config.sending, max_attempts=5))
    async with whatsapp_running(five_tries, chat_services, fake_graph) as bot:
        await bot.send(SITI.text("/bantuan"))
        await queue_broadcast(chat_services, [SITI.wa_id or ""], "Rapat Kamis jam 9")
        for _ in range(8):
            await bot.drain()
            await fail(bot, fake_graph.messages_to(SITI.wa_id or "")[-1], 131056)
            chat_clock.advance(timedelta(hours=1))

    [row] = await rows(chat_services, "broadcast")
    assert row.status is DeliveryStatus.FAILED
    assert len(await rows(chat_services, NOTICE_KIND)) == len(admins)


async def test_a_status_that_overtakes_the_senders_mark_is_asked_for_again_and_then_acted_on(
    wa_config: Config, chat_services: Services, chat_clock: Clock, fake_graph: FakeGraph
) -> None:
    db = chat_services.db
    async with whatsapp_running(wa_config, chat_services, fake_graph) as bot:
        await bot.send(SITI.text("/bantuan"))
        chat_clock.advance(timedelta(minutes=5))
        await queue_broadcast(chat_services, [SITI.wa_id or ""], "Rapat Kamis jam 9")
        [row] = await rows(chat_services, "broadcast")
        # Where the sender stands between Graph's answer and marking the row: the message
        # id is recorded (transport), the row not marked sent yet (sender).
        sent = Sent(SITI.wa_id or "", "text", {"text": {"body": "Rapat"}}, id="wamid.early")
        await whatsapp_sends.record_sent(db, SITI.wa_id or "", [sent.id], "text", chat_clock())

        too_early = await bot.send(failed_status(sent, 131047))
        unchanged = await outbox.get_message(db, row.id)
        await outbox.mark_sent(db, row.id, chat_clock(), sent_message_id=sent.id)
        again = await bot.send(failed_status(sent, 131047))  # Meta delivers it again

    assert too_early == 500 and unchanged is not None
    assert unchanged.status is DeliveryStatus.PENDING and unchanged.attempts == 0
    returned = await outbox.get_message(db, row.id)
    assert again == 200 and returned is not None and returned.status is DeliveryStatus.PENDING
    assert await whatsapp_sends.window_refused_at(db, SITI.wa_id or "") is not None


async def test_a_status_for_a_send_never_marked_is_not_waited_for_forever(
    chat_services: Services, chat_clock: Clock
) -> None:
    db = chat_services.db
    await queue_broadcast(chat_services, [SITI.wa_id or ""], "Rapat Kamis jam 9")
    await whatsapp_sends.record_sent(db, SITI.wa_id or "", ["wamid.lost"], "text", chat_clock())
    later = chat_clock() + failures.MARKING_TAKES_AT_MOST + timedelta(seconds=1)

    def never(returned: failures.ReturnedMessage) -> failures.Return:
        raise AssertionError("nothing to decide")

    assert await failures.take_back(db, "wamid.lost", 131047, later, never) is None
