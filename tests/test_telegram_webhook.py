"""Webhook mode: Telegram's secret token header is required, and updates are then served."""

from __future__ import annotations

import socket

import aiohttp

from bot.config import Secret, WebhookConfig
from handlers.services import Services
from tests.fake_telegram import FakeTelegram
from tests.telegram_support import bot_running, config_for

SECRET = "rahasia-dinas_123"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


async def post(url: str, update: dict[str, object], secret: str | None) -> int:
    headers = {} if secret is None else {"X-Telegram-Bot-Api-Secret-Token": secret}
    async with (
        aiohttp.ClientSession() as session,
        session.post(url, json=update, headers=headers) as response,
    ):
        return response.status


async def test_only_updates_carrying_the_secret_token_are_processed(
    fake_telegram: FakeTelegram,
    bot_services: Services,
) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}/telegram"
    hook = WebhookConfig(
        listen="127.0.0.1",
        port=port,
        url_path="telegram",
        public_url=url,
        secret_token=Secret(SECRET),
    )
    siti = fake_telegram.user(2001, "Siti")

    async with bot_running(config_for(fake_telegram, bot_services.db.path, hook), bot_services):
        wrong = await post(url, fake_telegram.text_update(siti, "/bantuan"), "salah")
        missing = await post(url, fake_telegram.text_update(siti, "/bantuan"), None)
        right = await fake_telegram.deliver_to_webhook(fake_telegram.text_update(siti, "/bahasa"))
        reply = await fake_telegram.wait_for_message(siti.id)

    assert (wrong, missing, right) == (403, 403, 200)
    assert fake_telegram.webhook.secret_token == SECRET
    assert fake_telegram.webhook.allowed_updates == ["message", "callback_query"]
    assert reply.text == "Pilih bahasa:"
    assert [m.text for m in fake_telegram.messages_to(siti.id)] == ["Pilih bahasa:"]
    assert fake_telegram.errors == []
