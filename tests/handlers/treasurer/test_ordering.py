"""A treasurer orders: by buttons, by typing a number, with `/pesan`, or by pasting a list."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import cast

import tests.support.use_case_steps as steps
from handlers.contract.services import Services
from handlers.treasurer.order_lines import Refusal
from messages.replies import Reply
from purchasing.model import CommitmentChange, Rep, Round
from storage.commitment_reads import audit_log
from storage.people.conversations import get_state
from storage.people.reps import add_rep, remove_rep
from tests.support.clock import Clock
from tests.support.fixtures.chat import ChatUser, button, open_example_round, quantities
from tests.support.storage_builders import begin_closing
from tests.support.use_case_steps import cancel_round, create_round


def changes_of(replies: Sequence[Reply]) -> list[tuple[str, int, int]]:
    changes = cast(list[CommitmentChange], replies[0].context["changes"])
    return [(change.item.product_code, change.old, change.new) for change in changes]


def refusals_of(replies: Sequence[Reply]) -> list[tuple[int, str]]:
    refusals = cast(list[Refusal], replies[0].context["refusals"])
    return [(refusal.line_no, refusal.key) for refusal in refusals]


async def test_treasurer_joins_with_invite_browses_catalog_page_2_orders_5_cartons_by_button_types_12_removes(  # noqa: E501
    chat_services: Services, chat_stranger: ChatUser, chat_round: Round, chat_clock: Clock
) -> None:
    db, r = chat_services.db, chat_round.id
    invite = await steps.create_invite(db, "DT", "telegram:9001", chat_clock())
    await chat_stranger.send(f"/start {invite.code}")

    page_1 = await chat_stranger.send("/katalog")
    assert [reply.template for reply in page_1] == ["catalog_page"]
    assert "(halaman 1/4)" in chat_stranger.last_text

    page_2 = await chat_stranger.press(button(page_1, f"k:{r}:1"))
    assert [(reply.template, reply.replace) for reply in page_2] == [("catalog_page", True)]
    assert "(halaman 2/4)" in chat_stranger.last_text
    assert "Kecap manis Indofood 520 ml" in chat_stranger.last_text

    detail = await chat_stranger.press(button(page_2, f"p:{r}:IDF-KCP"))
    assert "Pesanan Kopontren Daarut Tauhid: 0 dus" in chat_stranger.last_text

    plus_5 = await chat_stranger.press(button(detail, f"q:{r}:IDF-KCP:+5"))
    assert [(reply.template, reply.replace) for reply in plus_5] == [("catalog_product", True)]
    assert "0 → 5 dus" in chat_stranger.last_text
    assert "15 dus lagi → Rp 199.000/dus" in chat_stranger.last_text
    assert await quantities(db, r) == {("DT", "IDF-KCP"): 5}

    asked = await chat_stranger.press(button(plus_5, f"t:{r}:IDF-KCP"))
    assert [reply.template for reply in asked] == ["order_type_quantity"]
    typed = await chat_stranger.send("12")
    assert [reply.template for reply in typed] == ["catalog_product"]
    assert "5 → 12 dus" in chat_stranger.last_text
    assert await quantities(db, r) == {("DT", "IDF-KCP"): 12}
    assert await get_state(db, "telegram", chat_stranger.user_id) is None

    await chat_stranger.press(button(typed, f"q:{r}:IDF-KCP:=0"))
    assert "12 → 0 dus" in chat_stranger.last_text
    assert await quantities(db, r) == {}
    audit = await audit_log(db, r, "DT")
    assert [(a.old_quantity, a.new_quantity) for a in audit] == [(0, 5), (5, 12), (12, 0)]
    assert {a.actor for a in audit} == {"telegram:5002"}
    assert {a.via for a in audit} == {"telegram:5002"}


async def test_treasurer_pastes_a_list_of_4_lines_with_one_unknown_code_and_one_negative_then_2_changed_2_refused_db_has_2(  # noqa: E501
    chat_services: Services, chat_treasurer: ChatUser, chat_round: Round
) -> None:
    pasted = "IDM-GRG 10\nXYZ-99 3\n- SPM-AB 4 karton\nGLP-50 -2"

    replies = await chat_treasurer.send(pasted)

    assert [reply.template for reply in replies] == ["order_result"]
    assert changes_of(replies) == [("IDM-GRG", 0, 10), ("SPM-AB", 0, 4)]
    assert refusals_of(replies) == [(2, "unknown_product"), (4, "quantity_invalid")]
    text = chat_treasurer.last_text
    assert "Baris 2 (XYZ-99 3): Kode produk XYZ-99 tidak ada di katalog" in text
    assert "Baris 4 (GLP-50 -2): Jumlah -2 tidak bisa dipakai" in text
    assert "Perkiraan total: Rp 1.636.000" in text  # 10 × 122.000 + 4 × 104.000
    assert await quantities(chat_services.db, chat_round.id) == {
        ("DT", "IDM-GRG"): 10,
        ("DT", "SPM-AB"): 4,
    }


async def test_a_product_of_the_catalog_that_the_round_does_not_offer_is_refused_by_line(
    chat_services: Services, chat_treasurer: ChatUser, chat_clock: Clock
) -> None:
    round_ = await open_example_round(chat_services.db, chat_clock(), ["IDM-GRG"])

    replies = await chat_treasurer.send("/pesan LFB-SBN 3")

    assert refusals_of(replies) == [(1, "product_not_in_round")]
    assert await quantities(chat_services.db, round_.id) == {}


async def test_order_command_sets_one_line(
    chat_services: Services, chat_treasurer: ChatUser, chat_round: Round
) -> None:
    replies = await chat_treasurer.send("/pesan mkita-1l 3 dus")

    assert [reply.template for reply in replies] == ["order_result"]
    assert await quantities(chat_services.db, chat_round.id) == {("DT", "MKITA-1L"): 3}


async def test_indonesian_number_1_000_accepted(
    chat_services: Services, chat_treasurer: ChatUser, chat_round: Round
) -> None:
    await chat_treasurer.send("GLP-1 1.000")

    assert "0 → 1.000 bal" in chat_treasurer.last_text
    assert await quantities(chat_services.db, chat_round.id) == {("DT", "GLP-1"): 1000}

    detail = await chat_treasurer.press(f"t:{chat_round.id}:IDM-GRG")
    assert [reply.template for reply in detail] == ["order_type_quantity"]
    await chat_treasurer.send("2.500")

    assert (await quantities(chat_services.db, chat_round.id))[("DT", "IDM-GRG")] == 2500


async def test_a_typed_quantity_may_carry_its_unit_word_but_not_another_one(
    chat_services: Services, chat_treasurer: ChatUser, chat_round: Round
) -> None:
    r = chat_round.id
    await chat_treasurer.press(f"t:{r}:IDM-GRG")  # Indomie comes in karton
    await chat_treasurer.send("12 dus")  # "dus" is a karton

    await chat_treasurer.press(f"t:{r}:GLP-50")  # sugar comes in karung
    wrong = await chat_treasurer.send("3 karton")

    assert [reply.template for reply in wrong] == ["errors/unit_mismatch"]
    assert await quantities(chat_services.db, r) == {("DT", "IDM-GRG"): 12}


async def test_late_order_after_deadline_refused_and_nothing_changes(
    chat_services: Services, chat_treasurer: ChatUser, chat_round: Round, chat_clock: Clock
) -> None:
    r = chat_round.id
    await chat_treasurer.send("IDM-GRG 10")
    before = await quantities(chat_services.db, r)
    chat_clock.advance(timedelta(days=3))

    pasted = await chat_treasurer.send("IDM-GRG 20\nSPM-AB 5")
    pressed = await chat_treasurer.press(f"q:{r}:IDM-GRG:+5")
    asked = await chat_treasurer.press(f"t:{r}:IDM-GRG")

    assert [reply.template for reply in pasted + pressed + asked] == ["errors/deadline_passed"] * 3
    assert await quantities(chat_services.db, r) == before
    assert len(await audit_log(chat_services.db, r)) == 1


async def test_an_order_while_staff_close_the_round_early_is_refused_and_changes_nothing(
    chat_services: Services, chat_treasurer: ChatUser, chat_round: Round, chat_clock: Clock
) -> None:
    r = chat_round.id
    await chat_treasurer.send("IDM-GRG 10")
    before = await quantities(chat_services.db, r)
    await begin_closing(chat_services.db, r, chat_clock())

    pasted = await chat_treasurer.send("IDM-GRG 20\nSPM-AB 5")
    pressed = await chat_treasurer.press(f"q:{r}:IDM-GRG:+5")

    assert [reply.template for reply in pasted + pressed] == ["errors/round_closing"] * 2
    assert "sedang ditutup oleh admin Dinas" in chat_treasurer.last_text
    assert await quantities(chat_services.db, r) == before
    await chat_treasurer.send("/pesanan")  # the order as it will be billed, no deadline
    assert "sedang ditutup oleh admin Dinas sejak" in chat_treasurer.last_text
    assert "tagihan menyusul" in chat_treasurer.last_text
    assert "Batas waktu" not in chat_treasurer.last_text
    assert "Harga masih bisa turun" not in chat_treasurer.last_text


async def test_forged_payload_for_another_round_changes_nothing(
    chat_services: Services, chat_treasurer: ChatUser, chat_round: Round, chat_clock: Clock
) -> None:
    now = chat_clock()
    later = chat_round.closes_at + timedelta(days=7)  # a draft, then cancelled
    other = await create_round(chat_services.db, "Lain", now, later, ["IDM-GRG"])
    await cancel_round(chat_services.db, other.id)
    r = chat_round.id
    forged = [
        "q:999:IDM-GRG:+5",  # no such round
        f"q:{r}:IDM-GRG:+7",  # no such step
        f"q:{r}:IDM-GRG:=50",
        f"q:{r}:IDM-GRG",
        f"q:{r}:IDM-GRG:+5:extra",
        "q:abc:IDM-GRG:+5",
        f"t:{r}",
        f"k:{r}:99",
        f"k:{r}:-1",
        "z:1",
        "q:1:<b>:+5",
        "",
    ]
    answers = []
    for payload in forged:
        answers += await chat_treasurer.press(payload)
    cancelled = await chat_treasurer.press(f"q:{other.id}:IDM-GRG:+5")
    not_offered = await chat_treasurer.press(f"q:{r}:NOPE:+5")

    assert [reply.template for reply in answers] == ["errors/stale_button"] * len(forged)
    assert [reply.template for reply in cancelled] == ["errors/round_not_open"]
    assert [reply.template for reply in not_offered] == ["errors/product_not_in_round"]
    assert await quantities(chat_services.db, r) == {}
    assert await quantities(chat_services.db, other.id) == {}


async def test_a_button_pressed_after_losing_the_coop_changes_nothing(
    chat_services: Services, chat_treasurer: ChatUser, chat_round: Round
) -> None:
    await remove_rep(chat_services.db, "telegram", chat_treasurer.user_id, "DT")

    replies = await chat_treasurer.press(f"q:{chat_round.id}:IDM-GRG:+5")

    assert [reply.template for reply in replies] == ["join_first"]
    assert await quantities(chat_services.db, chat_round.id) == {}


async def test_rep_of_two_coops_must_choose_a_coop_first(
    chat_services: Services, chat_treasurer: ChatUser, chat_round: Round, chat_clock: Clock
) -> None:
    await add_rep(chat_services.db, Rep("telegram", "5001", "PERSIS"), chat_clock())

    first = await chat_treasurer.send("IDM-GRG 10")

    assert [reply.template for reply in first] == ["join_choose_coop"]
    assert "Pesanan barusan belum dicatat: pilih koperasinya dulu" in chat_treasurer.last_text
    assert await quantities(chat_services.db, chat_round.id) == {}

    await chat_treasurer.press(button(first, "c:PERSIS"))
    await chat_treasurer.send("IDM-GRG 10")

    assert await quantities(chat_services.db, chat_round.id) == {("PERSIS", "IDM-GRG"): 10}


async def test_someone_without_a_coop_is_told_to_join_with_an_invite_code(
    chat_services: Services, chat_stranger: ChatUser, chat_round: Round
) -> None:
    replies = await chat_stranger.send("IDM-GRG 10")

    assert [reply.template for reply in replies] == ["join_first"]
    assert "/start KODE" in chat_stranger.last_text
    assert "belum bisa memesan" in chat_stranger.last_text
    assert await quantities(chat_services.db, chat_round.id) == {}


async def test_someone_without_a_coop_typing_terima_or_bayar_is_not_told_about_ordering(
    chat_stranger: ChatUser,
) -> None:
    received = await chat_stranger.send("/terima")
    received_text = chat_stranger.last_text
    paying = await chat_stranger.send("/bayar")

    assert [reply.template for reply in received + paying] == ["join_first"] * 2
    assert "belum bisa mengonfirmasi penerimaan barang" in received_text
    assert "belum ada tagihan koperasi untuk Anda bayar" in chat_stranger.last_text
    assert "memesan" not in received_text + chat_stranger.last_text


async def test_text_that_is_no_order_gets_how_to_order_not_silence(
    chat_treasurer: ChatUser, chat_round: Round
) -> None:
    for text in ("Assalamualaikum, pak", "terima kasih banyak ya", "12", ""):
        replies = await chat_treasurer.send(text)

        assert [reply.template for reply in replies] == ["order_howto"], text
        assert "BRS-SPHP50 5" in chat_treasurer.last_text


async def test_a_typed_number_after_cancel_is_not_taken_as_a_quantity(
    chat_services: Services, chat_treasurer: ChatUser, chat_round: Round
) -> None:
    asked = await chat_treasurer.press(f"t:{chat_round.id}:IDM-GRG")
    cancelled = await chat_treasurer.press(button(asked, "x"))
    typed = await chat_treasurer.send("7")

    assert [(reply.template, reply.replace) for reply in cancelled] == [("order_cancelled", True)]
    assert [reply.template for reply in typed] == ["order_howto"]
    assert await quantities(chat_services.db, chat_round.id) == {}


async def test_a_typed_number_long_after_the_question_is_not_taken_as_a_quantity(
    chat_services: Services, chat_treasurer: ChatUser, chat_round: Round, chat_clock: Clock
) -> None:
    await chat_treasurer.press(f"t:{chat_round.id}:IDM-GRG")
    chat_clock.advance(timedelta(hours=2))

    typed = await chat_treasurer.send("7")

    assert [reply.template for reply in typed] == ["order_howto"]
    assert await quantities(chat_services.db, chat_round.id) == {}


async def test_a_step_over_the_coop_maximum_is_refused(
    chat_services: Services, chat_treasurer: ChatUser, chat_round: Round
) -> None:
    await chat_treasurer.send("MKITA-1L 5")  # at most 10 dus per coop

    replies = await chat_treasurer.press(f"q:{chat_round.id}:MKITA-1L:+10")

    assert [reply.template for reply in replies] == ["errors/over_coop_maximum"]
    assert await quantities(chat_services.db, chat_round.id) == {("DT", "MKITA-1L"): 5}


async def test_a_tap_on_a_product_shown_for_one_coop_orders_for_that_coop_after_a_switch(
    chat_services: Services, chat_treasurer: ChatUser, chat_round: Round, chat_clock: Clock
) -> None:
    await add_rep(chat_services.db, Rep("telegram", chat_treasurer.user_id, "PERSIS"), chat_clock())
    await chat_treasurer.press("c:DT")
    shown_for_dt = await chat_treasurer.press(f"p:{chat_round.id}:IDM-GRG")
    plus_five = button(shown_for_dt, f"q:{chat_round.id}:IDM-GRG:+5")
    type_it = button(shown_for_dt, f"t:{chat_round.id}:IDM-GRG")
    await chat_treasurer.press("c:PERSIS")  # now acting for the other coop

    tapped = await chat_treasurer.press(plus_five)
    await chat_treasurer.press(type_it)
    typed = await chat_treasurer.send("7")

    assert plus_five.endswith(":DT") and type_it.endswith(":DT")
    assert tapped[0].context["coop_code"] == "DT" and typed[0].context["coop_code"] == "DT"
    assert await quantities(chat_services.db, chat_round.id) == {("DT", "IDM-GRG"): 7}


async def test_a_tap_for_a_coop_one_no_longer_represents_is_a_stale_button(
    chat_services: Services, chat_treasurer: ChatUser, chat_round: Round
) -> None:
    shown = await chat_treasurer.press(f"p:{chat_round.id}:IDM-GRG")
    plus_one = button(shown, f"q:{chat_round.id}:IDM-GRG:+1:")
    await remove_rep(chat_services.db, "telegram", chat_treasurer.user_id, "DT")

    stale = await chat_treasurer.press(plus_one)
    other_coop = await chat_treasurer.press(f"q:{chat_round.id}:IDM-GRG:+1:PERSIS")

    assert [r.template for r in stale + other_coop] == ["errors/stale_button"] * 2
    assert await quantities(chat_services.db, chat_round.id) == {}
