"""A treasurer orders in her own words: product names, typos, sizes, several per line; a line
that fits two products is asked about with buttons, and only her own buttons count."""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

from handlers.contract.services import Services
from messages.replies import Reply
from purchasing.model import CommitmentChange, Rep, Round
from storage.commitment_reads import audit_log
from storage.people.reps import add_rep
from tests.support.clock import Clock
from tests.support.fixtures.chat import ChatUser, button, payloads, quantities

PASTED = """beras sphp 10 karung
gula pasir 1kg 5
minyak goreng 1L 8
indomie goreng 10
2. mie soto 5 karton
- tepung terigu 4
kecap bango 3
pesan garam 6 bal
sabun lifebuoy 2
12 dus teh sariwangi"""


def changes_of(reply: Reply) -> list[tuple[str, int, int]]:
    changes = cast(list[CommitmentChange], reply.context["changes"])
    return [(change.item.product_code, change.old, change.new) for change in changes]


def templates(replies: Sequence[Reply]) -> list[str]:
    return [reply.template for reply in replies]


async def test_ten_lines_by_name_in_one_message_are_each_echoed_with_code_and_name(
    chat_services: Services, chat_treasurer: ChatUser, chat_round: Round
) -> None:
    replies = await chat_treasurer.send(PASTED)

    assert templates(replies) == ["order_result"]
    assert changes_of(replies[0]) == [
        ("BRS-SPHP50", 0, 10),
        ("GLP-1", 0, 5),
        ("MKITA-1L", 0, 8),
        ("IDM-GRG", 0, 10),
        ("IDM-SOTO", 0, 5),
        ("SGB-1KG", 0, 4),
        ("BNG-KCP", 0, 3),
        ("GRM-250", 0, 6),
        ("LFB-SBN", 0, 2),
        ("SRW-25", 0, 12),
    ]
    text = chat_treasurer.last_text
    assert "BRS-SPHP50 Beras SPHP medium 50 kg: 0 → 10 karung" in text
    assert "SRW-25 Teh celup Sariwangi 25 kantong: 0 → 12 dus" in text
    assert "Tidak diproses" not in text
    assert len(await quantities(chat_services.db, chat_round.id)) == 10


async def test_beras_12_offers_both_rices_as_buttons_and_the_pressed_one_is_set_to_12(
    chat_services: Services, chat_treasurer: ChatUser, chat_round: Round
) -> None:
    db, r = chat_services.db, chat_round.id

    asked = await chat_treasurer.send("/pesan beras 12")

    assert templates(asked) == ["order_question"]
    assert payloads(asked) == [f"op:{r}:BRS-PRM50:12:DT", f"op:{r}:BRS-SPHP50:12:DT"]
    text = chat_treasurer.last_text
    assert "beras 12" in text and "belum dicatat" in text
    assert "BRS-SPHP50 Beras SPHP medium 50 kg — 12 karung" in text
    assert await quantities(db, r) == {}

    chosen = await chat_treasurer.press(button(asked, f"op:{r}:BRS-PRM50:"))

    assert [(reply.template, reply.replace) for reply in chosen] == [("order_result", True)]
    assert "BRS-PRM50 Beras premium 50 kg: 0 → 12 karung" in chat_treasurer.last_text
    assert await quantities(db, r) == {("DT", "BRS-PRM50"): 12}
    [entry] = await audit_log(db, r, "DT")
    assert (entry.old_quantity, entry.new_quantity, entry.actor) == (0, 12, "telegram:5001")


async def test_a_list_with_a_question_and_a_clear_line_sets_the_clear_one_and_asks_the_other(
    chat_services: Services, chat_treasurer: ChatUser, chat_round: Round
) -> None:
    replies = await chat_treasurer.send("BRS-SPHP50 12 karung, minyak gorng 3\ngula 1 kg 5 bal")

    assert templates(replies) == ["order_result", "order_question"]
    assert changes_of(replies[0]) == [("BRS-SPHP50", 0, 12), ("GLP-1", 0, 5)]
    assert [option.label_context["code"] for option in replies[1].flat_options] == [
        "BMOLI-2L",
        "MKITA-1L",
    ]
    assert "Baris 1 (minyak gorng 3)" in chat_treasurer.last_text
    assert await quantities(chat_services.db, chat_round.id) == {
        ("DT", "BRS-SPHP50"): 12,
        ("DT", "GLP-1"): 5,
    }


