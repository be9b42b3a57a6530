"""An out-of-date button says what to send instead, in the words of the person who pressed
it: Dinas staff, a supplier's rep, or a coop's treasurer."""

from __future__ import annotations

from handlers.contract.services import Services
from messages import Renderer
from purchasing.model import Rep, RepRole, Round
from storage.people import reps
from tests.support.clock import Clock
from tests.support.fixtures.chat import ChatUser

STALE = "Tombol itu sudah tidak berlaku (mungkin dari menu atau putaran lama)."


async def test_staff_pressing_a_suppliers_confirm_button_are_sent_to_rekap_or_putaran(
    chat_admin: ChatUser, after_close_sugar: Round
) -> None:
    pressed = await chat_admin.press(f"sc:{after_close_sugar.id}:BULOG:1")

    assert [reply.template for reply in pressed] == ["errors/stale_button"]
    assert STALE in chat_admin.last_text
    assert "/rekap" in chat_admin.last_text and "/putaran" in chat_admin.last_text
    assert "/katalog" not in chat_admin.last_text


async def test_a_suppliers_rep_with_an_old_button_is_sent_to_tagihan_or_bantuan(
    chat_services: Services, chat_renderer: Renderer, chat_round: Round, chat_clock: Clock
) -> None:
    await reps.add_rep(
        chat_services.db, Rep("telegram", "7001", "BULOG", RepRole.SUPPLIER), chat_clock()
    )
    joko = ChatUser(chat_services, chat_renderer, "7001", "Pak Joko")

    pressed = await joko.press(f"sc:{chat_round.id}:INDOFOOD:1")

    assert [reply.template for reply in pressed] == ["errors/stale_button"]
    assert STALE in joko.last_text
    assert "/tagihan" in joko.last_text and "/bantuan" in joko.last_text
    assert "/katalog" not in joko.last_text


async def test_a_treasurer_with_an_old_button_is_still_sent_to_the_catalog(
    chat_treasurer: ChatUser, chat_round: Round
) -> None:
    pressed = await chat_treasurer.press(f"k:{chat_round.id}:99")

    assert [reply.template for reply in pressed] == ["errors/stale_button"]
    assert f"{STALE} Kirim /katalog untuk menu terbaru." in chat_treasurer.last_text
