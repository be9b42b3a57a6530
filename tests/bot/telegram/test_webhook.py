"""Webhook mode: Telegram's secret token header is required, and updates are then served."""

from __future__ import annotations

import socket

import aiohttp

from bot.config import Secret, WebhookConfig
from handlers.contract.services import Services
from purchasing.model import Rep
from storage.commitment_reads import commitments_for_coop
from storage.people import reps
from tests.support.builders import NOW
from tests.support.fake_telegram import FakeTelegram
from tests.support.fixtures.telegram import bot_running, config_for
from tests.support.storage_builders import seed_open_round

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


async def test_a_tap_telegram_delivers_twice_adds_its_quantity_once(
    fake_telegram: FakeTelegram,
    bot_services: Services,
) -> None:
    round_ = await seed_open_round(bot_services.db)
    await reps.add_rep(bot_services.db, Rep("telegram", "2002", "KOP01"), NOW)
    port = free_port()
    url = f"http://127.0.0.1:{port}/telegram"
    hook = WebhookConfig(
        listen="127.0.0.1", port=port, url_path="telegram", public_url=url,
        secret_token=Secret(SECRET),
    )  # fmt: skip
    siti = fake_telegram.user(2002, "Siti")

    async with bot_running(config_for(fake_telegram, bot_services.db.path, hook), bot_services):
        await fake_telegram.deliver_to_webhook(fake_telegram.text_update(siti, "/katalog"))
        catalog = await fake_telegram.wait_for_message(siti.id)
        product = fake_telegram.button_update(siti, catalog, catalog.callback_data_for("BRS5"))
        await fake_telegram.deliver_to_webhook(product)
        await fake_telegram.wait_for_call("answerCallbackQuery")
        tap = fake_telegram.button_update(siti, catalog, catalog.callback_data_for("+5"))
        await fake_telegram.deliver_to_webhook(tap)
        first = await fake_telegram.wait_for_call("answerCallbackQuery")
        await fake_telegram.deliver_to_webhook(tap)  # Telegram was unsure we got it
        again = await fake_telegram.wait_for_call("answerCallbackQuery")

    ordered = await commitments_for_coop(bot_services.db, round_.id, "KOP01")
    assert {c.product_code: c.quantity for c in ordered} == {"BRS5": 5}
    assert (first.ok, again.ok) == (True, False)  # the repeat is skipped, its query too old
    assert len(catalog.versions) == 2  # the product, then the one tap