async def test_a_button_for_another_coop_or_a_forged_quantity_changes_nothing(
    chat_services: Services, chat_treasurer: ChatUser, chat_round: Round, chat_clock: Clock
) -> None:
    db, r = chat_services.db, chat_round.id
    await add_rep(db, Rep("telegram", "5001", "KKPITB", display_name="Bu Siti"), chat_clock())
    await chat_treasurer.send("/koperasi")  # she now represents two coops
    assert await quantities(db, r) == {}

    for forged in (
        f"op:{r}:BRS-SPHP50:12:PERSIS",  # a coop she does not represent
        f"op:{r}:BRS-SPHP50:-3:DT",
        f"op:{r}:BRS-SPHP50:999999:DT",
        f"op:{r}:BRS-SPHP50:12",
        f"op:{r + 1}:BRS-SPHP50:12:DT",
    ):
        replies = await chat_treasurer.press(forged)
        assert templates(replies) == ["errors/stale_button"], forged

    not_offered = await chat_treasurer.press(f"op:{r}:NOPE-1:12:DT")
    assert templates(not_offered) == ["errors/product_not_in_round"]
    assert await quantities(db, r) == {}

    # Her other coop's button is hers too: it orders for that coop, not the acting one.
    await chat_treasurer.press(f"op:{r}:GLP-1:4:KKPITB")
    assert await quantities(db, r) == {("KKPITB", "GLP-1"): 4}


async def test_a_pick_after_the_deadline_is_refused(
    chat_services: Services, chat_treasurer: ChatUser, chat_round: Round, chat_clock: Clock
) -> None:
    asked = await chat_treasurer.send("gula 4")
    chat_clock.advance(chat_round.closes_at - chat_clock())

    replies = await chat_treasurer.press(button(asked, f"op:{chat_round.id}:GLP-50:"))

    assert templates(replies) == ["errors/deadline_passed"]
    assert await quantities(chat_services.db, chat_round.id) == {}


async def test_no_match_suggests_products_and_lusin_of_a_carton_says_which_unit_to_use(
    chat_services: Services, chat_treasurer: ChatUser, chat_round: Round
) -> None:
    await chat_treasurer.send("sabun colek 2\nIDM-GRG 2 lusin\nXYZ-99 3")

    text = chat_treasurer.last_text
    assert "Baris 1 (sabun colek 2): Produk “sabun colek” tidak ada di putaran ini." in text
    assert "Maksudnya LFB-SBN Sabun batang Lifebuoy 70 g atau SBN-B29" in text
    lusin = "Baris 2 (IDM-GRG 2 lusin): IDM-GRG Indomie Mi Goreng Spesial 85 g dipesan per karton"
    assert lusin in text and "Tulis jumlahnya dalam karton" in text
    assert "Baris 3 (XYZ-99 3): Kode produk XYZ-99 tidak ada di katalog" in text
    assert await quantities(chat_services.db, chat_round.id) == {}


async def test_text_that_is_no_order_shows_examples_by_name_from_the_round(
    chat_treasurer: ChatUser, chat_round: Round
) -> None:
    replies = await chat_treasurer.send("Assalamualaikum bu")

    assert templates(replies) == ["order_howto"]
    assert "beras sphp 5 atau BRS-SPHP50 5 (karung)" in chat_treasurer.last_text
    assert "beras premium 10 atau BRS-PRM50 10 (karung)" in chat_treasurer.last_text


async def test_a_typed_quantity_in_lusin_for_a_carton_product_says_which_unit_and_waits(
    chat_services: Services, chat_treasurer: ChatUser, chat_round: Round
) -> None:
    r = chat_round.id
    await chat_treasurer.press(f"t:{r}:IDM-GRG:DT")

    refused = await chat_treasurer.send("2 lusin")

    assert templates(refused) == ["errors/order_count_word"]
    assert "Tulis jumlahnya dalam karton" in chat_treasurer.last_text
    typed = await chat_treasurer.send("2")
    assert templates(typed) == ["catalog_product"]
    assert await quantities(chat_services.db, r) == {("DT", "IDM-GRG"): 2}
