"""A treasurer browses the open round's catalog and looks at one product."""

from __future__ import annotations

from datetime import timedelta

import tests.support.use_case_steps as steps
from bot.whatsapp.rendering import render_reply
from handlers.contract.services import Services
from messages.render import Renderer
from purchasing.model import Round
from tests.support.clock import Clock
from tests.support.fixtures.chat import ChatUser, button, open_example_round, payloads
from tests.support.use_case_steps import set_commitment


async def test_catalog_pages_are_grouped_by_supplier_with_a_button_per_product(
    chat_treasurer: ChatUser, chat_round: Round
) -> None:
    r = chat_round.id

    replies = await chat_treasurer.send("/catalog")

    assert [reply.template for reply in replies] == ["catalog_page"]
    assert payloads(replies) == [
        f"p:{r}:BRS-SPHP50", f"p:{r}:BRS-PRM50", f"p:{r}:GLP-50", f"p:{r}:GLP-1",
        f"p:{r}:MKITA-1L", f"p:{r}:IDM-GRG", f"p:{r}:IDM-SOTO", f"p:{r}:SPM-AB",
        f"k:{r}:1",
    ]  # fmt: skip
    text = chat_treasurer.last_text
    assert text.index("Perum Bulog Kanwil Jawa Barat") < text.index("PT Indofood Sukses Makmur")

    last = await chat_treasurer.press(f"k:{r}:3")

    assert payloads(last)[-1] == f"k:{r}:2"
    assert "(halaman 4/4)" in chat_treasurer.last_text
    assert "Sabun cuci batang B29" not in chat_treasurer.last_text  # SBMART is on page 2-3


async def test_staff_reading_the_catalog_are_shown_pesankan_not_a_treasurers_order_line(
    chat_treasurer: ChatUser, chat_admin: ChatUser, chat_round: Round
) -> None:
    await chat_treasurer.send("/katalog")
    treasurer_text = chat_treasurer.last_text
    await chat_admin.send("/katalog")

    assert "lalu jumlahnya, misalnya BRS-SPHP50 5" in treasurer_text
    assert "Pilih produk di bawah untuk melihat rinciannya." in chat_admin.last_text
    assert "kirim /pesankan KODE_KOPERASI KODE_PRODUK JUMLAH" in chat_admin.last_text
    assert "lalu jumlahnya" not in chat_admin.last_text


async def test_catalog_header_names_the_round_as_every_other_message_does(
    chat_treasurer: ChatUser, chat_stranger: ChatUser, chat_round: Round
) -> None:
    chat_stranger.language_hint = "en-GB"

    await chat_treasurer.send("/katalog")
    await chat_stranger.send("/catalog")

    assert chat_treasurer.last_text.startswith(
        "Katalog Putaran Belanja Bareng Desember (halaman 1/4)\n"
    )
    assert chat_stranger.last_text.startswith(
        "Catalog of Round Belanja Bareng Desember (page 1/4)\n"
    )


async def test_product_detail_shows_price_next_tier_moq_and_my_quantity(
    chat_services: Services, chat_treasurer: ChatUser, chat_round: Round, chat_clock: Clock
) -> None:
    for coop, quantity in (("KKPITB", 12), ("DT", 5)):
        await set_commitment(
            chat_services.db, round_id=chat_round.id, coop_code=coop, product_code="BRS-SPHP50",
            quantity=quantity, actor="test", via="test", now=chat_clock(),
        )  # fmt: skip

    replies = await chat_treasurer.press(f"p:{chat_round.id}:BRS-SPHP50")

    assert [(reply.template, reply.replace) for reply in replies] == [("catalog_product", True)]
    text = chat_treasurer.last_text
    assert "Harga sekarang: Rp 640.000/karung" in text
    assert "Total semua koperasi: 17 karung" in text
    assert "33 karung lagi → Rp 630.000/karung" in text
    assert "Minimal pesanan bersama: 20 karung, kurang 3 karung lagi" in text
    assert "Pesanan Kopontren Daarut Tauhid: 5 karung" in text
    assert payloads(replies)[-1] == f"k:{chat_round.id}:0"


async def test_someone_without_a_coop_sees_the_catalog_but_no_order_buttons(
    chat_stranger: ChatUser, chat_round: Round
) -> None:
    replies = await chat_stranger.press(f"p:{chat_round.id}:IDM-GRG")

    assert payloads(replies) == [f"k:{chat_round.id}:0"]
    assert "Pesanan" not in chat_stranger.last_text


async def test_no_open_round_says_when_the_next_round_opens(
    chat_services: Services, chat_treasurer: ChatUser, chat_clock: Clock
) -> None:
    opens_at = chat_clock() + timedelta(days=6)
    await steps.create_round(
        chat_services.db, "Belanja Bareng Januari", opens_at, opens_at + timedelta(days=3),
        ["IDM-GRG"], now=chat_clock(),
    )  # fmt: skip

    replies = await chat_treasurer.send("/katalog")

    assert [reply.template for reply in replies] == ["catalog_no_round"]
    assert "Belanja Bareng Januari" in chat_treasurer.last_text
    assert "Senin, 7 Des 2026 08.00 WIB" in chat_treasurer.last_text


