"""`report savings`, `report coops [--lapsed N]`, `report prices`, `report suppliers` and
`report payments`: the Dinas's reports across closed rounds (`usecases.reports`), printed in
the command line's language; each with `--out DIR` also as XLSX, CSV and PDF, and with
`--chart FILE.png` its main figure as a picture (`usecases.report_charts`), whose alt text
is printed after it."""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path

from bot.cli.context import CliContext, Subparsers
from bot.cli.targets import check_file, check_folder
from purchasing.reports import DEFAULT_LAST_ROUNDS
from usecases import report_charts, reports


def register(subparsers: Subparsers) -> None:
    parser = subparsers.add_parser("report", help="reports across closed rounds (laporan)")
    commands = parser.add_subparsers(dest="report_command", metavar="REPORT", required=True)
    savings = commands.add_parser(
        "savings", help="savings per closed round, per month and in total"
    )
    _out_option(savings, "savings", "the chart per month")
    savings.set_defaults(handler=savings_report)
    coops = commands.add_parser("coops", help="which coops order, rarely or no longer")
    coops.add_argument(
        "--lapsed", type=_at_least_one, default=DEFAULT_LAST_ROUNDS, metavar="N",
        help=f"look at the last N closed rounds (default {DEFAULT_LAST_ROUNDS})",
    )  # fmt: skip
    _out_option(coops, "coops", "the chart of new, regular and lapsed coops")
    coops.set_defaults(handler=coops_report)
    register_round_reports(commands)


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
    await _print_and_write(context, args, "savings", report)


async def coops_report(context: CliContext, args: argparse.Namespace) -> None:
    async with context.database() as db:
        report = await reports.coop_participation(db, args.lapsed)
    await _print_and_write(context, args, "coops", report)


def register_round_reports(commands: Subparsers) -> None:
    """`report prices`, `report suppliers` and `report payments`, each with `--out DIR`."""
    for name, handler, help_text, chart in (
        ("prices", prices_report, "price reached per product over the closed rounds",
         "the chart of price reached against market price"),
        ("suppliers", suppliers_report, "ordered vs confirmed vs delivered, days late",
         "the chart of units ordered, confirmed and delivered per supplier"),
        ("payments", payments_report, "bills paid on time, late, outstanding per coop",
         "the chart of bills paid on time, late and outstanding"),
    ):  # fmt: skip
        parser = commands.add_parser(name, help=help_text)
        _out_option(parser, name, chart)
        parser.set_defaults(handler=handler)


def _out_option(parser: argparse.ArgumentParser, name: str, chart: str) -> None:
    """`--out DIR` (the report's files) and `--chart FILE.png` (its chart)."""
    parser.add_argument(
        "--out", type=Path, metavar="DIR",
        help=f"also write {name}.xlsx, {name}.csv and {name}.pdf into DIR",
    )  # fmt: skip
    parser.add_argument("--chart", type=Path, metavar="FILE.png", help=f"also write {chart} (PNG)")


async def _print_and_write(
    context: CliContext,
    args: argparse.Namespace,
    name: str,
    report: reports.AnyRoundReport,
) -> None:
    """The report, then its files and chart, whose places are checked before it is printed."""
    if args.out is not None:
        check_folder(args.out)
    if args.chart is not None:
        check_file(args.chart)
    context.say(f"report_{name}", report=report)
    if args.out is not None:
        files = await reports.write_files(
            report, name, args.out, context.lang, context.config.timezone
        )
        context.say("report_files", files=[str(path) for path in files])
    if args.chart is not None:
        chart = await asyncio.to_thread(
            report_charts.write_chart,
            report, args.chart, context.lang, context.renderer, context.config.timezone,
        )  # fmt: skip
        print(context.render(chart.caption, **chart.context))


async def prices_report(context: CliContext, args: argparse.Namespace) -> None:
    async with context.database() as db:
        report = await reports.prices(db)
    await _print_and_write(context, args, "prices", report)


async def suppliers_report(context: CliContext, args: argparse.Namespace) -> None:
    async with context.database() as db:
        report = await reports.suppliers(db, context.config.timezone)
    await _print_and_write(context, args, "suppliers", report)


async def payments_report(context: CliContext, args: argparse.Namespace) -> None:
    async with context.database() as db:
        report = await reports.payment_discipline(
            db, context.now(), context.config.office.bill_due_days, context.config.timezone
        )
    await _print_and_write(context, args, "payments", report)
