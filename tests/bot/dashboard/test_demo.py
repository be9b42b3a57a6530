"""`belanja-bareng demo` offers its admin persona the dashboard: `/dasbor` shows a link to a
dashboard on 127.0.0.1 that answers while the demo waits for the next line."""

from __future__ import annotations

import io
import re
import urllib.request
from pathlib import Path

from bot.config import Config
from bot.console.demo import run_demo
from bot.console.lines import scripted
from tests.support.fixtures.console import NOW, RENDERER

DEMO_LINK = re.compile(r"http://127\.0\.0\.1:[0-9]+/masuk/[A-Za-z0-9_-]+")


async def test_the_demo_admin_types_dasbor_and_the_link_opens_while_the_demo_waits(
    tmp_path: Path,
) -> None:
    out = io.StringIO()
    pages: list[tuple[int, str]] = []
    lines = iter(["/dasbor"])

    def read(prompt: str) -> str | None:
        """The next line; once the link is shown, open it first (the demo's loop is blocked
        here, as it is while a person types)."""
        found = DEMO_LINK.findall(out.getvalue())
        if found and not pages:
            with urllib.request.urlopen(found[-1], timeout=10) as response:
                pages.append((response.status, response.read().decode()))
        return scripted(lines, out.write)(prompt)

    await run_demo(
        Config(), read=read, write=out.write, now=lambda: NOW, language="id",
        database=tmp_path / "demo.sqlite3", renderer=RENDERER,
    )  # fmt: skip

    assert "Bu Sari> /dasbor" in out.getvalue()
    assert len(DEMO_LINK.findall(out.getvalue())) == 1
    [(status, html)] = pages
    assert status == 200 and "Halo Bu Sari" in html
