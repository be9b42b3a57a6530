"""Running the terminal demo in a test: scripted lines in, everything printed out, on a real
SQLite file of the test's own."""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from bot.config import Config
from bot.console.demo import run_demo
from bot.console.lines import scripted
from messages.render import Renderer
from messages.styles import TextStyle

# Tuesday 1 December 2026, 08:00 WIB: the demo round stays open for the whole test.
NOW = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)
RENDERER = Renderer()


@dataclass(frozen=True, slots=True)
class Demo:
    out: str
    database: Path

    def has(self, template: str, language: str = "id", **context: object) -> bool:
        """Whether the demo printed console/<template> with this context."""
        text = RENDERER.render(f"console/{template}", language, context, TextStyle.PLAIN)
        return text in self.out


async def run(tmp_path: Path, lines: Iterable[str], language: str = "id") -> Demo:
    out = io.StringIO()
    database = tmp_path / "demo.sqlite3"
    await run_demo(
        Config(),
        read=scripted(lines, out.write),
        write=out.write,
        now=lambda: NOW,
        language=language,
        database=database,
        renderer=RENDERER,
    )
    return Demo(out.getvalue(), database)


def after_prompt(out: str, prompt_line: str) -> str:
    """What was printed after the (last) echoed input line `prompt_line`."""
    return out.rsplit(prompt_line + "\n", 1)[1]
