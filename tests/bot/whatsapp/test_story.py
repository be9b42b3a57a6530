"""A treasurer's whole round on WhatsApp, through the webhook and the fake_graph Graph API:
join with an invite code, browse with a list, order by button and by a pasted list, a
reminder as a template outside the 24-hour window, and the close summary."""

from __future__ import annotations

from datetime import timedelta

import tests.support.use_case_steps as steps
from bot.config import Config
from bot.whatsapp.template_messages import SHOW_HELD
from handlers.contract.services import Services
from purchasing.model import Rep, Round
from storage.catalog.reads import get_coop
from storage.delivery import outbox, whatsapp
from storage.people import reps
from storage.people.preferences import get_prefs
from tests.support.clock import Clock
from tests.support.fake_graph import FakeGraph, FakeUser, Sent
from tests.support.fake_graph.bot import RunningWhatsApp, whatsapp_running
from tests.support.fixtures.chat import quantities
from usecases.sweeps import close_due_rounds, send_due_reminders

SITI = FakeUser("6281234500001", "Bu Siti", bsuid="ID.1234567890123456789")


def last(fake_graph: FakeGraph, user: FakeUser = SITI) -> Sent:
    return fake_graph.messages_to(user.wa_id or "")[-1]


async def press(bot: RunningWhatsApp, fake_graph: FakeGraph, title: str) -> Sent:
    """Press the button or list row `title` (or the product row "`title` · name") of the last
    message to Siti; the answer."""
    shown = last(fake_graph)
    named = [p for t, p in shown.choices.items() if t.startswith(f"{title} · ")]
    payload = shown.choices.get(title) or named[0]
    await bot.send(SITI.press(payload, as_list_row=shown.interactive_type == "list"))
    return last(fake_graph)


async def test_a_treasurer_runs_a_whole_round_on_whatsapp(
    wa_config: Config,
    chat_services: Services,
    chat_clock: Clock,
    chat_round: Round,
    fake_graph: FakeGraph,
) -> None:
    db = chat_services.db
    invite = await steps.create_invite(db, "DT", "telegram:9001", chat_clock())

    async with whatsapp_running(wa_config, chat_services, fake_graph) as bot:
        link = bot.services.deep_links_for(invite.code)["whatsapp"]
        assert link == f"https://wa.me/6281234567890?text=/start%20{invite.code}"

        await bot.send(SITI.text(f"/start {invite.code}"))
        welcome = last(fake_graph)
        assert "Kopontren Daarut Tauhid" in welcome.text
        assert welcome.interactive_type == "button"

        catalog = await press(bot, fake_graph, "Katalog")
        assert catalog.interactive_type == "list"
        assert "BRS-SPHP50 · Beras SPHP…" in catalog.choices  # the code and the short name
        product = await press(bot, fake_graph, "BRS-SPHP50")
        assert "Beras SPHP medium 50 kg" in product.text
        await press(bot, fake_graph, "+5")
        await press(bot, fake_graph, "+10")

        await bot.send(SITI.text("GLP-50 3\nGLP-1 2"))
        assert "GLP-50" in last(fake_graph).text

        chat_clock.advance(timedelta(days=2))  # 24 h before the deadline; Siti is silent
        assert await send_due_reminders(chat_services, chat_clock()) == 1
        await bot.drain()
        reminder = last(fake_graph)
        assert reminder.template["name"] == "belanja_pengingat_pesanan"

        await bot.send(SITI.quick_reply(f"k:{chat_round.id}:0"))  # "Lihat katalog"
        await bot.drain()  # the reminder held back arrives in full now
        texts = [message.text for message in fake_graph.messages_to(SITI.wa_id or "")[-2:]]
        assert any("Pesanan Anda saat ini" in text and "BRS-SPHP50" in text for text in texts)

        chat_clock.advance(timedelta(days=1, minutes=1))  # closed; her window closed too
        before_close = len(fake_graph.messages_to(SITI.wa_id or ""))
        assert len(await close_due_rounds(chat_services, chat_clock())) == 1
        await bot.drain()
        at_close = len(fake_graph.messages_to(SITI.wa_id or ""))
        notices = fake_graph.messages_to(SITI.wa_id or "")[before_close:]
        await bot.send(SITI.quick_reply(SHOW_HELD))  # "Tampilkan"
        await bot.drain()
        shown = fake_graph.messages_to(SITI.wa_id or "")[at_close:]

    ordered = await quantities(db, chat_round.id)
    assert {k: v for k, v in ordered.items() if k[0] == "DT"} == {
        ("DT", "BRS-SPHP50"): 15,
        ("DT", "GLP-50"): 3,
        ("DT", "GLP-1"): 2,
    }
    # Outside her window: one template, the bill's; the group's result (WhatsApp has no group)
    # waits behind it and comes with the bill.
    [notice] = notices
    assert notice.template["name"] == "belanja_tagihan"
    round_name, coop_name, total = (
        p["text"] for p in notice.template["components"][0]["parameters"]
    )
    assert (round_name, coop_name) == (chat_round.name, "Kopontren Daarut Tauhid")
    [bill] = [m for m in shown if "*Tagihan Kopontren" in m.text]
    assert bill.type == "document"  # the bill's text is the caption of its PDF
    assert bill.body["document"].get("filename") == f"tagihan-{chat_round.id}-DT.pdf"
    assert "*Tagihan Kopontren Daarut Tauhid*" in bill.text
    assert f"Total: *{total}*" in bill.text
    assert any(f"*Putaran {chat_round.name} ditutup*" in m.text for m in shown if m is not bill)
    assert fake_graph.refused == []
    assert await whatsapp.identity_ids(db, SITI.wa_id or "") == (SITI.wa_id, SITI.bsuid)


