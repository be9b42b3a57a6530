"""The bot starts without the libraries it needs only to make files, so its memory stays small:
they load in the processes that make the files (`bot.workbook_child`, `spreadsheets.in_child`,
`bot.documents.pdf_process`), or in a command that writes them."""

from __future__ import annotations

import subprocess
import sys

FILE_MAKERS = ("openpyxl", "reportlab", "matplotlib", "numpy", "PIL", "aiohttp", "pywa")


def test_the_command_line_and_the_running_bot_start_without_the_file_makers() -> None:
    loaded = "import sys; print(' '.join(sorted(name for name in sys.modules if '.' not in name)))"
    started = subprocess.run(
        [sys.executable, "-c", f"import bot.cli.app, bot.cli.run_command, bot.runtime; {loaded}"],
        capture_output=True, text=True, check=True, timeout=60,
    )  # fmt: skip

    modules = set(started.stdout.split())
    assert "telegram" in modules and "jinja2" in modules  # what chatting needs is there
    assert modules.isdisjoint(FILE_MAKERS), modules & set(FILE_MAKERS)
