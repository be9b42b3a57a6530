"""`report savings` and `report coops [--lapsed N]`: the Dinas's reports across closed
rounds (`usecases.reports`), printed in the command line's language."""

from __future__ import annotations

import argparse

from bot.cli.context import CliContext, Subparsers
from purchasing.reports import DEFAULT_LAST_ROUNDS
from usecases import reports


def register(subparsers: Subparsers) -> None:
    parser = subparsers.add_parser("report", help="reports across closed rounds (laporan)")
    commands = parser.add_subparsers(dest="report_command", metavar="REPORT", required=True)
    commands.add_parser(
        "savings", help="savings per closed round, per month and in total"
    ).set_defaults(handler=savings_report)
    coops = commands.add_parser("coops", help="which coops order, rarely or no longer")
    coops.add_argument(
        "--lapsed", type=_at_least_one, default=DEFAULT_LAST_ROUNDS, metavar="N",
        help=f"look at the last N closed rounds (default {DEFAULT_LAST_ROUNDS})",
    )  # fmt: skip
    coops.set_defaults(handler=coops_report)


def _at_least_one(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more: {value}")
    return value


async def savings_report(context: CliContext, args: argparse.Namespace) -> None:
    async with context.database() as db:
        report = await reports.savings(db, context.config.timezone)
    context.say("report_savings", report=report)


async def coops_report(context: CliContext, args: argparse.Namespace) -> None:
    async with context.database() as db:
        report = await reports.coop_participation(db, args.lapsed)
    context.say("report_coops", report=report)
