"""Invites for coops, more admins, and anyone asking who they are."""

from __future__ import annotations

from dataclasses import replace

import pytest

import tests.support.use_case_steps as steps
from handlers.contract.services import Services
from messages import Renderer
from purchasing.errors import InviteExpired, InviteUsedUp
from purchasing.model import Round
from storage.people import invites, reps
from tests.support.builders import make_coop
from tests.support.clock import Clock
from tests.support.fixtures.chat import ChatUser, button
from tests.support.use_case_steps import import_catalog

BOT_LINK = "https://t.me/BelanjaBarengBot?start={code}"
WA_LINK = "https://wa.me/6281234567890?text=/start%20{code}"


async def test_admin_creates_invite_limited_to_2_uses(
    chat_services: Services, chat_renderer: Renderer, chat_admin: ChatUser, chat_clock: Clock
) -> None:
    services = replace(chat_services, deep_links={"telegram": BOT_LINK, "whatsapp": WA_LINK})
    admin = ChatUser(services, chat_renderer, chat_admin.user_id, chat_admin.display_name)

    replies = await admin.send("/undang dt 2")

    assert [reply.template for reply in replies] == ["admin_invite_created"]
    code = str(replies[0].context["code"])
    invite = await invites.get_invite(services.db, code)
    assert invite is not None and (invite.coop_code, invite.max_uses) == ("DT", 2)
    assert invite.created_by == "telegram:9001"
    assert f"/start {code}" in admin.last_text
    assert BOT_LINK.format(code=code) in admin.last_text
    assert WA_LINK.format(code=code) in admin.last_text  # for treasurers on WhatsApp
    assert "Bisa dipakai 2 kali. Berlaku sampai Selasa, 15 Des 2026" in admin.last_text
    assert f"membuka tautan:\n• Telegram: {BOT_LINK.format(code=code)}\n• WhatsApp:" in (
        admin.last_text
    )
    now = chat_clock()
    await steps.redeem_invite(services.db, code, "telegram", "6001", "Satu", now)
    await steps.redeem_invite(services.db, code, "telegram", "6002", "Dua", now)
    with pytest.raises(InviteUsedUp):
        await steps.redeem_invite(services.db, code, "telegram", "6003", "Tiga", now)
    assert [rep.user_id for rep in await reps.reps_for_coop(services.db, "DT")] == ["6001", "6002"]


async def test_invite_without_link_or_for_an_unknown_coop(chat_admin: ChatUser) -> None:
    plain = await chat_admin.send("/invite KKPITB")
    unknown = await chat_admin.send("/undang TIDAKADA")
    bad_uses = await chat_admin.send("/undang DT nol")

    assert [r.template for r in plain] == ["admin_invite_created"]
    assert plain[0].context["links"] == {} and plain[0].context["max_uses"] is None
    assert [r.template for r in unknown] == ["errors/unknown_coop"]
    assert [r.template for r in bad_uses] == ["admin_invite_usage"]


async def test_admin_adds_an_admin_who_found_their_id_with_saya(
    chat_admin: ChatUser, chat_stranger: ChatUser, chat_round: Round
) -> None:
    before = await chat_stranger.send("/saya")
    assert [r.template for r in before] == ["admin_whoami"]
    assert before[0].context["user_id"] == "5002" and before[0].context["is_admin"] is False

    added = await chat_admin.send("/admin 5002")
    assert added[0].context == {"user_id": "5002", "already": False}
    assert "Pengguna 5002 sekarang admin" in chat_admin.last_text
    again = await chat_admin.send("/admin 5002")

    assert again[0].context["already"] is True
    assert await reps.is_admin(chat_admin.services.db, "telegram", "5002")
    recap = await chat_stranger.send("/rekap")
    assert [r.template for r in recap] == ["admin_recap"]
    assert [r.template for r in await chat_admin.send("/admin bukan id!")] == ["admin_add_usage"]


async def test_admin_revokes_a_leaked_invite_and_removes_who_joined_with_it(
    chat_admin: ChatUser, chat_stranger: ChatUser, chat_clock: Clock
) -> None:
    db = chat_admin.services.db
    created = await chat_admin.send("/undang DT")
    code = str(created[0].context["code"])
    await chat_stranger.send(f"/start {code}")  # someone who should not have had it

    await chat_admin.send(f"/cabut {code}")
    listed = await chat_admin.send("/pengurus dt")
    removed = await chat_admin.press(button(listed, f"ad:DT:telegram:{chat_stranger.user_id}"))
    again = await chat_admin.press(f"ad:DT:telegram:{chat_stranger.user_id}")  # a stale list

    with pytest.raises(InviteExpired):
        await steps.redeem_invite(db, code, "telegram", "6009", "Lain", chat_clock())
    assert [rep.user_id for rep in await reps.reps_for_coop(db, "DT")] == []
    assert removed[0].replace and removed[0].context["removed"] == chat_stranger.display_name
    assert [r.template for r in again] == ["errors/stale_button"]
    assert [r.template for r in await chat_stranger.send("/pengurus DT")] == ["errors/not_admin"]
    unknown = await chat_admin.send("/pengurus XX")  # no such coop: said so, not the usage
    assert [r.template for r in unknown] == ["errors/unknown_coop"]
    assert "Tidak ada koperasi atau pemasok dengan kode XX" in chat_admin.last_text


async def test_an_invite_names_exactly_the_coop_typed_however_long_its_code(
    chat_admin: ChatUser, chat_services: Services
) -> None:
    await import_catalog(
        chat_services.db,
        coops=[make_coop("KSP-MAJU-BERSAMA"), make_coop("KSP-MAJU-BERSAMA2")],
    )

    made = await chat_admin.send("/undang ksp-maju-bersama2")
    unknown = await chat_admin.send("/undang KSP-MAJU-BERSAMA-SEKALI")

    assert [r.template for r in made] == ["admin_invite_created"]
    invite = await invites.get_invite(chat_services.db, str(made[0].context["code"]))
    assert invite is not None and invite.coop_code == "KSP-MAJU-BERSAMA2"
    assert [r.template for r in unknown] == ["errors/unknown_coop"]
