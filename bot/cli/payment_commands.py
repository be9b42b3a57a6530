"""`payments import FILE` (a bank statement matched to the bills) and `payments list [ROUND]`
(what is still owed). See docs/settlement.md."""

from __future__ import annotations

import argparse
from pathlib import Path

from bot.cli.context import CliContext, Subparsers
from bot.cli.order_commands import actor_for
from bot.cli.targets import check_readable
from usecases import payments


def register(subparsers: Subparsers) -> None:
    parser = subparsers.add_parser("payments", help="bank statements and what is still owed")
    commands = parser.add_subparsers(dest="payments_command", metavar="COMMAND", required=True)
    load = commands.add_parser(
        "import", help="match a bank statement (CSV/XLSX) to the bills; import again: no change"
    )
    load.add_argument("path", type=Path, metavar="FILE", help="the statement (see docs)")
    load.add_argument("--by", metavar="NAME", help="staff name for the log (default $USER)")
    load.set_defaults(handler=import_statement)
    listing = commands.add_parser("list", help="bills of closed rounds still owing")
    listing.add_argument("round_id", nargs="?", type=int, metavar="ROUND", help="only this round")
    listing.set_defaults(handler=list_outstanding)


async def import_statement(context: CliContext, args: argparse.Namespace) -> None:
    check_readable(args.path)
    async with context.database() as db:
        done = await payments.import_statement(
            context.use_cases(db), args.path, args.path.name, actor_for(args.by, context.environ)
        )
    context.say("payments_imported", **done.context())


async def list_outstanding(context: CliContext, args: argparse.Namespace) -> None:
    async with context.database() as db:
        found = await payments.owing(db, args.round_id)
    context.say("payments_outstanding", **found.context())
