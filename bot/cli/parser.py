"""The argument parser, built from a list of command modules.

Each command module has `register(subparsers)`, which adds its subcommands and sets
`handler` (an async function taking the CliContext and the parsed arguments) as a default.
To add a command, write such a module and list it in COMMAND_MODULES.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import Protocol

from bot.cli import (
    catalog_commands,
    demo_command,
    doctor,
    order_commands,
    outbox_commands,
    payment_commands,
    people_commands,
    report_commands,
    round_commands,
    run_command,
    setup_commands,
)
from bot.cli.context import Handler, Subparsers


class CommandModule(Protocol):
    def register(self, subparsers: Subparsers) -> None: ...


COMMAND_MODULES: list[CommandModule] = [
    setup_commands,
    catalog_commands,
    round_commands,
    order_commands,
    payment_commands,
    people_commands,
    report_commands,
    outbox_commands,
    run_command,
    doctor,
    demo_command,
]


def build_parser(modules: Sequence[CommandModule] = COMMAND_MODULES) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="belanja-bareng",
        description="Belanja Bareng: joint purchasing for cooperatives (admin command line).",
    )
    parser.add_argument("--config", metavar="PATH", help="config file (TOML)")
    parser.add_argument("--lang", choices=["id", "en"], help="language of the output")
    parser.add_argument("--verbose", action="store_true", help="log details and tracebacks")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module in modules:
        module.register(subparsers)
    return parser


def parse_arguments(
    parser: argparse.ArgumentParser, argv: Sequence[str] | None
) -> argparse.Namespace:
    """`parser.parse_args`, then the command's own `check` of arguments argparse cannot
    relate (set as a default beside `handler`; it calls `parser.error`, exit 2)."""
    args = parser.parse_args(argv)
    check = getattr(args, "check", None)
    if check is not None:
        check(args)
    return args


def handler_of(args: argparse.Namespace) -> Handler:
    handler: Handler = args.handler
    return handler
