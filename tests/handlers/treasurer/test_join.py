"""A treasurer joins with an invite code, and chooses which coop they act for."""

from __future__ import annotations

from datetime import timedelta

import tests.support.use_case_steps as steps
from handlers.contract.services import Services
from purchasing.model import Rep, Round
from storage.people import invites, preferences
from storage.people.reps import add_rep, reps_for_user
from tests.support.clock import Clock
from tests.support.fixtures.chat import ChatUser, button, payloads
from tests.support.storage_builders import begin_closing


async def test_treasurer_joins_with_invite_link_and_gets_the_menu(
    chat_services: Services, chat_stranger: ChatUser, chat_round: Round, chat_clock: Clock
) -> None:
    invite = await steps.create_invite(chat_services.db, "KKPITB", "telegram:9001", chat_clock())

    replies = await chat_stranger.send(f"/start {invite.code}")

    assert [reply.template for reply in replies] == ["join_done"]
    assert "Koperasi Keluarga Pegawai (KKP) ITB" in chat_stranger.last_text
    assert payloads(replies) == [f"k:{chat_round.id}:0", f"o:{chat_round.id}"]
    joined = await reps_for_user(chat_services.db, "telegram", chat_stranger.user_id)
    assert [rep.coop_code for rep in joined] == ["KKPITB"]
    used = await invites.get_invite(chat_services.db, invite.code)
    assert used is not None and used.uses == 1


async def test_start_without_a_code_tells_a_stranger_to_ask_the_dinas(
    chat_stranger: ChatUser,
) -> None:
    replies = await chat_stranger.send("/start")

    assert [reply.template for reply in replies] == ["join_welcome"]
    assert "/start KODE" in chat_stranger.last_text


async def test_start_without_a_code_shows_a_known_rep_the_main_menu(
    chat_treasurer: ChatUser, chat_round: Round
) -> None:
    replies = await chat_treasurer.send("/start")

    assert [reply.template for reply in replies] == ["join_menu"]
    assert payloads(replies) == [f"k:{chat_round.id}:0", f"o:{chat_round.id}"]
    assert "Kopontren Daarut Tauhid" in chat_treasurer.last_text
    assert "sedang buka; pesanan paling lambat" in chat_treasurer.last_text


async def test_the_menu_says_the_round_takes_no_more_orders_while_staff_close_it(
    chat_treasurer: ChatUser, chat_round: Round, chat_clock: Clock
) -> None:
    await begin_closing(chat_treasurer.services.db, chat_round.id, chat_clock())

    await chat_treasurer.send("/start")

    assert "sedang ditutup oleh admin Dinas dan tidak menerima pesanan lagi" in (
        chat_treasurer.last_text
    )
    assert "paling lambat" not in chat_treasurer.last_text


async def test_bad_expired_and_used_up_codes_are_explained_and_change_nothing(
    chat_services: Services, chat_stranger: ChatUser, chat_clock: Clock
) -> None:
    db, now = chat_services.db, chat_clock()
    expired = await steps.create_invite(db, "DT", "admin", now, expires_at=now + timedelta(1))
    used_up = await steps.create_invite(db, "DT", "admin", now, max_uses=1)
    await steps.redeem_invite(db, used_up.code, "telegram", "7777", "Orang lain", now)
    chat_clock.advance(timedelta(days=2))

    unknown = await chat_stranger.send("/start bukan-kode-yang-benar")
    late = await chat_stranger.send(f"/start {expired.code}")
    full = await chat_stranger.send(f"/start {used_up.code}")

    assert [r.template for r in unknown + late + full] == [
        "errors/invite_unknown",
        "errors/invite_expired",
        "errors/invite_used_up",
    ]
    assert await reps_for_user(db, "telegram", chat_stranger.user_id) == []


async def test_joining_a_second_coop_asks_which_one_to_act_for(
    chat_services: Services, chat_treasurer: ChatUser, chat_clock: Clock
) -> None:
    invite = await steps.create_invite(chat_services.db, "PERSIS", "admin", chat_clock())

    replies = await chat_treasurer.send(f"/start {invite.code}")

    assert [reply.template for reply in replies] == ["join_done"]
    assert payloads(replies) == ["c:DT", "c:PERSIS"]

    chosen = await chat_treasurer.press(button(replies, "c:PERSIS"))

    assert [(r.template, r.replace) for r in chosen] == [("join_coop_chosen", True)]
    prefs = await preferences.get_prefs(chat_services.db, "telegram", chat_treasurer.user_id)
    assert prefs.acting_coop_code == "PERSIS"


async def test_choosing_a_coop_one_does_not_represent_changes_nothing(
    chat_services: Services, chat_treasurer: ChatUser, chat_clock: Clock
) -> None:
    other = Rep("telegram", "7777", "PERSIS")
    await add_rep(chat_services.db, other, chat_clock())

    replies = await chat_treasurer.press("c:PERSIS")

    assert [reply.template for reply in replies] == ["errors/stale_button"]
    prefs = await preferences.get_prefs(chat_services.db, "telegram", chat_treasurer.user_id)
    assert prefs.acting_coop_code is None


async def test_koperasi_command_lists_the_coops_to_switch_between(
    chat_services: Services, chat_treasurer: ChatUser, chat_clock: Clock
) -> None:
    await add_rep(chat_services.db, Rep("telegram", "5001", "PERSIS"), chat_clock())

    replies = await chat_treasurer.send("/koperasi")

    assert [reply.template for reply in replies] == ["join_choose_coop"]
    assert payloads(replies) == ["c:DT", "c:PERSIS"]


async def test_joining_another_coop_keeps_the_chosen_coop_and_says_so(
    chat_services: Services, chat_treasurer: ChatUser, chat_clock: Clock
) -> None:
    await preferences.set_acting_coop(chat_services.db, "telegram", chat_treasurer.user_id, "DT")
    invite = await steps.create_invite(chat_services.db, "PERSIS", "admin", chat_clock())

    replies = await chat_treasurer.send(f"/start {invite.code}")

    assert [reply.template for reply in replies] == ["join_done"]
    assert "masih memesan untuk Kopontren Daarut Tauhid" in chat_treasurer.last_text
