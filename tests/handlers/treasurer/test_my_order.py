"""A treasurer looks at the coop's order (`/pesanan`) and repeats the last one (`/ulang`)."""

from __future__ import annotations

from datetime import timedelta
from typing import cast

import tests.support.use_case_steps as steps
from handlers.contract.services import Services
from messages.formatting import wib
from purchasing.model import Round
from tests.support.clock import Clock
from tests.support.fixtures.chat import (
    ChatUser,
    button,
    open_example_round,
    payloads,
    quantities,
)
from tests.support.storage_builders import begin_closing
from tests.support.use_case_steps import set_commitment


async def order(services: Services, round_: Round, coop: str, code: str, quantity: int) -> None:
    await set_commitment(
        services.db, round_id=round_.id, coop_code=coop, product_code=code, quantity=quantity,
        actor="test", via="test", now=services.now(),
    )  # fmt: skip


async def test_pesanan_splits_the_estimate_into_sure_and_below_the_moq(
    chat_services: Services, chat_treasurer: ChatUser, chat_round: Round, chat_clock: Clock
) -> None:
    await chat_treasurer.send("IDM-GRG 10\nBRS-PRM50 2")
    await order(chat_services, chat_round, "KKPITB", "IDM-GRG", 25)  # 35 in all: Rp 119.000
    chat_clock.advance(timedelta(hours=5))

    replies = await chat_treasurer.send("/pesanan")

    assert [reply.template for reply in replies] == ["my_order"]
    estimate = cast(dict[str, int], replies[0].context["estimate"])
    assert (estimate["sure"], estimate["at_risk"]) == (10 * 119_000, 2 * 735_000)
    text = chat_treasurer.last_text
    assert text.startswith(
        "Pesanan Kopontren Daarut Tauhid (DT) — Putaran Belanja Bareng Desember\n"
    )
    assert "IDM-GRG Indomie Mi Goreng Spesial 85 g: 10 karton × Rp 119.000 = Rp 1.190.000" in text
    assert "Pasti: Rp 1.190.000 · Belum pasti: Rp 1.470.000" in text
    assert (
        "BRS-PRM50 Beras premium 50 kg, 2 karung (Rp 1.470.000): minimal pesanan bersama "
        "10 karung belum tercapai, pesanan semua koperasi masih kurang 8 karung. Bila sampai "
        "batas waktu masih kurang, produk ini tidak jadi dipesan dan tidak ditagih."
    ) in text
    assert "Bila putaran ditutup dengan total saat ini, tagihan Anda: Rp 1.190.000." in text
    assert "Hemat dibanding harga pasar: Rp 130.000" in text  # 10 × 13.000, the sure part
    assert "(sisa 2 hari 19 jam)" in text
    assert payloads(replies) == [f"k:{chat_round.id}:0"]


async def test_pesanan_with_every_product_sure_gives_one_total(
    chat_treasurer: ChatUser, chat_round: Round
) -> None:
    await chat_treasurer.send("IDM-GRG 10\nBRS-PRM50 12")  # 12 of the 10 sacks needed

    await chat_treasurer.send("/pesanan")

    assert (
        "Perkiraan total: Rp 10.040.000, semuanya pasti: minimal pesanan bersama sudah "
        "tercapai dan pasokannya cukup."  # 10 × 122.000 + 12 × 735.000
    ) in chat_treasurer.last_text
    assert "Belum pasti" not in chat_treasurer.last_text


async def test_my_order_button_still_shows_the_order_after_the_deadline_until_the_close(
    chat_treasurer: ChatUser, chat_round: Round, chat_clock: Clock
) -> None:
    await chat_treasurer.send("IDM-GRG 10")
    chat_clock.advance(timedelta(days=4))  # past the deadline, not closed yet

    replies = await chat_treasurer.press(f"o:{chat_round.id}")

    assert [reply.template for reply in replies] == ["my_order"]
    assert "IDM-GRG" in chat_treasurer.last_text


async def test_pesanan_of_a_coop_without_orders_says_how_to_order(
    chat_treasurer: ChatUser, chat_round: Round
) -> None:
    replies = await chat_treasurer.send("/myorder")

    assert replies[0].context["lines"] == ()
    assert "Belum ada pesanan" in chat_treasurer.last_text
    assert "Rp 0" not in chat_treasurer.last_text


