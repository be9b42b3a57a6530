"""Dinas staff remove an admin in the chat: `/admin hapus ID` (alias `/admin remove`)."""

from __future__ import annotations

import asyncio
import logging

import pytest

from bot.config import Admin, Config
from bot.wiring import register_config_admins
from handlers.contract.services import Services
from messages.replies import Reply
from purchasing.model import Round
from storage.people import reps
from tests.support.clock import Clock
from tests.support.fixtures.chat import ChatUser

LOGGER = "usecases.people"
UJANG = ("whatsapp", "6281234567890", "Pak Ujang", "config")


async def admin_ids(services: Services) -> list[str]:
    return [f"{a.platform}:{a.user_id}" for a in await reps.list_admins(services.db)]


def templates(replies: list[Reply]) -> list[str]:
    return [reply.template for reply in replies]


async def test_admin_removes_a_colleague_who_then_cannot_use_admin_commands(
    chat_admin: ChatUser,
    chat_stranger: ChatUser,
    chat_round: Round,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger=LOGGER)
    await chat_admin.send("/admin 5002")
    assert templates(await chat_stranger.send("/rekap")) == ["admin_recap"]

    removed = await chat_admin.send("/admin hapus 5002")

    assert templates(removed) == ["admin_removed"]
    assert "Pengguna telegram:5002 tidak lagi admin." in chat_admin.last_text
    assert "konfigurasi" not in chat_admin.last_text  # added in the chat, not from the config
    assert await admin_ids(chat_admin.services) == ["telegram:9001"]
    assert templates(await chat_stranger.send("/rekap")) == ["errors/not_admin"]
    logged = [record.getMessage() for record in caplog.records if record.name == LOGGER]
    assert logged == [
        "admin telegram:5002 added by telegram:9001",
        "admin telegram:5002 removed by telegram:9001",
    ]


async def test_the_last_admin_cannot_remove_themselves_until_there_is_another(
    chat_admin: ChatUser, chat_stranger: ChatUser
) -> None:
    refused = await chat_admin.send("/admin hapus 9001")

    assert templates(refused) == ["errors/admin_last"]
    assert "telegram:9001 adalah admin terakhir" in chat_admin.last_text
    assert "/admin ID" in chat_admin.last_text  # what to do instead
    assert await admin_ids(chat_admin.services) == ["telegram:9001"]

    await chat_admin.send("/admin 5002")
    left = await chat_admin.send("/admin hapus telegram:9001")

    assert templates(left) == ["admin_removed"] and left[0].context["yourself"] is True
    assert "Anda tidak lagi admin Dinas." in chat_admin.last_text
    assert await admin_ids(chat_admin.services) == ["telegram:5002"]
    assert templates(await chat_admin.send("/rekap")) == ["errors/not_admin"]
    assert templates(await chat_stranger.send("/admin hapus 5002")) == ["errors/admin_last"]


async def test_removing_someone_who_is_not_an_admin_lists_the_admins_and_changes_nothing(
    chat_admin: ChatUser, chat_stranger: ChatUser, chat_services: Services, chat_clock: Clock
) -> None:
    await reps.add_admin(
        chat_services.db, "whatsapp", "6281234567890", "Pak Ujang", "x", chat_clock()
    )

    refused = await chat_admin.send("/admin hapus 4444")

    assert templates(refused) == ["errors/admin_unknown"]
    text = chat_admin.last_text
    assert text.startswith("4444 bukan admin, jadi tidak ada yang dihapus.")
    assert "• telegram:9001" in text and "• whatsapp:6281234567890 (Pak Ujang)" in text
    assert "/admin hapus whatsapp:6281234567890" in text
    assert await admin_ids(chat_services) == ["telegram:9001", "whatsapp:6281234567890"]
    # A user id on another platform needs its platform: 6281234567890 alone is telegram's.
    assert templates(await chat_admin.send("/admin hapus 6281234567890")) == [
        "errors/admin_unknown"
    ]


