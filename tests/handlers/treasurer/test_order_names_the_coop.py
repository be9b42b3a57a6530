"""A treasurer knows their coop by its name, not its code: the reply to an order, the product
card and the questions name the coop, read with who sent the update (no extra read), and a
name with HTML in it arrives as written, escaped for Telegram, plain on WhatsApp and in the
console."""

from __future__ import annotations

import pytest

from bot.config import Config
from handlers.contract.services import Services
from messages.render import Renderer
from messages.styles import TextStyle
from purchasing.model import Rep, Round
from storage.people import reps
from tests.support.builders import make_coop
from tests.support.clock import Clock
from tests.support.fake_graph import FakeGraph, FakeUser
from tests.support.fake_graph.bot import whatsapp_running
from tests.support.fixtures.chat import ChatUser, button
from tests.support.use_case_steps import close_round, import_catalog

MAJU = "Koperasi <b>Maju</b> & Jaya"
MAJU_HTML = "Koperasi &lt;b&gt;Maju&lt;/b&gt; &amp; Jaya"


@pytest.fixture
async def bu_ani(chat_services: Services, chat_renderer: Renderer, chat_clock: Clock) -> ChatUser:
    """Bu Ani, treasurer of the coop MAJU, whose name looks like HTML."""
    await import_catalog(chat_services.db, coops=[make_coop("MAJU", MAJU)])
    await reps.add_rep(chat_services.db, Rep("telegram", "7001", "MAJU"), chat_clock())
    return ChatUser(chat_services, chat_renderer, "7001", "Bu Ani")


async def test_the_reply_to_an_order_heads_with_the_coops_name_escaped(
    bu_ani: ChatUser, chat_renderer: Renderer, chat_round: Round
) -> None:
    [reply] = await bu_ani.send("GLP-50 3")

    text = bu_ani.last_text
    assert text.startswith(f"Pesanan {MAJU} (MAJU) — Putaran {chat_round.name}\n")
    assert f"Pesanan {MAJU} sekarang 1 produk, dengan harga" in text
    html = chat_renderer.render(reply.template, "id", reply.context, TextStyle.TELEGRAM_HTML)
    assert html.startswith(f"<b>Pesanan {MAJU_HTML}</b> (MAJU) — ")


async def test_an_emptied_order_and_the_english_reply_name_the_coop_too(
    bu_ani: ChatUser, chat_round: Round
) -> None:
    await bu_ani.send("GLP-50 3")
    await bu_ani.send("GLP-50 0")
    assert f"Pesanan {MAJU} di putaran ini sekarang kosong" in bu_ani.last_text

    await bu_ani.press(button(await bu_ani.send("/bahasa"), "l:en"))
    await bu_ani.send("GLP-50 2")
    assert bu_ani.last_text.startswith(f"Order of {MAJU} (MAJU) — Round {chat_round.name}\n")
    assert f"The order of {MAJU} now has 1 product" in bu_ani.last_text


async def test_the_product_card_and_the_typed_quantity_question_name_the_coop(
    bu_ani: ChatUser, chat_round: Round
) -> None:
    card = await bu_ani.press(f"p:{chat_round.id}:GLP-50")
    assert f"Pesanan {MAJU}: 0 karung" in bu_ani.last_text

    await bu_ani.press(button(card, f"t:{chat_round.id}:GLP-50"))
    assert f"untuk {MAJU}, misalnya 12" in bu_ani.last_text

    await bu_ani.send("beras 12")  # fits several kinds of rice
    assert f"Produk yang mana untuk {MAJU} (MAJU)?" in bu_ani.last_text


async def test_on_whatsapp_the_name_is_shown_as_written(
    wa_config: Config,
    chat_services: Services,
    chat_clock: Clock,
    chat_round: Round,
    fake_graph: FakeGraph,
) -> None:
    ani = FakeUser("6281234500077", "Bu Ani")
    await import_catalog(chat_services.db, coops=[make_coop("MAJU", MAJU)])
    await reps.add_rep(chat_services.db, Rep("whatsapp", ani.wa_id or "", "MAJU"), chat_clock())

    async with whatsapp_running(wa_config, chat_services, fake_graph) as bot:
        await bot.send(ani.text("GLP-50 3"))

    [answer] = fake_graph.messages_to(ani.wa_id or "")
    assert answer.text.startswith(f"*Pesanan {MAJU}* (MAJU) — Putaran {chat_round.name}\n")
    assert f"Pesanan {MAJU} sekarang 1 produk" in answer.text


async def test_an_error_about_her_coop_names_it_too(
    bu_ani: ChatUser, chat_services: Services, chat_round: Round
) -> None:
    await bu_ani.send("GLP-50 3")
    await close_round(chat_services.db, chat_round.id, now=chat_round.closes_at)

    await bu_ani.send("/terima")  # GLP-50 fell short of its minimum: nothing was bought

    assert bu_ani.last_text.startswith(f"Tidak ada barang yang dibelikan untuk {MAJU} (MAJU) di ")
