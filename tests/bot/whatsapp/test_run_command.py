"""`belanja-bareng run` serves Telegram and WhatsApp at once from one config and one database,
or WhatsApp alone."""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import os
import signal
from pathlib import Path

from bot.cli.context import CliContext
from bot.cli.run_command import run_bot
from bot.config import Config
from messages.render import Renderer
from tests.support.builders import NOW
from tests.support.fake_graph import FakeGraph, FakeUser
from tests.support.fake_graph.bot import whatsapp_config
from tests.support.fake_graph.updates import post, update_body
from tests.support.fake_telegram import FakeTelegram
from tests.support.fixtures.telegram import config_for


@dataclasses.dataclass(frozen=True)
class WatchedContext(CliContext):
    """The command line's context, telling the test what `run` printed (its readiness)."""

    said: asyncio.Queue[tuple[str, dict[str, object]]] = dataclasses.field(
        default_factory=asyncio.Queue
    )

    def say(self, name: str, **context: object) -> None:
        self.said.put_nowait((name, context))


async def started(context: WatchedContext, *names: str) -> dict[str, dict[str, object]]:
    seen: dict[str, dict[str, object]] = {}
    while not set(names) <= seen.keys():
        name, values = await asyncio.wait_for(context.said.get(), timeout=10)
        seen[name] = values
    return seen


async def stop(running: asyncio.Task[None]) -> None:
    os.kill(os.getpid(), signal.SIGINT)
    await asyncio.wait_for(running, timeout=10)


def run_context(config: Config, graph: FakeGraph) -> WatchedContext:
    return WatchedContext(config, "id", Renderer(), lambda: NOW, {}, graph_session=graph.session())


async def test_one_bot_answers_a_telegram_user_and_a_whatsapp_user_from_one_database(
    fake_telegram: FakeTelegram, tmp_path: Path
) -> None:
    graph = FakeGraph()
    database = tmp_path / "bot.sqlite3"
    config = dataclasses.replace(
        config_for(fake_telegram, database), whatsapp=whatsapp_config(database).whatsapp
    )
    context = run_context(config, graph)
    running = asyncio.create_task(run_bot(context, argparse.Namespace()))
    ready = await started(context, "run_started", "run_started_whatsapp")

    siti = fake_telegram.user(5001, "Siti")
    await fake_telegram.send_text(siti, "/bantuan")
    on_telegram = await fake_telegram.wait_for_message(siti.id)
    hook = ready["run_started_whatsapp"]
    url = f"http://127.0.0.1:{hook['port']}/{hook['path']}"
    status, _ = await post(url, update_body(FakeUser("628111", "Budi").text("/bantuan")))
    await stop(running)

    assert "Bantuan" in (on_telegram.text or "")
    assert status == 200
    assert any("Bantuan" in message.text for message in graph.messages_to("628111"))
    assert fake_telegram.errors == []


async def test_whatsapp_alone_needs_no_telegram_token(tmp_path: Path) -> None:
    graph = FakeGraph()
    context = run_context(whatsapp_config(tmp_path / "bot.sqlite3"), graph)
    running = asyncio.create_task(run_bot(context, argparse.Namespace()))
    hook = (await started(context, "run_started_whatsapp"))["run_started_whatsapp"]

    budi = FakeUser("628222", "Budi")
    url = f"http://127.0.0.1:{hook['port']}/{hook['path']}"
    status, _ = await post(url, update_body(budi.text("/bantuan")))
    await stop(running)

    assert status == 200
    assert graph.messages_to("628222")
