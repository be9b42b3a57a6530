"""The Telegram transport: python-telegram-bot wired to the transport-neutral handlers.

`build_telegram_application` builds the PTB Application (see application.py);
`run_telegram` runs it by long polling or behind a webhook (see running.py). Updates become
`handlers.contract.events.IncomingEvent` values and replies become Telegram messages in adapter.py.
"""

from bot.telegram.application import build_telegram_application
from bot.telegram.running import run_telegram

__all__ = ["build_telegram_application", "run_telegram"]
