"""`demo`: try the bot in the terminal on a fresh database with the sample data (docs/demo.md).

Reads standard input line by line, so a script can be piped in:
`belanja-bareng demo < examples/demo-script.txt`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.cli.context import CliContext, Subparsers
from bot.console.demo import run_demo
from bot.console.lines import from_stream


def register(subparsers: Subparsers) -> None:
    demo = subparsers.add_parser(
        "demo", help="chat with the bot in the terminal (sample data, no token needed)"
    )
    demo.add_argument(
        "--database", type=Path, metavar="PATH",
        help="keep the demo database in this NEW file (default: a temporary one)",
    )  # fmt: skip
    demo.set_defaults(handler=start_demo)


async def start_demo(context: CliContext, args: argparse.Namespace) -> None:
    def write(text: str) -> None:
        sys.stdout.write(text)
        sys.stdout.flush()

    await run_demo(
        context.config,
        read=from_stream(sys.stdin, write),
        write=write,
        now=context.now,
        language=context.lang,
        database=args.database,
        renderer=context.renderer,
    )