async def test_ulang_repeats_last_closed_round(
    chat_services: Services, chat_treasurer: ChatUser, chat_clock: Clock
) -> None:
    db = chat_services.db
    november = await open_example_round(db, chat_clock(), ["IDM-GRG", "GLP-50", "LFB-SBN"])
    for code, quantity in (("IDM-GRG", 20), ("GLP-50", 6), ("LFB-SBN", 3)):
        await order(chat_services, november, "DT", code, quantity)
    await order(chat_services, november, "KKPITB", "GLP-50", 9)
    chat_clock.advance(timedelta(days=3))
    assert await steps.close_round(db, november.id, chat_clock()) is not None
    december = await open_example_round(db, chat_clock(), ["IDM-GRG", "LFB-SBN", "SPM-AB"])
    await order(chat_services, december, "DT", "LFB-SBN", 1)

    proposal = await chat_treasurer.send("/ulang")

    assert [reply.template for reply in proposal] == ["my_order_repeat"]
    assert chat_treasurer.last_text.startswith("Pesanan Kopontren Daarut Tauhid (DT) di Putaran ")
    assert "Tidak ditawarkan di putaran ini: GLP-50." in chat_treasurer.last_text
    assert "LFB-SBN Sabun batang Lifebuoy 70 g: 3 karton (sekarang 1)" in chat_treasurer.last_text
    assert await quantities(db, december.id) == {("DT", "LFB-SBN"): 1}

    done = await chat_treasurer.press(button(proposal, f"u:{december.id}"))

    assert [(reply.template, reply.replace) for reply in done] == [("order_result", True)]
    assert await quantities(db, december.id) == {("DT", "IDM-GRG"): 20, ("DT", "LFB-SBN"): 3}
    assert await quantities(db, november.id) == {
        ("DT", "GLP-50"): 6, ("DT", "IDM-GRG"): 20, ("DT", "LFB-SBN"): 3, ("KKPITB", "GLP-50"): 9,
    }  # fmt: skip


async def test_ulang_without_an_earlier_order_says_there_is_nothing_to_repeat(
    chat_services: Services, chat_treasurer: ChatUser, chat_round: Round
) -> None:
    replies = await chat_treasurer.send("/repeat")
    confirmed = await chat_treasurer.press(f"u:{chat_round.id}")

    assert [reply.template for reply in replies + confirmed] == ["my_order_repeat_none"] * 2
    assert await quantities(chat_services.db, chat_round.id) == {}


async def test_after_the_close_pesanan_and_the_old_button_show_the_coops_bill(
    chat_services: Services, chat_treasurer: ChatUser, chat_round: Round, chat_clock: Clock
) -> None:
    await chat_treasurer.send("IDM-GRG 10")
    await order(chat_services, chat_round, "KKPITB", "IDM-GRG", 25)
    chat_clock.advance(timedelta(days=4))
    await steps.close_round(chat_services.db, chat_round.id, chat_clock())

    replies = await chat_treasurer.send("/pesanan")
    text = chat_treasurer.last_text
    pressed = await chat_treasurer.press(f"o:{chat_round.id}")

    assert [reply.template for reply in replies] == ["catalog_no_round", "summary_bill"]
    assert f"Putaran {chat_round.name} sudah ditutup." in text
    assert "IDM-GRG Indomie Mi Goreng Spesial 85 g: 10 karton × Rp 119.000" in text
    assert [reply.template for reply in pressed] == ["summary_bill"]
    assert pressed[0].context == replies[1].context


async def test_after_the_close_a_coop_that_did_not_order_sees_only_that_no_round_is_open(
    chat_treasurer: ChatUser, chat_round: Round, chat_clock: Clock
) -> None:
    chat_clock.advance(timedelta(days=4))
    await steps.close_round(chat_treasurer.services.db, chat_round.id, chat_clock())

    replies = await chat_treasurer.send("/pesanan")
    pressed = await chat_treasurer.press(f"o:{chat_round.id}")

    assert [reply.template for reply in replies] == ["catalog_no_round"]
    assert [reply.template for reply in pressed] == ["errors/round_over"]
    closed_at = wib(chat_round.closes_at)
    assert f"Putaran {chat_round.name} sudah ditutup pada {closed_at}" in chat_treasurer.last_text


async def test_the_bill_shown_is_of_the_round_closed_last_even_if_it_was_made_first(
    chat_services: Services, chat_treasurer: ChatUser, chat_clock: Clock
) -> None:
    db, now = chat_services.db, chat_clock()
    first_made = await steps.create_round(
        db, "Dibuat duluan", now + timedelta(days=5), now + timedelta(days=8), ["IDM-GRG"], now=now
    )
    made_later = await open_example_round(db, now, ["IDM-GRG"], name="Dibuat belakangan")
    await chat_treasurer.send("IDM-GRG 10")
    await steps.close_round(db, made_later.id, now + timedelta(days=4))
    chat_clock.advance(timedelta(days=5))
    await steps.open_round(db, first_made.id, chat_clock())
    await chat_treasurer.send("IDM-GRG 3")
    await steps.close_round(db, first_made.id, now + timedelta(days=8))

    replies = await chat_treasurer.send("/pesanan")

    assert first_made.id < made_later.id
    assert [reply.template for reply in replies] == ["catalog_no_round", "summary_bill"]
    assert replies[1].context["round_name"] == "Dibuat duluan"


async def test_a_coop_that_ordered_nothing_is_told_so_while_staff_close_the_round(
    chat_services: Services, chat_treasurer: ChatUser, chat_round: Round, chat_clock: Clock
) -> None:
    await begin_closing(chat_services.db, chat_round.id, chat_clock())

    await chat_treasurer.send("/pesanan")

    text = chat_treasurer.last_text
    assert "Daarut Tauhid tidak memesan apa pun di putaran ini" in text
    assert "/katalog" not in text and "tagihan menyusul" not in text
