"""The command menus Telegram shows beside the text field, per scope and per language.

Treasurers see their commands in private chats, groups see only help, and every admin known
to storage gets the admin commands too (a menu for their own chat). Descriptions are
templates messages/templates/<lang>/menu/<command>.j2. The default language's menu has no
language code, so it is what everyone else sees; the other language is set for its code.
"""

from __future__ import annotations

from collections.abc import Sequence

from telegram import (
    Bot,
    BotCommand,
    BotCommandScope,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
    BotCommandScopeChat,
)

from messages.formatting import LANGUAGES
from messages.render import Renderer
from storage.database import Database
from storage.people import reps

PRIVATE_COMMANDS = (
    "katalog", "cari", "pesan", "pesanan", "ulang", "tagihan", "bayar", "bahasa", "bantuan",
)  # fmt: skip
GROUP_COMMANDS = ("bantuan",)
ADMIN_COMMANDS = (
    "rekap", "ingatkan", "ekspor", "pembayaran", "putaran", "undang", "pengurus", "siaran",
    "pesankan", "dasbor", "grafik", *PRIVATE_COMMANDS,
)  # fmt: skip


def menu(renderer: Renderer, commands: Sequence[str], language: str) -> list[BotCommand]:
    return [
        BotCommand(command, renderer.render_label(f"menu/{command}", language))
        for command in commands
    ]


async def telegram_admin_ids(db: Database) -> list[int]:
    return [
        int(admin.user_id) for admin in await reps.list_admins(db) if admin.platform == "telegram"
    ]


async def set_command_menus(
    bot: Bot, renderer: Renderer, default_language: str, admin_ids: Sequence[int]
) -> None:
    scopes: list[tuple[BotCommandScope, Sequence[str]]] = [
        (BotCommandScopeAllPrivateChats(), PRIVATE_COMMANDS),
        (BotCommandScopeAllGroupChats(), GROUP_COMMANDS),
        *((BotCommandScopeChat(admin_id), ADMIN_COMMANDS) for admin_id in admin_ids),
    ]
    for scope, commands in scopes:
        for language in LANGUAGES:
            code = None if language == default_language else language
            await bot.set_my_commands(
                menu(renderer, commands, language), scope=scope, language_code=code
            )
