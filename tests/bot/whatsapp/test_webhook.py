"""Meta's calls to the webhook, over real HTTP on 127.0.0.1: verified, signed, once."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from bot.config import Config, ConfigError, Secret, load_config
from bot.whatsapp.adapter import Receiver
from bot.whatsapp.webhook import signature_valid, webhook_app
from handlers.contract.services import Services
from storage.people.preferences import get_prefs
from tests.support.fake_graph import (
    APP_SECRET,
    VERIFY_TOKEN,
    FakeGraph,
    FakeUser,
    sign,
    update_body,
)
from tests.support.fake_graph.bot import whatsapp_config, whatsapp_running
from tests.support.fake_graph.updates import get, post

SITI = FakeUser("6281234500001", "Bu Siti")


async def test_meta_verifies_the_webhook_with_our_verify_token(
    wa_config: Config, chat_services: Services, fake_graph: FakeGraph
) -> None:
    async with whatsapp_running(wa_config, chat_services, fake_graph) as bot:
        good = await get(
            bot.url,
            {
                "hub.mode": "subscribe",
                "hub.verify_token": VERIFY_TOKEN,
                "hub.challenge": "1158201444",
            },
        )
        wrong = await get(
            bot.url, {"hub.mode": "subscribe", "hub.verify_token": "guess", "hub.challenge": "1"}
        )

    assert good == (200, "1158201444")
    assert wrong[0] == 403


async def test_a_signed_message_is_answered(
    wa_config: Config, chat_services: Services, fake_graph: FakeGraph
) -> None:
    async with whatsapp_running(wa_config, chat_services, fake_graph) as bot:
        status = await bot.send(SITI.text("/start"))

    assert status == 200
    (welcome,) = fake_graph.messages_to("6281234500001")
    assert "Selamat datang di *Belanja Bareng*" in welcome.text


@pytest.mark.parametrize(
    ("signature", "status"),
    [(None, 401), ("sha256=" + "0" * 64, 403), ("sha1=abc", 403), ("other-secret", 403)],
    ids=["unsigned", "wrong signature", "wrong algorithm", "signed with another secret"],
)
async def test_an_unsigned_or_wrongly_signed_post_is_refused_and_changes_nothing(
    wa_config: Config,
    chat_services: Services,
    fake_graph: FakeGraph,
    signature: str | None,
    status: int,
) -> None:
    body = update_body(SITI.text("/start"))
    header = sign(body, "another-secret") if signature == "other-secret" else signature

    async with whatsapp_running(wa_config, chat_services, fake_graph) as bot:
        answered = await post(bot.url, body, signature=header)

    assert answered[0] == status
    assert fake_graph.sent == []
    prefs = await get_prefs(chat_services.db, "whatsapp", "6281234500001")
    assert prefs.last_inbound_at is None


async def test_a_message_delivered_twice_is_handled_once(
    wa_config: Config, chat_services: Services, fake_graph: FakeGraph
) -> None:
    body = update_body(SITI.text("/start"))

    async with whatsapp_running(wa_config, chat_services, fake_graph) as bot:
        first = await post(bot.url, body)
        again = await post(bot.url, body)

    assert first[0] == again[0] == 200
    assert len(fake_graph.messages_to("6281234500001")) == 1


async def test_a_batched_post_is_handled_message_by_message(
    wa_config: Config, chat_services: Services, fake_graph: FakeGraph
) -> None:
    budi = FakeUser("6281234500002", "Pak Budi")

    async with whatsapp_running(wa_config, chat_services, fake_graph) as bot:
        await bot.send(SITI.text("/start"), budi.text("/bantuan"))

    assert len(fake_graph.messages_to(SITI.wa_id or "")) == 1
    assert len(fake_graph.messages_to(budi.wa_id or "")) == 1


async def test_a_signed_body_that_is_no_update_is_a_bad_request(
    wa_config: Config, chat_services: Services, fake_graph: FakeGraph
) -> None:
    async with whatsapp_running(wa_config, chat_services, fake_graph) as bot:
        status, _ = await post(bot.url, b"not json at all")

    assert status == 400


async def test_messages_to_another_number_and_status_updates_are_ignored(
    wa_config: Config, chat_services: Services, fake_graph: FakeGraph
) -> None:
    stranger = dataclasses.replace(SITI, phone_number_id="999")
    statuses = {
        "messaging_product": "whatsapp",
        "metadata": {"phone_number_id": wa_config.whatsapp.phone_number_id},
        "statuses": [{"id": "wamid.x", "status": "read", "recipient_id": "6281234500001"}],
    }

    async with whatsapp_running(wa_config, chat_services, fake_graph) as bot:
        assert await bot.send(stranger.text("/start"), statuses) == 200

    assert fake_graph.sent == []


def test_the_signature_is_the_hmac_sha256_of_the_raw_body() -> None:
    body = json.dumps({"entry": []}).encode()

    assert signature_valid(APP_SECRET, body, sign(body))
    assert signature_valid(APP_SECRET, body, sign(body).upper().replace("SHA256=", "sha256="))
    assert not signature_valid(APP_SECRET, body + b" ", sign(body))
    assert not signature_valid(APP_SECRET, body, None)


def test_without_an_app_secret_whatsapp_does_not_start(
    tmp_path: Path, chat_services: Services
) -> None:
    wa_config = whatsapp_config(tmp_path / "db.sqlite3")
    unsigned = dataclasses.replace(wa_config.whatsapp, app_secret=Secret(""))

    with pytest.raises(ConfigError) as refused:
        webhook_app(unsigned, Receiver(chat_services, messenger=None))  # type: ignore[arg-type]

    assert refused.value.params["path"] == "whatsapp.app_secret"


def test_the_config_file_refuses_whatsapp_without_an_app_secret(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(
        '[whatsapp]\nenabled = true\nphone_number_id = "1"\naccess_token = "t"\n'
        'verify_token = "v"\n'
    )

    with pytest.raises(ConfigError) as refused:
        load_config(path, {})

    assert refused.value.params["path"] == "whatsapp.app_secret"
    assert load_config(path, {"WHATSAPP_APP_SECRET": "s"}).whatsapp.app_secret == "s"


async def test_a_message_that_could_not_be_taken_in_is_taken_when_meta_delivers_it_again(
    wa_config: Config, chat_services: Services, fake_graph: FakeGraph
) -> None:
    budi = FakeUser("6281234500002", "Pak Budi")
    first, second = SITI.text("/bantuan"), budi.text("/bantuan")
    db = chat_services.db
    async with whatsapp_running(wa_config, chat_services, fake_graph) as bot:
        async with db.transaction() as conn:  # our storage fails for a moment
            await conn.execute("ALTER TABLE whatsapp_identities RENAME TO identities_away")
        failed = await bot.send(first, second)
        async with db.transaction() as conn:
            await conn.execute("ALTER TABLE identities_away RENAME TO whatsapp_identities")
        retried = await bot.send(first, second)  # Meta retries the whole call

    assert (failed, retried) == (500, 200)
    assert len(fake_graph.messages_to("6281234500001")) == 1  # answered once, on the retry
    assert len(fake_graph.messages_to("6281234500002")) == 1
