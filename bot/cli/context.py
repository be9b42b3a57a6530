"""What every command gets: the config, the language, the clock, and a way to speak.

Commands never print sentences themselves: `say` renders a template under
`messages/templates/<lang>/cli/` in plain text.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Coroutine, Mapping
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import TypeAlias

import httpx

from bot.cli.errors import DatabaseMissing
from bot.config import Config
from messages.render import Renderer
from messages.styles import TextStyle
from purchasing.times import Clock
from storage.database import Database, open_database
from usecases.context import UseCaseContext

Subparsers: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"


@dataclass(frozen=True, slots=True)
class CliContext:
    config: Config
    lang: str
    renderer: Renderer
    now: Clock
    environ: Mapping[str, str]
    # The HTTP client for Meta's Graph API (None: a new one). Tests hand in one whose
    # transport is a fake Graph API, as pywa has no setting for another base URL.
    graph_session: httpx.AsyncClient | None = None

    @property
    def database_path(self) -> Path:
        return Path(self.config.database)

    def render(self, name: str, **context: object) -> str:
        return self.renderer.render(name, self.lang, context, TextStyle.PLAIN)

    def say(self, name: str, **context: object) -> None:
        """Print template `cli/<name>` on standard output."""
        print(self.render(f"cli/{name}", **context), file=sys.stdout)

    def use_cases(self, db: Database) -> UseCaseContext:
        """What the use cases need over `db`: the command line's clock and language. The
        running bot, if any, rebuilds its alarms from the database at its next sweep."""
        return UseCaseContext(
            db, self.now, self.config.default_language, payee=self.config.office.payee,
            timezone=self.config.timezone, invite_valid_days=self.config.invites.valid_days,
        )  # fmt: skip

    def database(self) -> AbstractAsyncContextManager[Database]:
        """The existing database (`belanja-bareng init` creates it)."""
        if not self.database_path.exists():
            raise DatabaseMissing(path=str(self.database_path))
        return open_database(self.database_path)


Handler = Callable[[CliContext, argparse.Namespace], Coroutine[object, object, None]]
