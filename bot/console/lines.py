"""Where the demo's input lines come from: a terminal, a piped file, or a test's list.

A line source takes the prompt and returns the next line, or None at the end of input.
Piped and scripted input is echoed after its prompt, so the transcript reads like a chat.
A line ending in a backslash continues on the next one (a pasted order list of several
lines is one message): see `read_message`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable
from typing import TextIO

from bot.console.screen import Output

LineSource = Callable[[str], str | None]
CONTINUATION = "\\"
CONTINUATION_PROMPT = "... "


def scripted(lines: Iterable[str], write: Output) -> LineSource:
    """Lines from a list or a file, echoed after the prompt."""
    remaining = iter(lines)

    def read(prompt: str) -> str | None:
        line = next(remaining, None)
        if line is None:
            return None
        line = line.rstrip("\r\n")
        write(f"{prompt}{line}\n")
        return line

    return read


def from_stream(stream: TextIO, write: Output) -> LineSource:
    """A terminal gets a real prompt (with line editing); anything piped is echoed."""
    if stream.isatty():
        with contextlib.suppress(ImportError):  # not on Windows
            import readline  # noqa: F401  (gives input() line editing and history)
        return terminal
    return scripted(stream, write)


def terminal(prompt: str) -> str | None:
    try:
        return input(prompt)
    except (EOFError, KeyboardInterrupt):
        print()
        return None


def read_message(read: LineSource, prompt: str) -> str | None:
    """One message: a line, joined with the following ones while it ends in a backslash."""
    line = read(prompt)
    if line is None:
        return None
    parts = [line]
    while parts[-1].endswith(CONTINUATION):
        parts[-1] = parts[-1][: -len(CONTINUATION)].rstrip()
        following = read(CONTINUATION_PROMPT)
        if following is None:
            break
        parts.append(following)
    return "\n".join(parts)
