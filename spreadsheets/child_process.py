"""One of our modules run as a child process of the bot: its job on stdin, its answer on stdout.

The bot makes its heavy files (the round's workbook, the daily chart) and closes due rounds
in children, so its chats keep the interpreter and its memory stays small. Every child runs

    python -P -m MODULE

(`-P`: the current directory is not on the child's path, so a folder named like one of our
packages where the bot happens to run cannot stand in for our code; our own code is put
first on `PYTHONPATH`, however it was installed), with `PARENT_VARIABLE` naming the bot, so
`die_with_parent` can make the child die with it even when the bot is killed. The parent
awaits the exit: cancelled or out of patience, it kills the child first; any exit but 0
raises `ChildFailed` with the end of what the child wrote on stderr."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
from pathlib import Path

PARENT_VARIABLE = "BELANJA_BARENG_PARENT"
STDERR_TAIL = 2000  # characters of the child's stderr kept in the error
BACKGROUND_NICENESS = 10  # a file-making child's: on a 2-core server the bot keeps a core


class ChildFailed(RuntimeError):
    """The child exited with an error (its exit code and the end of its stderr); `returncode`
    is negative when a signal ended it (the service stopping, the kernel out of memory)."""

    def __init__(self, message: str, returncode: int) -> None:
        super().__init__(message)
        self.returncode = returncode


async def run_module(module: str, job: bytes, patience: float) -> tuple[bytes, str]:
    """`python -P -m module` fed `job`; its stdout and its stderr (text), once it exited 0.
    ChildFailed if it did not; TimeoutError after `patience` seconds (the child killed)."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-P", "-m", module,
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE, env=_environment(),
    )  # fmt: skip
    try:
        out, err = await asyncio.wait_for(process.communicate(job), patience)
    except BaseException:  # cancelled (the caller stops) or too long: the child goes too
        # os.kill, not Process.kill: Popen's own poll could reap the child before asyncio's
        # watcher does, which then reports exit code 255.
        with contextlib.suppress(ProcessLookupError):
            os.kill(process.pid, signal.SIGKILL)
        await process.wait()
        raise
    told = err.decode(errors="replace").strip()
    if process.returncode != 0:
        tail = told[-STDERR_TAIL:]
        code = process.returncode or 0
        raise ChildFailed(f"{module} failed (child exit {code}): {tail}", code)
    return out, told


def die_with_parent() -> None:
    """In the child: be killed when the parent that started it dies (Linux), and leave at
    once if it already has."""
    parent = int(os.environ.get(PARENT_VARIABLE, "0"))
    if sys.platform.startswith("linux"):
        import ctypes

        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL)
    if parent and os.getppid() != parent:
        os._exit(1)


def _environment() -> dict[str, str]:
    """This environment, with this code first on the child's path and this process named."""
    root = str(Path(__file__).resolve().parent.parent)
    found = os.environ.get("PYTHONPATH", "")
    path = os.pathsep.join(part for part in (root, found) if part)
    return {**os.environ, "PYTHONPATH": path, PARENT_VARIABLE: str(os.getpid())}