async def test_an_admin_on_telegram_removes_a_whatsapp_admin_with_the_english_word(
    chat_admin: ChatUser, chat_services: Services, chat_clock: Clock
) -> None:
    await reps.add_admin(
        chat_services.db, "whatsapp", "6281234567890", "Pak Ujang", "x", chat_clock()
    )

    removed = await chat_admin.send("/admin remove whatsapp:6281234567890")

    assert templates(removed) == ["admin_removed"]
    assert "whatsapp:6281234567890 (Pak Ujang) tidak lagi admin" in chat_admin.last_text
    assert await admin_ids(chat_services) == ["telegram:9001"]


async def test_admin_hapus_without_an_id_says_what_to_type_and_who_the_admins_are(
    chat_admin: ChatUser,
) -> None:
    for text in ("/admin hapus", "/admin HAPUS bukan id!"):
        replies = await chat_admin.send(text)
        assert templates(replies) == ["admin_remove_usage"]
        assert "/admin hapus ID_PENGGUNA" in chat_admin.last_text
        assert "• telegram:9001 (Mbak Rina)" in chat_admin.last_text
    assert await admin_ids(chat_admin.services) == ["telegram:9001"]
    usage = await chat_admin.send("/admin")
    assert templates(usage) == ["admin_add_usage"] and "/admin hapus" in chat_admin.last_text


async def test_someone_who_is_not_an_admin_cannot_remove_one(
    chat_admin: ChatUser, chat_stranger: ChatUser
) -> None:
    await chat_admin.send("/admin 5003")

    refused = await chat_stranger.send("/admin hapus 9001")

    assert templates(refused) == ["errors/not_admin"]
    assert await admin_ids(chat_admin.services) == ["telegram:5003", "telegram:9001"]


async def test_a_config_admin_removed_in_chat_is_told_to_edit_the_config_and_comes_back(
    chat_admin: ChatUser, chat_stranger: ChatUser, chat_clock: Clock
) -> None:
    """Mbak Rina (9001) is in the config's admins; Pak Budi removes her, as the reply warns."""
    await chat_admin.send("/admin 5002")

    removed = await chat_stranger.send("/admin hapus 9001")

    assert removed[0].context["from_config"] is True
    assert "tercantum di daftar admins berkas konfigurasi" in chat_stranger.last_text
    assert "dijalankan ulang" in chat_stranger.last_text
    services = chat_admin.services
    assert await admin_ids(services) == ["telegram:5002"]

    config = Config(admins=(Admin("telegram", "9001"),))
    assert await register_config_admins(services.db, config, chat_clock()) == 1
    assert await admin_ids(services) == ["telegram:5002", "telegram:9001"]


async def test_admin_help_lists_how_to_remove_an_admin(chat_admin: ChatUser) -> None:
    await chat_admin.send("/bantuan")

    assert "/admin hapus ID — keluarkan admin" in chat_admin.last_text


async def test_two_admins_removing_the_same_colleague_at_once_one_is_told_it_is_done_already(
    chat_admin: ChatUser, chat_stranger: ChatUser, chat_services: Services, chat_clock: Clock
) -> None:
    await reps.add_admin(chat_services.db, "telegram", "5003", "Bu Rina", "cli", chat_clock())
    await chat_admin.send("/admin 5002")
    rina = ChatUser(chat_services, chat_admin.renderer, "5003", "Bu Rina")

    both = await asyncio.gather(
        chat_admin.send("/admin hapus 5002"), rina.send("/admin hapus 5002")
    )

    assert sorted(templates(replies)[0] for replies in both) == [
        "admin_removed",
        "errors/admin_unknown",
    ]
    assert await admin_ids(chat_services) == ["telegram:5003", "telegram:9001"]


async def test_an_admin_added_in_chat_and_later_listed_in_the_config_is_told_it_comes_back(
    chat_admin: ChatUser, chat_stranger: ChatUser, chat_clock: Clock
) -> None:
    await chat_admin.send("/admin 5002")
    config = Config(admins=(Admin("telegram", "5002"),))
    assert await register_config_admins(chat_admin.services.db, config, chat_clock()) == 0

    removed = await chat_admin.send("/admin hapus 5002")

    assert removed[0].context["from_config"] is True
    assert "dijalankan ulang" in chat_admin.last_text