async def test_when_the_graph_api_is_down_the_order_is_kept_and_the_reply_follows_later(
    wa_config: Config,
    chat_services: Services,
    chat_clock: Clock,
    chat_round: Round,
    fake_graph: FakeGraph,
) -> None:
    await reps.add_rep(chat_services.db, Rep("whatsapp", SITI.wa_id or "", "DT"), chat_clock())

    async with whatsapp_running(wa_config, chat_services, fake_graph) as bot:
        fake_graph.unreachable = True
        assert await bot.send(SITI.text("GLP-50 4")) == 200
        fake_graph.unreachable = False
        result = await bot.drain()

    assert await quantities(chat_services.db, chat_round.id) == {("DT", "GLP-50"): 4}
    assert result.sent == 1
    assert "GLP-50" in last(fake_graph).text and "0 → *4* karung" in last(fake_graph).text


async def test_more_than_ten_choices_come_numbered_and_a_number_chooses(
    wa_config: Config, chat_services: Services, chat_clock: Clock, fake_graph: FakeGraph
) -> None:
    codes = ["DT", "KKPITB", "KOPERTIS4", "FATHULHUDA", "ATTAQWA", "ALIKHLAS", "PERSIS"]
    codes += ["ALMUHAJIRIN", "PUSDAI", "RSHS", "UNPAD", "PDAM"]
    for code in codes:
        await reps.add_rep(chat_services.db, Rep("whatsapp", SITI.wa_id or "", code), chat_clock())

    async with whatsapp_running(wa_config, chat_services, fake_graph) as bot:
        await bot.send(SITI.text("/koperasi"))
        numbered = last(fake_graph)
        await bot.send(SITI.text("3"))

    assert numbered.type == "text" and "*12*." in numbered.text
    third = next(line for line in numbered.text.splitlines() if line.startswith("*3*. "))
    prefs = await get_prefs(chat_services.db, "whatsapp", SITI.wa_id or "")
    chosen = await get_coop(chat_services.db, prefs.acting_coop_code or "")
    assert chosen is not None and chosen.name.startswith(third.removeprefix("*3*. ").rstrip("…"))


async def test_a_user_known_only_by_business_scoped_id_keeps_it_when_the_number_appears(
    wa_config: Config, chat_services: Services, fake_graph: FakeGraph
) -> None:
    hidden = FakeUser(None, "Pak Budi", bsuid="ID.999")
    shown = FakeUser("6281234500009", "Pak Budi", bsuid="ID.999")

    async with whatsapp_running(wa_config, chat_services, fake_graph) as bot:
        await bot.send(hidden.text("/bantuan"))
        await bot.send(shown.text("/bantuan"))

    assert [message.to for message in fake_graph.sent] == ["ID.999", "6281234500009"]
    assert await whatsapp.identity_ids(chat_services.db, "6281234500009") == (
        "6281234500009",
        "ID.999",
    )
    assert await whatsapp.identity_ids(chat_services.db, "ID.999") == (None, None)


async def test_writing_to_the_bot_opens_the_window_from_the_message_time(
    wa_config: Config, chat_services: Services, chat_clock: Clock, fake_graph: FakeGraph
) -> None:
    written = chat_clock() - timedelta(minutes=3)

    async with whatsapp_running(wa_config, chat_services, fake_graph) as bot:
        await bot.send(SITI.text("/bantuan", at=written))

    prefs = await get_prefs(chat_services.db, "whatsapp", SITI.wa_id or "")
    assert prefs.last_inbound_at == written
    assert sum((await outbox.delivery_counts(chat_services.db)).values()) == 0


async def test_show_with_nothing_held_shows_the_main_menu(
    wa_config: Config, chat_services: Services, fake_graph: FakeGraph
) -> None:
    async with whatsapp_running(wa_config, chat_services, fake_graph) as bot:
        await bot.send(SITI.quick_reply(SHOW_HELD))

    assert "Selamat datang di *Belanja Bareng*" in last(fake_graph).text
