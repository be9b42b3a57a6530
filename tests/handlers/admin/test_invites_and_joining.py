"""Invites expire by default (`[invites] valid_days`), admins hear who joined, and an admin's
/start shows the admin's help."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from handlers.contract.services import Services
from messages import Renderer
from messages.outbox_codec import decode_reply
from storage.delivery import outbox
from storage.people import invites, reps
from tests.support.clock import Clock
from tests.support.fixtures.chat import ChatUser, render_reply


async def test_an_invite_made_in_chat_is_valid_for_14_days_and_the_admin_is_told_until_when(
    chat_admin: ChatUser, chat_stranger: ChatUser, chat_clock: Clock
) -> None:
    replies = await chat_admin.send("/undang KKPITB")

    assert "Berlaku sampai Selasa, 15 Des 2026 08.00 WIB." in chat_admin.last_text
    code = str(replies[0].context["code"])
    invite = await invites.get_invite(chat_admin.services.db, code)
    assert invite is not None and invite.expires_at == chat_clock() + timedelta(days=14)

    chat_clock.advance(timedelta(days=15))
    late = await chat_stranger.send(f"/start {code}")

    assert [reply.template for reply in late] == ["errors/invite_expired"]


async def test_with_valid_days_0_an_invite_never_expires(
    chat_services: Services, chat_renderer: Renderer, chat_admin: ChatUser
) -> None:
    services = replace(chat_services, invite_valid_days=0)
    admin = ChatUser(services, chat_renderer, chat_admin.user_id, chat_admin.display_name)

    replies = await admin.send("/undang DT 3")

    assert "Bisa dipakai 3 kali. Berlaku tanpa batas waktu." in admin.last_text
    invite = await invites.get_invite(services.db, str(replies[0].context["code"]))
    assert invite is not None and invite.expires_at is None


async def test_every_admin_hears_who_joined_once(
    chat_admin: ChatUser,
    chat_stranger: ChatUser,
    chat_clock: Clock,
    chat_renderer: Renderer,
) -> None:
    db = chat_admin.services.db
    await reps.add_admin(db, "whatsapp", "6281111", "Pak Asep", "config", chat_clock())
    replies = await chat_admin.send("/undang KKPITB")
    code = str(replies[0].context["code"])

    await chat_stranger.send(f"/start {code}")
    await chat_stranger.send(f"/start {code}")  # again: already a treasurer, no news

    due = [m for m in await outbox.due_messages(db, chat_clock()) if m.kind == "admin_joined"]
    assert sorted((m.platform, m.chat_id) for m in due) == [
        ("telegram", "9001"),
        ("whatsapp", "6281111"),
    ]
    text = render_reply(chat_renderer, decode_reply(due[0].payload))
    assert text == (
        "👋 Pak Budi bergabung lewat Telegram sebagai bendahara "
        "Koperasi Keluarga Pegawai (KKP) ITB (KKPITB)."
    )


async def test_an_admin_who_sends_start_gets_the_admin_help(chat_admin: ChatUser) -> None:
    replies = await chat_admin.send("/start")

    assert [reply.template for reply in replies] == ["help"]
    assert "Untuk admin Dinas" in chat_admin.last_text
    assert "/ingatkan" in chat_admin.last_text
    assert "belum terdaftar sebagai pengurus" not in chat_admin.last_text
