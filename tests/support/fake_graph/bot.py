"""The WhatsApp side of the bot, running for real against `FakeGraph`.

`whatsapp_running` does what `belanja-bareng run` does for WhatsApp: `connect_whatsapp`
(with the fake's session) and `serve_whatsapp` on 127.0.0.1 (a free port), plus an outbox
sender over the WhatsApp transport that a test drains when it wants (`drain`), on the
services' clock. `send` posts a user's update, signed, over real HTTP.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from bot.config import Config, Secret, WhatsAppConfig, WhatsAppWebhookConfig
from bot.delivery.sender import Delivery, DrainResult
from bot.documents import RoundFiles
from bot.exports import exports_next_to
from bot.whatsapp.running import WhatsAppConnection, connect_whatsapp, serve_whatsapp
from bot.whatsapp.settings import WhatsAppSettings
from handlers.contract.services import Services
from messages.render import Renderer
from tests.support.fake_graph.api import ACCESS_TOKEN, PHONE_NUMBER_ID, FakeGraph
from tests.support.fake_graph.updates import APP_SECRET, VERIFY_TOKEN, post, update_body

URL_PATH = "whatsapp"


def whatsapp_config(database: Path, *, daily_limit: int = 250) -> Config:
    whatsapp = WhatsAppConfig(
        enabled=True,
        phone_number_id=PHONE_NUMBER_ID,
        access_token=Secret(ACCESS_TOKEN),
        app_secret=Secret(APP_SECRET),
        verify_token=Secret(VERIFY_TOKEN),
        business_daily_limit=daily_limit,
        webhook=WhatsAppWebhookConfig(listen="127.0.0.1", port=0, url_path=URL_PATH),
    )
    return Config(database=database, whatsapp=whatsapp)


@dataclass
class RunningWhatsApp:
    url: str
    connection: WhatsAppConnection
    sender: Delivery
    services: Services

    async def send(self, *values: dict[str, Any], signature: str | None = "valid") -> int:
        """Post the update carrying `values` to the webhook; the HTTP status."""
        status, _ = await post(self.url, update_body(*values), signature=signature)
        return status

    async def drain(self) -> DrainResult:
        """Let the outbox sender send what is due now (the services' clock)."""
        return await self.sender.drain_once(self.services.now())


@asynccontextmanager
async def whatsapp_running(
    config: Config,
    services: Services,
    fake: FakeGraph,
    *,
    settings: WhatsAppSettings | None = None,
) -> AsyncIterator[RunningWhatsApp]:
    renderer = Renderer()
    chosen = replace(settings or WhatsAppSettings(), per_user_seconds=0.0)
    async with connect_whatsapp(
        config, services.db, renderer, settings=chosen, session=fake.session(), clock=services.now
    ) as connection:
        transport = connection.transport
        wired = replace(services, deep_links={"whatsapp": connection.deep_link})
        files = RoundFiles(services.db, exports_next_to(services.db.path), config.office, renderer)
        sender = Delivery(
            services.db,
            {"whatsapp": transport},
            clock=services.now,
            monotonic=time.monotonic,
            idle_seconds=0.01,
            round_files=files,  # as `belanja-bareng run` gives its sender
        )
        stop, ready = asyncio.Event(), asyncio.Event()
        ports: list[int] = []

        def on_ready(port: int) -> None:
            ports.append(port)
            ready.set()

        server = asyncio.create_task(
            serve_whatsapp(config, wired, connection, stop, on_ready=on_ready)
        )
        await asyncio.wait_for(ready.wait(), timeout=10)
        try:
            url = f"http://127.0.0.1:{ports[0]}/{URL_PATH}"
            yield RunningWhatsApp(url, connection, sender, wired)
        finally:
            stop.set()
            await server
