"""A pure drawing function of this package run in a child process, its bytes handed back.

matplotlib costs a process about 57 MB the first time it draws, and keeps them. The running
bot draws the open round's progress chart for the group once a day (the first sweep after
it starts, when anybody has ordered): drawn inside the bot, the chart left those 57 MB with
it for the rest of its life. `in_child(function, *args)` runs `function(*args)` (a function
of `spreadsheets`, returning bytes, such as `charts.progress_png`) in

    python -m spreadsheets.in_child   (the call pickled on its stdin, the bytes on its stdout)

and awaits its exit (`spreadsheets.child_process`); any other exit than 0 raises `ChildFailed`
with the end of its stderr.
Only this process writes the pickle its child reads: nothing from outside is unpickled."""

from __future__ import annotations

import importlib
import os
import pickle
import sys
from collections.abc import Callable

from spreadsheets.child_process import (
    BACKGROUND_NICENESS,
    ChildFailed,
    die_with_parent,
    run_module,
)

__all__ = ["ChildFailed", "in_child"]

MODULE = "spreadsheets.in_child"
PATIENCE_SECONDS = 300.0  # a chart takes a second or two


async def in_child(function: Callable[..., bytes], *args: object) -> bytes:
    """`function(*args)` computed by a child process (`function`: a module-level function
    of `spreadsheets`; `args`: picklable plain values)."""
    if not function.__module__.startswith("spreadsheets."):
        raise ValueError(f"{function.__module__}.{function.__qualname__} is not ours to run")
    call = pickle.dumps((function.__module__, function.__qualname__, args))
    out, _ = await run_module(MODULE, call, PATIENCE_SECONDS)
    return out


def main() -> int:
    die_with_parent()
    os.nice(BACKGROUND_NICENESS)  # the parent (the bot) comes first
    module, name, args = pickle.loads(sys.stdin.buffer.read())  # from our parent only
    function = getattr(importlib.import_module(module), name)
    sys.stdout.buffer.write(function(*args))
    sys.stdout.buffer.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
