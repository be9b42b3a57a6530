"""Command menus are set at start-up per scope and language, with admin menus per admin."""

from __future__ import annotations

from bot.telegram.menus import ADMIN_COMMANDS, GROUP_COMMANDS, PRIVATE_COMMANDS
from handlers import router
from handlers.contract.services import Services
from storage.people import reps
from tests.support.builders import NOW
from tests.support.fake_telegram import FakeTelegram
from tests.support.fixtures.telegram import bot_running, config_for

PRIVATE: dict[str, object] = {"type": "all_private_chats"}
GROUPS: dict[str, object] = {"type": "all_group_chats"}


def names(menu: list[dict[str, str]]) -> list[str]:
    return [entry["command"] for entry in menu]


async def test_menus_are_set_per_scope_in_indonesian_by_default_and_in_english_for_english(
    fake_telegram: FakeTelegram,
    bot_services: Services,
) -> None:
    await reps.add_admin(bot_services.db, "telegram", "4242", "Bu Rina", "config", NOW)
    await reps.add_admin(bot_services.db, "whatsapp", "6281234567890", "Pak Ujang", "config", NOW)

    async with bot_running(config_for(fake_telegram, bot_services.db.path), bot_services):
        pass

    private_id = fake_telegram.commands(PRIVATE)
    private_en = fake_telegram.commands(PRIVATE, language_code="en")
    assert names(private_id) == names(private_en) == list(PRIVATE_COMMANDS)
    assert private_id[0] == {
        "command": "katalog",
        "description": "Lihat katalog putaran yang sedang buka",
    }
    assert private_en[0]["description"] == "See the catalog of the open round"
    assert names(fake_telegram.commands(GROUPS)) == list(GROUP_COMMANDS)
    admin_chat: dict[str, object] = {"type": "chat", "chat_id": 4242}
    assert names(fake_telegram.commands(admin_chat)) == list(ADMIN_COMMANDS)
    assert fake_telegram.commands(admin_chat, language_code="en")[0]["description"] == (
        "The round at a glance, and who has not ordered"
    )
    menus_set = fake_telegram.calls_to("setMyCommands")
    assert len(menus_set) == 3 * 2  # private, groups, one telegram admin; two languages each
    assert fake_telegram.errors == []


def test_every_command_in_a_menu_is_one_the_bot_understands() -> None:
    offered = {*PRIVATE_COMMANDS, *GROUP_COMMANDS, *ADMIN_COMMANDS}

    assert sorted(offered - set(router.COMMANDS)) == []
