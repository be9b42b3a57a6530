"""`belanja-bareng run` in a process of its own, for tests that pull its plug (SIGKILL) and
start it again on the same database, as a Dinas server does after a power cut.

`write_config` writes the TOML file a server would have, pointed at the fake Bot API on
127.0.0.1. `BotProcess.start` starts the installed console script with the token in the
environment (never in the file) and the process's standard error in a log file of the test's
own. Inside `async with` the process is watched: should it exit by itself (a crash at
start-up, a traceback), the test fails at once with that log instead of waiting for a reply
that cannot come; `kill` (SIGKILL) and `stop` (SIGTERM, as systemd stops it) are expected
exits; leaving the block kills whatever still runs.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import sys
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import Self

from tests.support.fake_telegram import FakeTelegram

SCRIPT = Path(sys.executable).with_name("belanja-bareng")  # the console script pip installed
EXIT_WITHIN = 10.0


def write_config(fake: FakeTelegram, database: Path, admins: Sequence[str]) -> Path:
    """config.toml next to `database`: the fake's URLs, `admins` ("telegram:<id>"), and no
    quiet hours (the test may run at any hour)."""
    path = database.with_name("config.toml")
    path.write_text(
        f"database = {json.dumps(str(database))}\n"
        f"admins = {json.dumps(list(admins))}\n"
        "[telegram]\n"
        f"base_url = {json.dumps(fake.base_url)}\n"
        f"base_file_url = {json.dumps(fake.base_file_url)}\n"
        "[quiet_hours]\n"
        'start = "00:00"\n'
        'end = "00:00"\n',
        encoding="utf-8",
    )
    return path


class BotProcess:
    def __init__(self, process: asyncio.subprocess.Process, log: Path) -> None:
        self.process = process
        self.log = log
        self._ending = False
        self._died = False
        self._watcher: asyncio.Task[None] | None = None

    @classmethod
    async def start(cls, config: Path, fake: FakeTelegram, log: Path) -> BotProcess:
        """`belanja-bareng --config CONFIG run`, its standard error appended to `log`."""
        environ = {**os.environ, "TELEGRAM_BOT_TOKEN": fake.token, "PTB_TIMEDELTA": "1"}
        with log.open("ab") as stderr:
            process = await asyncio.create_subprocess_exec(
                str(SCRIPT), "--config", str(config), "run",
                cwd=config.parent, env=environ, stdin=asyncio.subprocess.DEVNULL,
                stdout=asyncio.subprocess.DEVNULL, stderr=stderr,
            )  # fmt: skip
        return cls(process, log)

    @classmethod
    async def run(
        cls, argv: Sequence[str], environ: dict[str, str], cwd: Path, log: Path
    ) -> BotProcess:
        """Any command line (a service unit's ExecStart), its standard error in `log`."""
        with log.open("ab") as stderr:
            process = await asyncio.create_subprocess_exec(
                *argv, cwd=cwd, env=environ, stdin=asyncio.subprocess.DEVNULL,
                stdout=asyncio.subprocess.DEVNULL, stderr=stderr,
            )  # fmt: skip
        return cls(process, log)

    async def kill(self) -> int:
        """SIGKILL (nothing runs after it: no `finally`, no flush); the exit status."""
        return await self._end(signal.SIGKILL)

    async def stop(self) -> int:
        """SIGTERM, the bot's normal stop; the exit status."""
        return await self._end(signal.SIGTERM)

    async def _end(self, number: signal.Signals) -> int:
        self._ending = True
        if self.process.returncode is None:
            self.process.send_signal(number)
        return await asyncio.wait_for(self.process.wait(), timeout=EXIT_WITHIN)

    async def _watch(self, body: asyncio.Task[object]) -> None:
        await self.process.wait()
        if not self._ending:
            self._died = True
            body.cancel()

    async def __aenter__(self) -> Self:
        body = asyncio.current_task()
        assert body is not None
        self._watcher = asyncio.create_task(self._watch(body))
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._watcher is not None:
            self._watcher.cancel()
        if self.process.returncode is None:
            await self.kill()
        if self._died and isinstance(exc, asyncio.CancelledError):
            body = asyncio.current_task()
            assert body is not None
            body.uncancel()
            log = self.log.read_text(encoding="utf-8", errors="replace")
            raise AssertionError(
                f"belanja-bareng run exited by itself ({self.process.returncode}):\n{log}"
            ) from None


def kill_now(process: asyncio.subprocess.Process) -> None:
    """SIGKILL by pid: `Process.kill` polls first, and a poll that reaps an already dead
    child leaves asyncio's watcher to report exit code 255 instead of -9."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(process.pid, signal.SIGKILL)
