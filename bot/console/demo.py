"""`belanja-bareng demo`: the bot in the terminal, on a fresh SQLite file with the sample data.

`run_demo` sets the stage (see `bot.console.stage`), announces the open round, then reads
messages until `:keluar` or the end of input. Input and output are injected (a line source
and a writer), so tests drive it without a terminal. Without `database` the file lives in a
temporary directory that is removed at the end; an existing file is never used, so the demo
cannot touch a real database.
"""

from __future__ import annotations

import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from pathlib import Path

from bot.config import Config
from bot.console.delivering import console_drain
from bot.console.errors import DemoDatabaseExists
from bot.console.examples import EXAMPLES_DIR, sample_catalog
from bot.console.lines import LineSource, read_message
from bot.console.personas import PLATFORM, default_cast
from bot.console.screen import Output, Screen
from bot.console.session import Session
from bot.console.stage import DemoRound, set_stage
from bot.documents import RoundFiles
from bot.exports import exports_next_to
from bot.runtime import scheduled_rounds
from bot.wiring import wire
from messages.render import Renderer
from purchasing.times import Clock
from storage.database import open_database

DATABASE_NAME = "belanja-bareng-demo.sqlite3"
DEEP_LINKS = {PLATFORM: "/start {code}"}


async def run_demo(
    config: Config,
    *,
    read: LineSource,
    write: Output,
    now: Clock,
    language: str | None = None,
    database: Path | None = None,
    renderer: Renderer | None = None,
    examples: Path = EXAMPLES_DIR,
) -> None:
    """Run one demo until `:keluar` or the end of input. `language` (`--lang`) is the
    default language of everyone in it, so what is queued for later (the group's posts, a
    close's summaries and PDFs) reads as the direct replies do."""
    if language is not None:
        config = replace(config, default_language=language)
    # Imported here: aiohttp (~23 MB) loads only for the demo, not in every command.
    from bot.dashboard.serving import demo_dashboard

    catalog = sample_catalog(examples)
    _refuse_existing(database)
    async with _database_file(database) as path, open_database(path) as db:
        wiring = wire(config, db, now, renderer=renderer, deep_links=DEEP_LINKS)
        screen = Screen(write, wiring.renderer, config.default_language)
        demo = DemoRound(
            name=screen.text("round_name", opens_at=now()),
            delivery_note=screen.text("delivery_note"),
            minutes=config.demo.round_minutes,
        )
        stage = await set_stage(wiring.services, catalog, default_cast(), demo, examples)
        async with (
            scheduled_rounds(wiring.services, config, now) as running,
            demo_dashboard(running.services, config, path) as services,
        ):
            session = Session(services, screen, stage)
            files = RoundFiles(db, exports_next_to(path), config.office, wiring.renderer)
            session.attach_drain(console_drain(running.services, session.transport, files))
            await session.begin()
            while (line := read_message(read, f"{session.active.persona.name}> ")) is not None:
                # Reading the terminal blocks the loop, so the deadline is checked per line;
                # what a close just queued (the bills) shows before this line's reply.
                await running.scheduler.sweep()
                await session.deliver()
                if not await session.handle_line(line):
                    break
        screen.say("goodbye", kept=None if database is None else str(database))


def _refuse_existing(database: Path | None) -> None:
    if database is not None and database.exists():
        raise DemoDatabaseExists(path=str(database))


@asynccontextmanager
async def _database_file(database: Path | None) -> AsyncIterator[Path]:
    if database is not None:
        database.parent.mkdir(parents=True, exist_ok=True)
        yield database
        return
    with tempfile.TemporaryDirectory(prefix="belanja-bareng-demo-") as directory:
        yield Path(directory) / DATABASE_NAME
