"""`report savings`, `report coops [--lapsed N]`, `report prices`, `report suppliers` and
`report payments`: the Dinas's reports across closed rounds (`usecases.reports`), printed in
the command line's language; each with `--out DIR` also as XLSX, CSV and PDF."""

from __future__ import annotations

import argparse
from pathlib import Path

from bot.cli.context import CliContext, Subparsers
from purchasing.reports import DEFAULT_LAST_ROUNDS
from usecases import charts, reports


def register(subparsers: Subparsers) -> None:
    parser = subparsers.add_parser("report", help="reports across closed rounds (laporan)")
    commands = parser.add_subparsers(dest="report_command", metavar="REPORT", required=True)
    savings = commands.add_parser(
        "savings", help="savings per closed round, per month and in total"
    )
    savings.add_argument(
        "--chart", type=Path, metavar="FILE.png", help="also write the chart per month (PNG)"
    )
    _out_option(savings, "savings")
    savings.set_defaults(handler=savings_report)
    coops = commands.add_parser("coops", help="which coops order, rarely or no longer")
    coops.add_argument(
        "--lapsed", type=_at_least_one, default=DEFAULT_LAST_ROUNDS, metavar="N",
        help=f"look at the last N closed rounds (default {DEFAULT_LAST_ROUNDS})",
    )  # fmt: skip
    _out_option(coops, "coops")
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
    if args.chart is not None:
        chart = charts.write_savings_chart(report, args.chart, context.lang, context.renderer)
        print(context.render(chart.caption, **chart.context))


async def coops_report(context: CliContext, args: argparse.Namespace) -> None:
    async with context.database() as db:
        report = await reports.coop_participation(db, args.lapsed)
    await _print_and_write(context, args, "coops", report)


def register_round_reports(commands: Subparsers) -> None:
    """`report prices`, `report suppliers` and `report payments`, each with `--out DIR`."""
    for name, handler, help_text in (
        ("prices", prices_report, "price reached per product over the closed rounds"),
        ("suppliers", suppliers_report, "ordered vs confirmed vs delivered, days late"),
        ("payments", payments_report, "bills paid on time, late, outstanding per coop"),
    ):
        parser = commands.add_parser(name, help=help_text)
        _out_option(parser, name)
        parser.set_defaults(handler=handler)


def _out_option(parser: argparse.ArgumentParser, name: str) -> None:
    parser.add_argument(
        "--out", type=Path, metavar="DIR",
        help=f"also write {name}.xlsx, {name}.csv and {name}.pdf into DIR",
    )  # fmt: skip


async def _print_and_write(
    context: CliContext,
    args: argparse.Namespace,
    name: str,
    report: reports.AnyRoundReport,
) -> None:
    context.say(f"report_{name}", report=report)
    if args.out is not None:
        files = await reports.write_files(
            report, name, args.out, context.lang, context.config.timezone
        )
        context.say("report_files", files=[str(path) for path in files])


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