async def test_no_round_at_all_is_a_polite_message_for_orders_too(
    chat_treasurer: ChatUser,
) -> None:
    for text in ("/katalog", "IDM-GRG 5", "/pesanan", "/ulang", "terima kasih"):
        replies = await chat_treasurer.send(text)

        assert [reply.template for reply in replies] == ["catalog_no_round"], text
        said_unrecorded = "Pesanan ini tidak dicatat" in chat_treasurer.last_text
        assert said_unrecorded == (text == "IDM-GRG 5"), text  # only an order was sent


async def test_catalog_button_of_a_closed_round_says_it_closed_and_where_the_bill_is(
    chat_services: Services, chat_treasurer: ChatUser, chat_round: Round, chat_clock: Clock
) -> None:
    old_page = await chat_treasurer.send("/katalog")
    chat_clock.advance(timedelta(days=3))
    await steps.close_round(chat_services.db, chat_round.id, chat_clock())

    replies = await chat_treasurer.press(button(old_page, f"k:{chat_round.id}:1"))

    assert [reply.template for reply in replies] == ["errors/round_over"]
    assert f"Putaran {chat_round.name} sudah ditutup pada" in chat_treasurer.last_text
    assert "/tagihan" in chat_treasurer.last_text
    assert "tidak dicatat" not in chat_treasurer.last_text


async def test_browsing_buttons_of_a_cancelled_round_say_so_not_that_a_change_failed(
    chat_services: Services, chat_treasurer: ChatUser, chat_round: Round, chat_clock: Clock
) -> None:
    page = await chat_treasurer.send("/katalog")
    product = await chat_treasurer.press(button(page, f"p:{chat_round.id}:GLP-50"))
    await steps.cancel_round(chat_services.db, chat_round.id, now=chat_clock())

    pressed = [
        *await chat_treasurer.press(button(page, f"p:{chat_round.id}:IDM-GRG")),
        *await chat_treasurer.press(button(product, f"k:{chat_round.id}:")),  # « Katalog
        *await chat_treasurer.press(f"o:{chat_round.id}"),  # "Pesanan saya" of the menu
    ]

    assert [reply.template for reply in pressed] == ["errors/round_over"] * 3
    text = chat_treasurer.last_text
    assert f"Putaran {chat_round.name} sudah dibatalkan" in text
    assert "tidak ada tagihan" in text
    assert "begitu putaran berikutnya dibuka" in text
    assert "Perubahan ini" not in text and "tidak dicatat" not in text and "/katalog" not in text


async def test_a_cancelled_rounds_button_points_to_the_round_open_now(
    chat_services: Services, chat_treasurer: ChatUser, chat_round: Round, chat_clock: Clock
) -> None:
    page = await chat_treasurer.send("/katalog")
    await steps.cancel_round(chat_services.db, chat_round.id, now=chat_clock())
    await open_example_round(chat_services.db, chat_clock(), name="Belanja Bareng Ulang")

    await chat_treasurer.press(button(page, f"p:{chat_round.id}:IDM-GRG"))

    assert "Putaran yang sedang buka sekarang: Putaran Belanja Bareng Ulang" in (
        chat_treasurer.last_text
    )
    assert "Kirim /katalog untuk katalognya." in chat_treasurer.last_text


async def test_the_catalog_is_still_browsed_past_the_deadline_before_the_close(
    chat_treasurer: ChatUser, chat_round: Round, chat_clock: Clock
) -> None:
    page = await chat_treasurer.send("/katalog")
    chat_clock.advance(timedelta(days=3))

    turned = await chat_treasurer.press(button(page, f"k:{chat_round.id}:1"))
    product = await chat_treasurer.press(button(page, f"p:{chat_round.id}:GLP-50"))

    assert [reply.template for reply in turned + product] == ["catalog_page", "catalog_product"]
    assert payloads(product) == [f"k:{chat_round.id}:0"]  # no quantity buttons any more


async def test_catalog_in_english_for_an_english_phone(
    chat_treasurer: ChatUser, chat_round: Round
) -> None:
    chat_treasurer.language_hint = "en-GB"
    await chat_treasurer.send("/catalog")

    assert "(page 1/4)" in chat_treasurer.last_text
    await chat_treasurer.send("IDM-GRG 1,000")
    assert "0 → 1.000 karton" in chat_treasurer.last_text


async def test_on_whatsapp_a_catalog_row_shows_the_price_under_the_product(
    chat_treasurer: ChatUser, chat_round: Round, chat_renderer: Renderer
) -> None:
    replies = await chat_treasurer.send("/katalog")

    (sent,) = render_reply(chat_renderer, replies[-1]).messages
    rows = {row.payload: row for row in sent.rows}
    beras = rows[f"p:{chat_round.id}:BRS-SPHP50"]
    assert beras.title == "BRS-SPHP50 · Beras SPHP…"
    assert beras.description == "BRS-SPHP50 · Beras SPHP medium 50 kg · Rp 640.000/karung"
    assert all(row.description and "Rp" in row.description for row in sent.rows[:-1])
