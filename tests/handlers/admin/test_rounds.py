"""Dinas staff open, extend, cancel and close rounds from the chat."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import tests.support.use_case_steps as steps
from messages.outbox_codec import decode_reply
from purchasing.model import Round, RoundStatus
from purchasing.rounds import LEFT_CLOSING_AFTER
from storage import rounds
from storage.delivery import outbox
from tests.support.clock import Clock
from tests.support.fixtures.admin import GroupChat, outbox_total
from tests.support.fixtures.chat import ChatUser, button, payloads, render_reply
from tests.support.storage_builders import begin_closing
from tests.support.use_case_steps import set_commitment
from usecases.sweeps import open_due_rounds


async def test_admin_opens_a_round_from_chat_and_it_is_announced_to_group_and_reps(
    chat_admin: ChatUser, admin_reps: list[ChatUser], admin_group: GroupChat, chat_clock: Clock
) -> None:
    await admin_group.send(chat_admin, "/hubungkan")

    replies = await chat_admin.send("/putaran baru Putaran Desember | 2026-12-05 17:00")

    assert [reply.template for reply in replies] == ["admin_round_opened"]
    [opened] = await rounds.list_rounds(chat_admin.services.db)
    assert (opened.name, opened.status, len(opened.items)) == ("Putaran Desember", "open", 25)
    assert opened.closes_at == datetime(2026, 12, 5, 10, 0, tzinfo=UTC)
    assert opened.opens_at == chat_clock()
    assert "Pengumuman diantrekan ke 4 obrolan" in chat_admin.last_text
    due = await outbox.due_messages(chat_admin.services.db, chat_clock())
    assert sorted(m.chat_id for m in due) == sorted(["5101", "5102", "5103", admin_group.chat_id])
    by_chat = {m.chat_id: decode_reply(m.payload) for m in due}
    assert by_chat["5102"].language == "en"
    assert by_chat["5101"].flat_options[0].payload == f"k:{opened.id}:0"
    assert by_chat[admin_group.chat_id].flat_options[0].open_private_chat
    assert by_chat["5101"].context["closes_at"] == opened.closes_at


async def test_a_second_round_is_refused_while_one_is_open_and_nothing_is_announced(
    chat_admin: ChatUser, chat_round: Round
) -> None:
    replies = await chat_admin.send("/putaran baru Putaran Januari | 2026-12-20 17:00")

    assert [reply.template for reply in replies] == ["errors/another_round_open"]
    assert f"Putaran {chat_round.name} (#{chat_round.id}) masih dibuka" in chat_admin.last_text
    assert [r.id for r in await rounds.list_rounds(chat_admin.services.db)] == [chat_round.id]
    assert await outbox_total(chat_admin.services) == 0


async def test_admin_opens_a_round_of_chosen_products_with_a_delivery_note(
    chat_admin: ChatUser, admin_reps: list[ChatUser], chat_clock: Clock
) -> None:
    note = "Diantar ke kantor koperasi 10–12 Des"
    replies = await chat_admin.send(
        f"/putaran baru Sembako | 2026-12-05 17:00 | glp-50, BRS-SPHP50 | {note}"
    )
    unknown = await chat_admin.send("/putaran baru Lain | 2026-12-05 17:00 | TIDAKADA")

    assert [reply.template for reply in replies] == ["admin_round_opened"]
    assert [r.template for r in unknown] == ["errors/unknown_product"]
    [opened] = await rounds.list_rounds(chat_admin.services.db)
    assert [item.product_code for item in opened.items] == ["GLP-50", "BRS-SPHP50"]
    assert opened.delivery_note == note
    [announced] = [
        decode_reply(m.payload)
        for m in await outbox.due_messages(chat_admin.services.db, chat_clock())
        if m.chat_id == "5101"
    ]
    assert announced.context["delivery_note"] == note


async def test_admin_prepares_the_next_round_while_one_is_open_and_it_opens_after_the_close(
    chat_admin: ChatUser, admin_reps: list[ChatUser], chat_round: Round, chat_clock: Clock
) -> None:
    db = chat_admin.services.db
    replies = await chat_admin.send(
        "/putaran draf Putaran Januari | 2026-12-02 08:00 | 2026-12-12 17:00 | GLP-50"
    )
    text = chat_admin.last_text

    [draft] = [r for r in await rounds.list_rounds(db) if r.id != chat_round.id]
    assert [reply.template for reply in replies] == ["admin_round_drafted"]
    assert (draft.status, draft.opens_at) == (
        RoundStatus.DRAFT,
        datetime(2026, 12, 2, 1, 0, tzinfo=UTC),
    )
    assert f"Putaran {chat_round.name} (#{chat_round.id}) masih dibuka" in text
    assert await outbox_total(chat_admin.services, f"round_opened:{draft.id}:") == 0  # not yet

    waited = await open_due_rounds(chat_admin.services, draft.opens_at)
    await steps.close_round(db, chat_round.id, draft.opens_at, force=True)
    opened = await open_due_rounds(chat_admin.services, draft.opens_at + timedelta(minutes=1))

    assert waited == [] and [r.id for r in opened] == [draft.id]
    assert await outbox_total(chat_admin.services, f"round_opened:{draft.id}:") == 3


async def test_a_draft_closing_before_it_opens_is_refused(
    chat_admin: ChatUser, chat_clock: Clock
) -> None:
    replies = await chat_admin.send("/putaran draf X | 2026-12-10 08:00 | 2026-12-09 17:00")

    assert [reply.template for reply in replies] == ["errors/deadline_before_opening"]
    assert "harus sesudah waktu bukanya (Kamis, 10 Des 2026 08.00 WIB)" in chat_admin.last_text
    assert await rounds.list_rounds(chat_admin.services.db) == []


async def test_a_draft_ending_before_the_open_round_does_is_refused_as_it_could_never_open(
    chat_admin: ChatUser, chat_round: Round
) -> None:
    db = chat_admin.services.db

    replies = await chat_admin.send("/putaran draf X | besok 08.00 | besok 17.00")

    assert [reply.template for reply in replies] == ["errors/draft_never_opens"]
    assert (
        f"Putaran {chat_round.name} (#{chat_round.id}) yang masih dibuka sampai "
        "Jumat, 4 Des 2026 08.00 WIB" in chat_admin.last_text
    )
    assert "Tulis batas waktu sesudah Jumat, 4 Des 2026 08.00 WIB" in chat_admin.last_text
    assert [r.id for r in await rounds.list_rounds(db)] == [chat_round.id]


async def test_a_round_with_a_bad_or_past_deadline_is_not_created(
    chat_admin: ChatUser, chat_clock: Clock
) -> None:
    no_time = await chat_admin.send("/putaran baru Putaran Desember | 2026-12-05")
    past = await chat_admin.send("/putaran baru Putaran Desember | 2026-11-30 17:00")
    no_pipe = await chat_admin.send("/putaran baru Putaran Desember 2026-12-05 17:00")

    assert [r.template for r in no_time] == ["errors/date_without_time"]
    assert [r.template for r in past] == ["errors/open_after_deadline"]
    assert [r.template for r in no_pipe] == ["admin_round_usage_line"]
    assert await rounds.list_rounds(chat_admin.services.db) == []
    assert await outbox_total(chat_admin.services) == 0


async def test_admin_extends_cancels_with_confirm_and_closes_a_round(
    chat_admin: ChatUser, chat_round: Round, chat_clock: Clock
) -> None:
    db = chat_admin.services.db
    await set_commitment(
        db, round_id=chat_round.id, coop_code="DT", product_code="GLP-50", quantity=6,
        actor="telegram:5001", via="telegram:5001", now=chat_clock(),
    )  # fmt: skip

    extended = await chat_admin.send(f"/putaran perpanjang {chat_round.id} 2026-12-06 17:00")

    assert [r.template for r in extended] == ["admin_round_extended"]
    after = await rounds.get_round(db, chat_round.id)
    assert after is not None and after.closes_at == datetime(2026, 12, 6, 10, 0, tzinfo=UTC)

    listed = await chat_admin.send("/putaran")
    menu = await chat_admin.press(button(listed, f"am:{chat_round.id}"))
    assert payloads(menu) == [f"ar:{chat_round.id}", f"aq:{chat_round.id}", f"ay:{chat_round.id}"]

    asked = await chat_admin.press(f"ay:{chat_round.id}")
    assert payloads(asked) == [f"ax:{chat_round.id}", "an"]
    dismissed = await chat_admin.press("an")
    assert [r.template for r in dismissed] == ["admin_never_mind"] and dismissed[0].replace
    still = await rounds.get_round(db, chat_round.id)
    assert still is not None and still.status is RoundStatus.OPEN

    asked = await chat_admin.send(f"/putaran tutup {chat_round.id}")
    closed = await chat_admin.press(button(asked, "ac:"))

    assert [r.template for r in closed] == ["admin_round_closed"]
    assert "1 dari 20 koperasi memesan" in chat_admin.last_text
    final = await rounds.get_round(db, chat_round.id)
    assert final is not None and final.status is RoundStatus.CLOSED

    again = await chat_admin.press(f"ax:{chat_round.id}")
    assert [r.template for r in again] == ["errors/invalid_transition"]
    final = await rounds.get_round(db, chat_round.id)
    assert final is not None and final.status is RoundStatus.CLOSED


async def test_a_close_where_nothing_reached_its_minimum_says_nothing_was_bought(
    chat_admin: ChatUser, admin_group: GroupChat, chat_round: Round, chat_clock: Clock
) -> None:
    db = chat_admin.services.db
    await admin_group.send(chat_admin, "/hubungkan")
    await set_commitment(
        db, round_id=chat_round.id, coop_code="DT", product_code="GLP-50", quantity=2,
        actor="telegram:5001", via="telegram:5001", now=chat_clock(),
    )  # fmt: skip  # the sugar's minimum is 5 sacks

    asked = await chat_admin.send(f"/putaran tutup {chat_round.id}")
    await chat_admin.press(button(asked, "ac:"))
    closed_text = chat_admin.last_text
    await chat_admin.press(f"am:{chat_round.id}")
    menu_text = chat_admin.last_text
    [group_post] = [
        decode_reply(m.payload)
        for m in await outbox.due_messages(db, chat_clock())
        if m.chat_id == admin_group.chat_id and m.kind == "summary_group"
    ]
    group_text = render_reply(chat_admin.renderer, group_post)

    assert "1 dari 20 koperasi memesan, tetapi tidak ada produk yang mencapai" in closed_text
    assert "tidak ada yang dibeli, jadi tidak ada surat pesanan dan tagihan" in closed_text
    assert "Rp 0" not in closed_text
    assert "Setelah ditutup: tidak ada yang dibeli" in menu_text
    assert "lunas" not in menu_text and "0/0" not in menu_text
    assert "tidak ada yang dibeli" in group_text
    assert "Rp 0" not in group_text and "Tagihan tiap koperasi" not in group_text
    assert "Gula pasir kristal putih 50 kg: 2 dari 5 karung" in group_text


async def test_admin_cancels_a_round_after_confirming(
    chat_admin: ChatUser, chat_round: Round
) -> None:
    asked = await chat_admin.send(f"/putaran batal {chat_round.id}")
    assert [r.template for r in asked] == ["admin_round_confirm_cancel"]

    cancelled = await chat_admin.press(button(asked, "ax:"))

    assert [r.template for r in cancelled] == ["admin_round_cancelled"]
    after = await rounds.get_round(chat_admin.services.db, chat_round.id)
    assert after is not None and after.status is RoundStatus.CANCELLED


async def test_a_putaran_command_missing_something_says_what_and_shows_the_line_to_type(
    chat_admin: ChatUser, chat_round: Round
) -> None:
    said = {}
    for typed in [
        "/putaran 1", "/putaran perpanjang 1", "/putaran tutup 2 sekarang",
        "/putaran batal", "/putaran perpanjang abc besok 17.00", "/putaran baru Desember",
    ]:  # fmt: skip
        replies = await chat_admin.send(typed)
        assert [reply.template for reply in replies] == ["admin_round_usage_line"], typed
        said[typed] = chat_admin.last_text
    unknown = await chat_admin.send("/putaran xyz")

    assert said["/putaran 1"].startswith("Tulis apa yang dilakukan dengan putaran #1: /putaran")
    assert said["/putaran perpanjang 1"] == (
        "Batas waktu barunya belum ditulis. Tulis:\n"
        "/putaran perpanjang 1 TUTUP, mis. /putaran perpanjang 1 besok jam 5 sore"
    )
    assert said["/putaran tutup 2 sekarang"] == (
        "«sekarang» tidak diperlukan: cukup nomor putarannya. Tulis:\n"
        "/putaran tutup 2, mis. /putaran tutup 2"
    )
    assert said["/putaran batal"].startswith("Nomor putarannya belum ditulis. Tulis:\n")
    assert "/putaran batal NOMOR, mis. /putaran batal 3" in said["/putaran batal"]
    assert said["/putaran perpanjang abc besok 17.00"].startswith(
        "Nomor putaran ditulis dengan angka, bukan «abc»."
    )
    assert "/putaran baru NAMA | TUTUP" in said["/putaran baru Desember"]
    assert [reply.template for reply in unknown] == ["admin_round_usage"]
    assert chat_admin.last_text.startswith("«xyz» tidak saya kenal sesudah /putaran.")
    [still_open] = await rounds.list_rounds(chat_admin.services.db)
    assert (still_open.status, still_open.closes_at) == (RoundStatus.OPEN, chat_round.closes_at)


async def test_extending_to_an_earlier_deadline_or_an_unknown_round_is_refused(
    chat_admin: ChatUser, chat_round: Round, chat_clock: Clock
) -> None:
    earlier = await chat_admin.send(f"/putaran perpanjang {chat_round.id} 2026-12-02 17:00")
    unknown = await chat_admin.send("/putaran perpanjang 99 2026-12-09 17:00")
    unknown_button = await chat_admin.press("ac:99")

    assert [r.template for r in earlier] == ["errors/deadline_not_later"]
    assert [r.template for r in unknown] == ["errors/unknown_round"]
    assert [r.template for r in unknown_button] == ["errors/unknown_round"]
    after = await rounds.get_round(chat_admin.services.db, chat_round.id)
    assert after is not None and after.closes_at == chat_round.closes_at
    assert chat_round.closes_at == chat_clock() + timedelta(days=3)


async def test_treasurers_are_told_when_staff_extend_and_then_cancel_a_round(
    chat_admin: ChatUser, chat_treasurer: ChatUser, chat_round: Round
) -> None:
    db = chat_admin.services.db

    await chat_admin.send(f"/putaran perpanjang {chat_round.id} 2026-12-06 17:00")
    await chat_admin.press(f"ax:{chat_round.id}")

    told = await outbox.due_messages(db, chat_admin.services.now())
    assert [(m.chat_id, m.kind) for m in told if m.kind.startswith("announce_round")] == [
        (chat_treasurer.user_id, "announce_round_extended"),
        (chat_treasurer.user_id, "announce_round_cancelled"),
    ]


async def test_a_round_closed_early_shows_when_it_really_closed_not_its_deadline(
    chat_admin: ChatUser, chat_treasurer: ChatUser, chat_round: Round, chat_clock: Clock
) -> None:
    old_page = await chat_treasurer.send("/katalog")
    chat_clock.advance(timedelta(days=1, hours=2))  # Wednesday 10.00, two days before deadline
    asked = await chat_admin.send(f"/putaran tutup {chat_round.id}")
    await chat_admin.press(button(asked, "ac:"))

    refused = await chat_treasurer.press(button(old_page, f"k:{chat_round.id}:1"))

    assert [reply.template for reply in refused] == ["errors/round_over"]
    assert "sudah ditutup pada Rabu, 2 Des 2026 10.00 WIB" in chat_treasurer.last_text
    listed = await chat_admin.send("/putaran")
    assert "[tutup], ditutup Rabu, 2 Des 2026 10.00 WIB" in chat_admin.last_text
    await chat_admin.press(button(listed, f"am:{chat_round.id}"))
    assert (
        "Ditutup Rabu, 2 Des 2026 10.00 WIB, lebih awal dari batas waktu "
        "Jumat, 4 Des 2026 08.00 WIB"
    ) in chat_admin.last_text
    closed = await rounds.get_round(chat_admin.services.db, chat_round.id)
    assert closed is not None and closed.closed_at == chat_clock()

    await chat_admin.send("/putaran baru Putaran Januari | 2027-01-08 17:00")
    listed_both = await chat_admin.send("/putaran")
    lines = chat_admin.last_text.splitlines()
    names = [option.label_context["name"] for option in listed_both[0].flat_options[:2]]
    assert names == ["Putaran Januari", "Belanja Bareng Desember"]  # whole, on the buttons
    assert lines[1].startswith("#2 Putaran Januari [buka], tutup Jumat, 8 Jan 2027")
    assert lines[2].startswith(f"#{chat_round.id} Belanja Bareng Desember [tutup], ditutup Rabu")


async def test_a_round_staff_are_closing_says_so_and_is_not_closed_twice(
    chat_admin: ChatUser, chat_round: Round, chat_clock: Clock
) -> None:
    chat_clock.advance(timedelta(days=1, hours=2))  # Wednesday 10.00, two days before deadline
    await begin_closing(chat_admin.services.db, chat_round.id, chat_clock())

    listed = await chat_admin.send("/putaran")
    assert "[buka], sedang ditutup sejak Rabu, 2 Des 2026 10.00 WIB" in chat_admin.last_text
    await chat_admin.send("/rekap")
    assert "Sedang ditutup sejak Rabu, 2 Des 2026 10.00 WIB: tidak menerima pesanan lagi" in (
        chat_admin.last_text
    )
    await chat_admin.press(button(listed, f"am:{chat_round.id}"))
    assert (
        "Sedang ditutup sejak Rabu, 2 Des 2026 10.00 WIB (batas waktu Jumat, 4 Des 2026 "
        "08.00 WIB): pesanan tidak diterima lagi"
    ) in chat_admin.last_text

    asked = await chat_admin.press(f"aq:{chat_round.id}")  # a second admin, or a second tap
    pressed = await chat_admin.press(f"ac:{chat_round.id}")  # an older confirm button
    assert [r.template for r in asked + pressed] == ["admin_round_closing"] * 2
    assert "sedang ditutup sejak Rabu, 2 Des 2026 10.00 WIB" in chat_admin.last_text
    still = await rounds.get_round(chat_admin.services.db, chat_round.id)
    assert still is not None and still.status is RoundStatus.OPEN

    chat_clock.advance(LEFT_CLOSING_AFTER)  # its close died with a crash: staff may close it
    closed = await chat_admin.press(f"ac:{chat_round.id}")
    assert [r.template for r in closed] == ["admin_round_closed"]


async def test_a_round_staff_are_closing_is_not_cancelled_under_its_close(
    chat_admin: ChatUser, chat_round: Round, chat_clock: Clock
) -> None:
    await begin_closing(chat_admin.services.db, chat_round.id, chat_clock())

    asked = await chat_admin.press(f"ay:{chat_round.id}")
    pressed = await chat_admin.press(f"ax:{chat_round.id}")  # a confirm button shown before

    assert [r.template for r in asked] == ["admin_round_closing"]
    assert [r.template for r in pressed] == ["errors/closing_not_cancelled"]
    assert "tidak dibatalkan: putaran ini sedang ditutup sejak Selasa" in chat_admin.last_text
    still = await rounds.get_round(chat_admin.services.db, chat_round.id)
    assert still is not None and still.status is RoundStatus.OPEN


async def test_a_round_cancelled_after_its_close_died_no_longer_says_it_is_being_closed(
    chat_admin: ChatUser, chat_round: Round, chat_clock: Clock
) -> None:
    await begin_closing(chat_admin.services.db, chat_round.id, chat_clock())
    chat_clock.advance(LEFT_CLOSING_AFTER)  # its close died with a crash
    await chat_admin.press(f"ax:{chat_round.id}")  # cancelled after all

    await chat_admin.press(f"am:{chat_round.id}")

    assert "[batal]" in chat_admin.last_text
    assert "Sedang ditutup" not in chat_admin.last_text


async def test_admin_creates_and_extends_a_round_with_deadlines_said_in_words(
    chat_admin: ChatUser, chat_clock: Clock
) -> None:
    await chat_admin.send("/putaran baru Putaran Kilat | besok jam 5 sore")  # Tue 1 Dec
    [opened] = await rounds.list_rounds(chat_admin.services.db)
    assert opened.closes_at == datetime(2026, 12, 2, 10, 0, tzinfo=UTC)  # Wed 17.00 WIB

    extended = await chat_admin.send(f"/putaran perpanjang {opened.id} Jumat 17.00")

    assert [r.template for r in extended] == ["admin_round_extended"]
    after = await rounds.get_round(chat_admin.services.db, opened.id)
    assert after is not None and after.closes_at == datetime(2026, 12, 4, 10, 0, tzinfo=UTC)
    refused = await chat_admin.send(f"/putaran perpanjang {opened.id} kapan-kapan")
    assert [r.template for r in refused] == ["errors/time_invalid"]
