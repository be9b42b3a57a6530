"""What a treasurer reads is plain Indonesian (and plain English): a round called "Putaran
Januari" is never "Putaran Putaran Januari", one product is "1 product", one deadline is
"paling lambat", a refused change says it was not recorded, and nobody on WhatsApp is sent
to a group the bot cannot post in."""

from __future__ import annotations

from dataclasses import replace

import pytest

from messages import Renderer, TextStyle
from purchasing.errors import RoundNotOpen
from purchasing.model import Round, RoundStatus
from purchasing.rounds import check_takes_orders
from storage.people import reps
from tests.support.builders import NOW, make_round
from tests.support.clock import Clock
from tests.support.fixtures.admin import GroupChat
from tests.support.fixtures.chat import ChatUser
from tests.support.fixtures.schedule import queued, rendered


async def test_a_round_named_putaran_januari_is_announced_without_putaran_twice(
    chat_admin: ChatUser, admin_reps: list[ChatUser], chat_renderer: Renderer
) -> None:
    await chat_admin.send("/putaran baru Putaran Januari | 2026-12-05 17:00 | GLP-50")

    by_chat = {m.chat_id: rendered(m, chat_renderer) for m in await queued(chat_admin.services.db)}
    ani, dedi = by_chat["5101"], by_chat["5102"]  # Pak Dedi reads English
    assert "Putaran Januari dibuka!" in ani
    assert "1 produk dengan harga grosir bersama. Pesan paling lambat Sabtu, 5 Des 2026" in ani
    assert "Putaran Januari is open!" in dedi
    assert "1 product at shared wholesale prices" in dedi
    assert "Putaran Januari (#" in chat_admin.last_text
    assert not [text for text in by_chat.values() if "Putaran Putaran" in text]
    assert not [text for text in by_chat.values() if "Round Putaran" in text]


async def test_a_round_without_the_word_is_named_putaran_or_round(
    chat_admin: ChatUser, admin_reps: list[ChatUser], chat_renderer: Renderer
) -> None:
    await chat_admin.send("/putaran baru Sembako Desember | 2026-12-05 17:00")

    by_chat = {m.chat_id: rendered(m, chat_renderer) for m in await queued(chat_admin.services.db)}
    assert "Putaran Sembako Desember dibuka!" in by_chat["5101"]
    assert "Round Sembako Desember is open!" in by_chat["5102"]
    assert "25 products at shared wholesale prices" in by_chat["5102"]


@pytest.mark.parametrize(
    ("lang", "said"),
    [("id", "tidak dicatat: Putaran Maret sudah ditutup pada Rabu, 5 Mar 2025 10.00 WIB"),
     ("en", "This change was not recorded: Round Maret closed on Wed, 5 Mar 2025 10:00 WIB")],
)  # fmt: skip
def test_a_change_after_the_close_says_it_was_not_recorded_and_when_the_round_closed(
    lang: str, said: str
) -> None:
    closed = make_round(name="Maret", status=RoundStatus.CLOSED)

    with pytest.raises(RoundNotOpen) as refused:
        check_takes_orders(closed, NOW)

    assert said in Renderer().render_error(refused.value, lang, TextStyle.PLAIN)


async def test_an_admin_on_whatsapp_is_not_sent_to_a_group_the_bot_cannot_post_in(
    chat_admin: ChatUser, admin_group: GroupChat, chat_clock: Clock
) -> None:
    db = chat_admin.services.db
    await reps.add_admin(db, "whatsapp", "6281234567890", "Mbak Rina", "config", chat_clock())
    on_whatsapp = replace(chat_admin, user_id="6281234567890", platform="whatsapp", rendered=[])

    await on_whatsapp.send("/hubungkan")
    await chat_admin.send("/hubungkan")

    assert "Di WhatsApp bot tidak bisa mengirim pesan ke grup" in on_whatsapp.last_text
    assert "grup JUK" not in on_whatsapp.last_text
    assert "Kirim /hubungkan di grup JUK" in chat_admin.last_text


async def test_an_order_an_admin_records_names_the_coop_and_says_who_recorded_it(
    chat_admin: ChatUser, chat_round: Round
) -> None:
    await chat_admin.send("/pesankan DT GLP-50 5")

    assert "Pesanan Kopontren Daarut Tauhid (DT) untuk Gula" in chat_admin.last_text
    assert "Dicatat oleh admin untuk koperasi itu" in chat_admin.last_text
    assert "atas nama admin" not in chat_admin.last_text
