"""Dinas staff nudge, with /ingatkan, the coops that have not ordered: now, at most once an hour
per coop, every treasurer of those coops in their own language, through the outbox."""

from __future__ import annotations

from datetime import timedelta

import tests.support.use_case_steps as steps
from messages.outbox_codec import decode_reply
from messages.replies import Reply
from purchasing.model import Round
from storage import nudges
from storage.delivery import outbox
from tests.support.clock import Clock
from tests.support.fixtures.admin import outbox_total
from tests.support.fixtures.chat import ChatUser, render_reply


async def _order(admin: ChatUser, round_: Round, coop: str) -> None:
    await steps.set_commitment(
        admin.services.db, round_id=round_.id, coop_code=coop, product_code="GLP-50",
        quantity=3, actor="telegram:5101", via="telegram:5101", now=admin.services.now(),
    )  # fmt: skip


async def _nudges_queued(admin: ChatUser, clock: Clock) -> dict[str, Reply]:
    """Per treasurer's chat, the nudge waiting in the outbox."""
    due = await outbox.due_messages(admin.services.db, clock())
    return {m.chat_id: decode_reply(m.payload) for m in due if m.dedupe_key.startswith("nudge:")}


async def test_admin_nudges_the_coops_that_have_not_ordered_and_hears_how_many(
    chat_admin: ChatUser, admin_reps: list[ChatUser], chat_round: Round, chat_clock: Clock
) -> None:
    await _order(chat_admin, chat_round, "DT")  # Bu Ani's coop has ordered

    replies = await chat_admin.send("/ingatkan")

    assert [reply.template for reply in replies] == ["admin_nudged"]
    text = chat_admin.last_text
    assert "Pengingat dikirim ke 2 koperasi (2 bendahara)" in text
    assert "Koperasi Keluarga Pegawai (KKP) ITB" in text
    assert "Belum punya bendahara di bot, jadi tidak bisa diingatkan (17)" in text
    queued = await _nudges_queued(chat_admin, chat_clock)
    assert sorted(queued) == ["5102", "5103"]  # Pak Dedi (KKPITB) and Bu Euis (KOPERTIS4)
    assert queued["5102"].template == "reminder_nudge" and queued["5102"].language == "en"
    coops = queued["5103"].context["coops"]
    assert isinstance(coops, list) and [c["coop_code"] for c in coops] == ["KOPERTIS4"]
    assert queued["5103"].flat_options[0].payload == f"k:{chat_round.id}:0"
    heard = render_reply(chat_admin.renderer, queued["5103"])
    assert "Koperasi Karyawan Kopertis Wilayah IV belum memesan." in heard
    stored = await nudges.last_nudged(chat_admin.services.db, chat_round.id)
    assert stored == {"KKPITB": chat_clock(), "KOPERTIS4": chat_clock()}


async def test_a_second_nudge_within_the_hour_skips_those_coops_and_says_when_they_may_be_nudged(
    chat_admin: ChatUser, admin_reps: list[ChatUser], chat_round: Round, chat_clock: Clock
) -> None:
    await chat_admin.send("/ingatkan")  # 08.00 WIB
    chat_clock.advance(timedelta(minutes=20))

    again = await chat_admin.send("/remind")

    assert [reply.template for reply in again] == ["admin_nudged"]
    text = chat_admin.last_text
    assert "Kali ini tidak ada koperasi yang diingatkan." in text
    assert "Dilewati karena sudah diingatkan dalam satu jam terakhir (3)" in text
    assert "• Kopontren Daarut Tauhid: diingatkan 08.00 WIB, bisa lagi mulai 09.00 WIB" in text
    assert await outbox_total(chat_admin.services, "nudge:") == 3

    chat_clock.advance(timedelta(minutes=40))
    await chat_admin.send("/ingatkan")

    assert "Pengingat dikirim ke 3 koperasi (3 bendahara)" in chat_admin.last_text
    assert "Dilewati" not in chat_admin.last_text
    assert await outbox_total(chat_admin.services, "nudge:") == 6


async def test_admin_nudges_one_named_coop_and_an_unknown_code_explains_what_to_type(
    chat_admin: ChatUser, admin_reps: list[ChatUser], chat_round: Round, chat_clock: Clock
) -> None:
    await _order(chat_admin, chat_round, "DT")

    unknown = await chat_admin.send("/ingatkan NOPE")
    assert [reply.template for reply in unknown] == ["admin_nudge_usage"]
    assert "Tidak ada koperasi dengan kode NOPE" in chat_admin.last_text
    assert "/ingatkan KODE_KOPERASI" in chat_admin.last_text
    ordered = await chat_admin.send("/ingatkan dt")
    assert [reply.template for reply in ordered] == ["admin_nudged"]
    assert "Kopontren Daarut Tauhid sudah memesan" in chat_admin.last_text
    assert await outbox_total(chat_admin.services, "nudge:") == 0

    await chat_admin.send("/ingatkan kopertis4")

    assert "Pengingat dikirim ke 1 koperasi (1 bendahara)" in chat_admin.last_text
    assert sorted(await _nudges_queued(chat_admin, chat_clock)) == ["5103"]


async def test_the_recap_button_nudges_only_the_open_round_and_only_for_an_admin(
    chat_admin: ChatUser,
    admin_reps: list[ChatUser],
    chat_round: Round,
    chat_stranger: ChatUser,
) -> None:
    refused = await chat_stranger.press(f"ain:{chat_round.id}")
    stale = await chat_admin.press(f"ain:{chat_round.id + 1}")

    assert [reply.template for reply in refused] == ["errors/not_admin"]
    assert [reply.template for reply in stale] == ["errors/stale_button"]
    assert await outbox_total(chat_admin.services, "nudge:") == 0

    await chat_admin.press(f"ain:{chat_round.id}")

    assert "Pengingat dikirim ke 3 koperasi (3 bendahara)" in chat_admin.last_text


async def test_nudge_without_an_open_round_says_so(chat_admin: ChatUser) -> None:
    replies = await chat_admin.send("/ingatkan")

    assert [reply.template for reply in replies] == ["admin_no_open_round"]
