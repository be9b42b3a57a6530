"""Dinas staff create a round step by step in the chat: questions with buttons, typed answers
in their own words, a summary to confirm; or a copy of the last round."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

import tests.support.use_case_steps as steps
from messages.replies import Reply
from purchasing.model import MoqPolicy, Round, RoundItem, RoundPlan, RoundStatus
from storage import rounds
from storage.catalog.reads import list_products
from storage.people import conversations
from tests.support.clock import Clock
from tests.support.fixtures.admin import outbox_total
from tests.support.fixtures.chat import ChatUser, open_example_round, payloads
from usecases.catalog import retire_products


def choice(replies: Sequence[Reply], name: str) -> str:
    """The payload of the step button that answers `name` ("all", "e48", "open", ...)."""
    [found] = [p for p in payloads(replies) if p.startswith("rw:") and p.endswith(f":{name}")]
    return found


def templates(replies: Sequence[Reply]) -> list[str]:
    return [reply.template for reply in replies]


async def test_admin_answers_each_question_and_gets_an_open_announced_round(
    chat_admin: ChatUser, admin_reps: list[ChatUser], chat_clock: Clock
) -> None:
    db = chat_admin.services.db
    asked = await chat_admin.send("/putaran baru")
    named = await chat_admin.send("Belanja Bareng Januari")
    deadline_question = chat_admin.last_text
    dated = await chat_admin.send("Jumat 17.00")
    coded = await chat_admin.send("glp-50, BRS-SPHP50")
    policy = await chat_admin.press(choice(coded, "e48"))
    noted = await chat_admin.send("Diantar ke kantor koperasi minggu kedua Januari")
    summary_text = chat_admin.last_text
    opened = await chat_admin.press(choice(noted, "open"))

    assert templates(asked + named + dated + coded + policy + noted + opened) == [
        "admin_round_step_name",
        "admin_round_step_deadline",
        "admin_round_step_products",
        "admin_round_step_moq",
        "admin_round_step_note",
        "admin_round_step_summary",
        "admin_round_opened",
    ]
    assert deadline_question.startswith("Putaran Belanja Bareng Januari (langkah 2 dari 5)\n")
    assert "Tutup: Jumat, 4 Des 2026 17.00 WIB" in summary_text
    assert "diperpanjang sekali 48 jam" in summary_text
    [round_] = await rounds.list_rounds(db)
    assert (round_.name, round_.status) == ("Belanja Bareng Januari", RoundStatus.OPEN)
    assert round_.closes_at == datetime(2026, 12, 4, 10, 0, tzinfo=UTC)
    assert [item.product_code for item in round_.items] == ["GLP-50", "BRS-SPHP50"]
    assert (round_.moq_policy, round_.extend_hours) == (MoqPolicy.EXTEND, 48)
    assert round_.delivery_note == "Diantar ke kantor koperasi minggu kedua Januari"
    assert await outbox_total(chat_admin.services, f"round_opened:{round_.id}:") == 3
    assert await conversations.get_state(db, "telegram", chat_admin.user_id) is None
    again = await chat_admin.press(choice(noted, "open"))
    assert templates(again) == ["admin_round_step_stale"]
    assert len(await rounds.list_rounds(db)) == 1


async def test_every_product_no_note_and_a_draft_that_opens_by_itself_tomorrow(
    chat_admin: ChatUser,
) -> None:
    db = chat_admin.services.db
    listed = await chat_admin.send("/putaran")
    asked = await chat_admin.press("rn")
    await chat_admin.send("Belanja Bareng Januari")
    products = await chat_admin.send("lusa jam 10 pagi")
    policy = await chat_admin.press(choice(products, "all"))
    note = await chat_admin.press(choice(policy, "drop"))
    summary = await chat_admin.press(choice(note, "skip"))
    summary_text = chat_admin.last_text
    opening = await chat_admin.press(choice(summary, "draft"))
    drafted = await chat_admin.send("besok jam 8 pagi")

    assert {"rn", "rl"} <= set(payloads(listed))
    assert templates(asked) == ["admin_round_step_name"]
    assert "semua produk katalog (25)" in summary_text
    assert "Catatan pengiriman: tidak ada" in summary_text
    assert templates(opening + drafted) == ["admin_round_step_opens", "admin_round_drafted"]
    [draft] = await rounds.list_rounds(db)
    assert (draft.status, len(draft.items), draft.moq_policy) == (
        RoundStatus.DRAFT, 25, MoqPolicy.DROP
    )  # fmt: skip
    assert draft.opens_at == datetime(2026, 12, 2, 1, 0, tzinfo=UTC)
    assert draft.closes_at == datetime(2026, 12, 3, 3, 0, tzinfo=UTC)


async def test_copying_the_last_round_asks_only_the_new_name_and_deadline(
    chat_admin: ChatUser, chat_clock: Clock
) -> None:
    db = chat_admin.services.db
    last = await steps.create_round(
        db, "Belanja Bareng Desember", chat_clock() + timedelta(days=1),
        chat_clock() + timedelta(days=3), ["GLP-50", "BMOLI-2L"], "Diantar Senin",
        MoqPolicy.EXTEND, 24, now=chat_clock(),
    )  # fmt: skip
    await steps.cancel_round(db, last.id, now=chat_clock())

    asked = await chat_admin.send("/putaran salin")
    asked_text = chat_admin.last_text
    await chat_admin.send("Belanja Bareng Januari")
    summary = await chat_admin.send("senin depan 09.00")
    opened = await chat_admin.press(choice(summary, "open"))

    assert templates(asked + summary + opened) == [
        "admin_round_step_name",
        "admin_round_step_summary",
        "admin_round_opened",
    ]
    assert "Salin Putaran Belanja Bareng Desember (#1)" in asked_text
    new = (await rounds.list_rounds(db))[0]
    assert (new.name, new.status) == ("Belanja Bareng Januari", RoundStatus.OPEN)
    assert [item.product_code for item in new.items] == ["GLP-50", "BMOLI-2L"]
    assert (new.moq_policy, new.extend_hours, new.delivery_note) == (
        MoqPolicy.EXTEND, 24, "Diantar Senin"
    )  # fmt: skip
    assert new.closes_at == datetime(2026, 12, 7, 2, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("stored", "copied"),
    [((MoqPolicy.EXTEND, 100_000_000), (MoqPolicy.EXTEND, 720)),
     ((MoqPolicy.DROP, 24), (MoqPolicy.DROP, 0)),
     ((MoqPolicy.EXTEND, 0), (MoqPolicy.DROP, 0))],
)  # fmt: skip
async def test_a_round_an_older_release_stored_with_an_odd_extension_is_copied_as_it_worked(
    chat_admin: ChatUser, chat_clock: Clock, stored: tuple[MoqPolicy, int],
    copied: tuple[MoqPolicy, int],
) -> None:  # fmt: skip
    db = chat_admin.services.db
    start = chat_clock() + timedelta(days=1)
    plan = RoundPlan("Desember", start, start + timedelta(days=2), (), "", *stored)
    [sugar] = [p for p in await list_products(db) if p.code == "GLP-50"]
    async with db.transaction() as tx:  # as written before extensions were checked
        await rounds.insert_round(tx, plan, [RoundItem.snapshot(sugar)], chat_clock())

    await chat_admin.send("/putaran salin")
    await chat_admin.send("Belanja Bareng Januari")
    summary = await chat_admin.send("senin depan 09.00")
    opened = await chat_admin.press(choice(summary, "open"))

    assert templates(opened) == ["admin_round_opened"]
    new = (await rounds.list_rounds(db))[0]
    assert (new.name, (new.moq_policy, new.extend_hours)) == ("Belanja Bareng Januari", copied)


async def test_a_copy_leaves_out_products_retired_since_and_says_which(
    chat_admin: ChatUser, chat_clock: Clock
) -> None:
    db = chat_admin.services.db
    last = await steps.create_round(
        db, "Belanja Bareng Desember", chat_clock() + timedelta(days=1),
        chat_clock() + timedelta(days=3), ["GLP-50", "IDM-GRG", "BMOLI-2L"], now=chat_clock(),
    )  # fmt: skip
    await steps.cancel_round(db, last.id, now=chat_clock())
    await retire_products(chat_admin.services, ["IDM-GRG"])

    asked = await chat_admin.send("/putaran salin")
    asked_text = chat_admin.last_text
    await chat_admin.send("Belanja Bareng Januari")
    summary = await chat_admin.send("senin depan 09.00")
    summary_text = chat_admin.last_text
    opened = await chat_admin.press(choice(summary, "open"))

    assert templates(asked + opened) == ["admin_round_step_name", "admin_round_opened"]
    left_out = "Tidak ikut disalin karena sudah dinonaktifkan: IDM-GRG Indomie Mi Goreng Spesial"
    assert "Produknya (2), aturan MOQ" in asked_text and left_out in asked_text
    assert "Produk: 2 produk (GLP-50, BMOLI-2L)" in summary_text and left_out in summary_text
    new = (await rounds.list_rounds(db))[0]
    assert (new.name, new.status) == ("Belanja Bareng Januari", RoundStatus.OPEN)
    assert [item.product_code for item in new.items] == ["GLP-50", "BMOLI-2L"]


async def test_a_round_whose_products_were_all_retired_is_not_copied(
    chat_admin: ChatUser, chat_clock: Clock
) -> None:
    db = chat_admin.services.db
    last = await steps.create_round(
        db, "Belanja Bareng Desember", chat_clock() + timedelta(days=1),
        chat_clock() + timedelta(days=3), ["IDM-GRG"], now=chat_clock(),
    )  # fmt: skip
    await retire_products(chat_admin.services, ["IDM-GRG"])

    replies = await chat_admin.press("rl")

    assert templates(replies) == ["admin_round_step_copy_none"]
    assert "semua produknya sudah dinonaktifkan (IDM-GRG" in chat_admin.last_text
    assert "/putaran baru" in chat_admin.last_text
    assert await conversations.get_state(db, "telegram", chat_admin.user_id) is None
    assert [r.id for r in await rounds.list_rounds(db)] == [last.id]


async def test_there_is_nothing_to_copy_before_the_first_round(chat_admin: ChatUser) -> None:
    replies = await chat_admin.press("rl")

    assert templates(replies) == ["admin_round_step_no_last"]
    assert "/putaran baru" in chat_admin.last_text


async def test_a_treasurer_pressing_an_admins_step_button_is_refused_and_changes_nothing(
    chat_admin: ChatUser, chat_treasurer: ChatUser
) -> None:
    db = chat_admin.services.db
    await chat_admin.send("/putaran baru")
    await chat_admin.send("Belanja Bareng Januari")
    products = await chat_admin.send("besok jam 5 sore")

    refused = await chat_treasurer.press(choice(products, "all"))
    forged = await chat_admin.press("rw:00000000:all")
    forged_text = chat_admin.last_text
    out_of_step = await chat_admin.press(choice(products, "all").replace(":all", ":open"))
    saved = await conversations.get_state(db, "telegram", chat_admin.user_id)
    moved_on = await chat_admin.press(choice(products, "all"))

    assert templates(refused) == ["errors/not_admin"]
    assert templates(forged) == ["admin_round_step_stale"]
    assert "Tombol ini sudah tidak berlaku" in forged_text
    assert templates(out_of_step) == ["admin_round_step_stale", "admin_round_step_products"]
    assert saved is not None and saved.state["step"] == "products"
    assert templates(moved_on) == ["admin_round_step_moq"]
    assert await rounds.list_rounds(db) == []


async def test_a_deadline_in_the_past_or_unreadable_is_explained_and_asked_again(
    chat_admin: ChatUser,
) -> None:
    await chat_admin.send("/putaran baru")
    empty = await chat_admin.send("   ")
    too_long = await chat_admin.send("Belanja " * 20)
    too_long_text = chat_admin.last_text
    await chat_admin.send("Belanja Bareng Januari")
    past = await chat_admin.send("hari ini 07.00")
    past_text = chat_admin.last_text
    unreadable = await chat_admin.send("secepatnya")
    unreadable_text = chat_admin.last_text
    no_time = await chat_admin.send("besok")
    no_time_text = chat_admin.last_text
    moved_on = await chat_admin.send("besok jam 5 sore")

    assert templates(empty + too_long) == ["admin_round_step_name"] * 2
    assert "paling banyak 80 huruf" in too_long_text
    assert templates(past + unreadable + no_time) == ["admin_round_step_deadline"] * 3
    assert "«hari ini 07.00» sudah lewat; sekarang Selasa, 1 Des 2026 08.00 WIB" in past_text
    assert "besok jam 5 sore" in past_text
    assert "«secepatnya» tidak bisa dibaca sebagai hari dan jam" in unreadable_text
    assert "«besok» belum ada jamnya" in no_time_text
    assert templates(moved_on) == ["admin_round_step_products"]
    assert await rounds.list_rounds(chat_admin.services.db) == []


async def test_an_unknown_product_code_is_named_and_the_question_stays_open(
    chat_admin: ChatUser,
) -> None:
    await chat_admin.send("/putaran baru")
    await chat_admin.send("Belanja Bareng Januari")
    await chat_admin.send("besok jam 5 sore")

    unknown = await chat_admin.send("GLP-50 TIDAKADA")
    unknown_text = chat_admin.last_text
    known = await chat_admin.send("GLP-50")

    assert templates(unknown) == ["admin_round_step_products"]
    assert "Kode produk TIDAKADA tidak ada di katalog" in unknown_text
    assert templates(known) == ["admin_round_step_moq"]


async def test_cancelling_the_steps_saves_nothing_and_text_is_read_as_usual_again(
    chat_admin: ChatUser,
) -> None:
    db = chat_admin.services.db
    asked = await chat_admin.send("/putaran baru")
    stopped = await chat_admin.press(choice(asked, "stop"))
    after = await chat_admin.send("Belanja Bareng Januari")

    assert templates(stopped) == ["admin_round_step_stopped"]
    assert "admin_round_step_name" not in templates(after)
    assert await conversations.get_state(db, "telegram", chat_admin.user_id) is None
    assert await rounds.list_rounds(db) == []


async def test_the_deadline_is_read_in_the_offices_configured_zone(
    chat_admin: ChatUser, chat_clock: Clock
) -> None:
    in_makassar = replace(chat_admin.services, timezone=ZoneInfo("Asia/Makassar"))
    admin = replace(chat_admin, services=in_makassar)
    await admin.send("/putaran baru")
    await admin.send("Belanja Bareng Januari")
    products = await admin.send("besok 17.00")
    policy = await admin.press(choice(products, "all"))
    note = await admin.press(choice(policy, "drop"))
    summary = await admin.press(choice(note, "skip"))
    await admin.press(choice(summary, "open"))

    [round_] = await rounds.list_rounds(in_makassar.db)
    assert round_.closes_at == datetime(2026, 12, 2, 9, 0, tzinfo=UTC)


async def summary_of_january(admin: ChatUser, deadline: str) -> list[Reply]:
    """The steps up to the summary: every product, MOQ missed dropped, no note."""
    await admin.send("/putaran baru")
    await admin.send("Belanja Bareng Januari")
    products = await admin.send(deadline)
    policy = await admin.press(choice(products, "all"))
    note = await admin.press(choice(policy, "drop"))
    return await admin.press(choice(note, "skip"))


async def test_while_a_round_is_open_the_summary_offers_only_to_save_a_draft(
    chat_admin: ChatUser, chat_round: Round
) -> None:
    db = chat_admin.services.db
    summary = await summary_of_january(chat_admin, "senin depan 17.00")
    summary_text = chat_admin.last_text

    opening = await chat_admin.press(choice(summary, "draft"))
    drafted = await chat_admin.send("Jumat 08.00")

    assert [p.rsplit(":", 1)[1] for p in payloads(summary)] == ["draft", "stop"]
    assert (
        f"Putaran {chat_round.name} (#{chat_round.id}) masih dibuka sampai "
        "Jumat, 4 Des 2026 08.00 WIB, dan hanya satu putaran bisa dibuka sekaligus"
    ) in summary_text
    assert templates(opening + drafted) == ["admin_round_step_opens", "admin_round_drafted"]
    draft = (await rounds.list_rounds(db))[0]
    assert (draft.name, draft.status) == ("Belanja Bareng Januari", RoundStatus.DRAFT)
    assert draft.opens_at == datetime(2026, 12, 4, 1, 0, tzinfo=UTC)


async def test_open_now_after_another_round_opened_keeps_the_answers_at_the_summary(
    chat_admin: ChatUser, chat_clock: Clock
) -> None:
    db = chat_admin.services.db
    summary = await summary_of_january(chat_admin, "senin depan 17.00")
    other = await open_example_round(db, chat_clock())  # staff opened one meanwhile

    refused = await chat_admin.press(choice(summary, "open"))
    refused_text = chat_admin.last_text
    opening = await chat_admin.press(choice(refused, "draft"))
    drafted = await chat_admin.send("besok 08.00")

    assert templates(refused) == ["admin_round_step_summary"]
    assert "Nama: Belanja Bareng Januari" in refused_text
    assert refused_text.endswith(
        f"Putaran ini belum bisa dibuka sekarang: Putaran {other.name} (#{other.id}) masih "
        "dibuka sampai Jumat, 4 Des 2026 08.00 WIB, dan hanya satu putaran bisa dibuka "
        "sekaligus. Simpan sebagai draf menyimpan putaran ini dengan isian di atas dan "
        "membukanya otomatis pada waktu yang Anda pilih, sesudah putaran itu ditutup."
    )
    assert "/putaran draf" not in refused_text
    assert templates(opening + drafted) == ["admin_round_step_opens", "admin_round_drafted"]
    draft = (await rounds.list_rounds(db))[0]
    assert (draft.name, draft.status) == ("Belanja Bareng Januari", RoundStatus.DRAFT)


async def test_a_draft_ending_before_the_open_round_does_is_sent_back_to_the_deadline(
    chat_admin: ChatUser, chat_round: Round
) -> None:
    db = chat_admin.services.db
    summary = await summary_of_january(chat_admin, "besok 17.00")  # the open round: Friday

    asked_again = await chat_admin.press(choice(summary, "draft"))
    asked_again_text = chat_admin.last_text
    summary_again = await chat_admin.send("senin depan 17.00")
    opening = await chat_admin.press(choice(summary_again, "draft"))
    drafted = await chat_admin.send("Jumat 08.00")

    assert templates(asked_again) == ["admin_round_step_deadline"]
    assert "tidak akan pernah dibuka. Ketik batas waktu sesudah Jumat, 4 Des 2026" in (
        asked_again_text
    )
    assert templates(summary_again + opening + drafted) == [
        "admin_round_step_summary", "admin_round_step_opens", "admin_round_drafted",
    ]  # fmt: skip
    draft = (await rounds.list_rounds(db))[0]
    assert draft.closes_at == datetime(2026, 12, 7, 10, 0, tzinfo=UTC)


async def test_a_deadline_that_passes_before_opening_is_asked_again(
    chat_admin: ChatUser, chat_clock: Clock
) -> None:
    await chat_admin.send("/putaran baru")
    await chat_admin.send("Belanja Bareng Januari")
    products = await chat_admin.send("hari ini jam 9 pagi")
    policy = await chat_admin.press(choice(products, "all"))
    note = await chat_admin.press(choice(policy, "drop"))
    summary = await chat_admin.press(choice(note, "skip"))
    chat_clock.advance(timedelta(hours=2))

    late = await chat_admin.press(choice(summary, "open"))
    late_text = chat_admin.last_text
    summary_again = await chat_admin.send("besok jam 9 pagi")
    opened = await chat_admin.press(choice(summary_again, "open"))

    assert templates(late) == ["admin_round_step_deadline"]
    assert "sudah lewat sebelum putarannya dibuka" in late_text
    assert templates(summary_again + opened) == ["admin_round_step_summary", "admin_round_opened"]
    [round_] = await rounds.list_rounds(chat_admin.services.db)
    assert round_.closes_at == datetime(2026, 12, 2, 2, 0, tzinfo=UTC)
