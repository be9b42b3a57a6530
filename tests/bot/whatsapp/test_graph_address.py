"""The Graph API's address and version come from the config: `[whatsapp] api_url` and
`api_version`, so the bot can be pointed at a local test server or a proxy without
intercepting TLS."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from bot.config import ConfigError, load_config
from bot.whatsapp.running import connect_whatsapp
from bot.whatsapp.settings import WhatsAppSettings
from handlers.contract.services import Services
from messages import Renderer, TextStyle
from messages.replies import Reply
from storage.people import preferences
from tests.support.fake_graph import PHONE_NUMBER_ID, FakeGraph
from tests.support.fake_graph.bot import whatsapp_config
from tests.support.fake_graph.server import served

SITI = "6281234500001"


def loaded(tmp_path: Path, whatsapp: str) -> ConfigError | object:
    path = tmp_path / "config.toml"
    path.write_text("[whatsapp]\n" + whatsapp + "\n", encoding="utf-8")
    try:
        return load_config(path, {})
    except ConfigError as error:
        return error


def test_by_default_the_bot_talks_to_metas_graph_api(tmp_path: Path) -> None:
    config = load_config(None, {})

    assert config.whatsapp.api_url == "https://graph.facebook.com"
    assert config.whatsapp.api_version == "v26.0"  # pywa 4.5's, which the bot used before


def test_the_address_and_version_are_read_from_the_config(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(
        '[whatsapp]\napi_url = "http://127.0.0.1:8999/graph"\napi_version = "v21.0"\n',
        encoding="utf-8",
    )

    config = load_config(path, {})

    assert (config.whatsapp.api_url, config.whatsapp.api_version) == (
        "http://127.0.0.1:8999/graph",
        "v21.0",
    )


@pytest.mark.parametrize(
    ("line", "key", "path"),
    [
        ('api_url = "ftp://graph.example.org"', "config_invalid_url", "whatsapp.api_url"),
        ('api_url = "https://"', "config_invalid_url", "whatsapp.api_url"),
        ('api_url = ""', "config_invalid_url", "whatsapp.api_url"),
        ('api_version = "21.0"', "config_invalid_api_version", "whatsapp.api_version"),
        ('api_version = "v21"', "config_invalid_api_version", "whatsapp.api_version"),
        ("api_version = 21.0", "config_wrong_type", "whatsapp.api_version"),
    ],
)
def test_a_bad_address_or_version_stops_the_bot_naming_the_key(
    tmp_path: Path, line: str, key: str, path: str
) -> None:
    error = loaded(tmp_path, line)

    assert isinstance(error, ConfigError)
    assert (error.key, error.params["path"]) == (key, path)
    for language in ("en", "id"):
        assert Renderer().render_error(error, language, TextStyle.PLAIN).startswith(path)


async def test_the_bot_reaches_a_local_server_named_only_by_the_config(
    tmp_path: Path, chat_services: Services, fake_graph: FakeGraph
) -> None:
    await preferences.record_inbound(chat_services.db, "whatsapp", SITI, chat_services.now())
    settings = WhatsAppSettings(per_user_seconds=0.0)
    hello = Reply("announce_broadcast", {"text": "Halo"}, "id")

    async with served(fake_graph, "/graph") as address:
        config = whatsapp_config(tmp_path / "db.sqlite3")
        local = replace(config.whatsapp, api_url=address, api_version="v21.0")
        async with connect_whatsapp(  # no session handed in: the bot's own HTTP client
            replace(config, whatsapp=local),
            chat_services.db,
            Renderer(),
            settings=settings,
            clock=chat_services.now,
        ) as connection:
            await connection.transport.deliver(SITI, hello)

    assert connection.deep_link == "https://wa.me/6281234567890?text=/start%20{code}"
    [message] = fake_graph.messages_to(SITI)
    assert message.type == "text" and "Halo" in message.text
    assert fake_graph.requests == [
        f"/graph/v21.0/{PHONE_NUMBER_ID}",
        f"/graph/v21.0/{PHONE_NUMBER_ID}/messages",
    ]
