"""An access token Meta refuses stops `belanja-bareng run` at the start with one line that
says what to do, instead of a bot that serves the webhook but can send nothing."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from bot.cli.app import explain
from bot.config_reading import Secret
from bot.whatsapp.errors import WhatsAppTokenRejected
from bot.whatsapp.running import connect_whatsapp
from bot.whatsapp.settings import WhatsAppSettings
from handlers.contract.services import Services
from messages.render import Renderer
from tests.support.fake_graph import FakeGraph
from tests.support.fake_graph.bot import whatsapp_config


async def test_a_refused_access_token_stops_the_start_with_one_line(
    tmp_path: Path, chat_services: Services, fake_graph: FakeGraph
) -> None:
    config = whatsapp_config(tmp_path / "db.sqlite3")
    wrong = replace(config.whatsapp, access_token=Secret("EAAG-revoked"))

    with pytest.raises(WhatsAppTokenRejected) as refused:
        async with connect_whatsapp(
            replace(config, whatsapp=wrong), chat_services.db, Renderer(),
            settings=WhatsAppSettings(), session=fake_graph.session(),
        ):  # fmt: skip
            pass

    line = explain(refused.value, Renderer(), "id")
    assert "WhatsApp menolak token akses (kode 190)" in line and "WHATSAPP_ACCESS_TOKEN" in line
    assert "\n" not in line.strip() and "EAAG-revoked" not in line


async def test_an_unreachable_graph_api_still_starts_without_an_invite_link(
    tmp_path: Path, chat_services: Services, fake_graph: FakeGraph
) -> None:
    fake_graph.unreachable = True

    async with connect_whatsapp(
        whatsapp_config(tmp_path / "db.sqlite3"), chat_services.db, Renderer(),
        settings=WhatsAppSettings(), session=fake_graph.session(),
    ) as connection:  # fmt: skip
        assert connection.deep_link == ""
