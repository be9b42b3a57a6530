"""The typed context every Telegram callback receives: our objects in one dataclass.

PTB's `bot_data` is a plain dict; the one `Wiring` value is stored under one key when the
Application is built, and `BotContext.wiring` hands it back typed, so no callback casts.
"""

from __future__ import annotations

from typing import Any, TypeAlias

from telegram.ext import Application, CallbackContext, ExtBot

from bot.wiring import Wiring

WIRING_KEY = "belanja_bareng"

PtbDict: TypeAlias = dict[Any, Any]


class BotContext(CallbackContext[ExtBot[None], PtbDict, PtbDict, PtbDict]):
    @property
    def wiring(self) -> Wiring:
        return wiring_of(self.application)


TelegramApplication: TypeAlias = Application[
    ExtBot[None], BotContext, PtbDict, PtbDict, PtbDict, None
]


def wiring_of(application: Application[Any, Any, Any, Any, Any, Any]) -> Wiring:
    wiring = application.bot_data.get(WIRING_KEY)
    if not isinstance(wiring, Wiring):
        raise RuntimeError("the Application was not built by build_telegram_application")
    return wiring
