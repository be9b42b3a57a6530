"""`order` (a treasurer phoned the office: staff set the quantity for them; or `--file`, a
sheet of orders collected on paper, recorded all or nothing) and `export` (the workbook, the
CSV files, and a PDF bill per coop and purchase order per supplier)."""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from functools import partial
from pathlib import Path

from bot.cli.context import CliContext, Subparsers
from bot.cli.errors import RoundNotClosed
from bot.cli.targets import check_folder, check_readable
from bot.documents import write_round_documents
from bot.exports import load_round_export, sheet_words
from purchasing.model import RoundStatus
from purchasing.order_text import parse_quantity
from storage.catalog.reads import get_coop
from storage.commitments import Audit
from usecases.order_sheet import record_order_sheet, sheet_audit
from usecases.ordering import set_quantity

VIA = "cli"


def register(subparsers: Subparsers) -> None:
    order = subparsers.add_parser(
        "order", help="set a coop's quantity (0 removes it), or record a sheet of orders"
    )
    order.add_argument("round_id", type=int, metavar="ROUND")
    order.add_argument("coop_code", nargs="?", metavar="KOPERASI", help="coop code")
    order.add_argument("product_code", nargs="?", metavar="PRODUK", help="product code")
    order.add_argument("quantity", nargs="?", metavar="JUMLAH", help="whole units")
    order.add_argument(
        "--file", type=Path, metavar="FILE",
        help="CSV or XLSX sheet of orders (koperasi, produk, jumlah) instead of one order",
    )  # fmt: skip
    order.add_argument("--by", metavar="NAME", help="staff name for the audit log (default $USER)")
    order.set_defaults(handler=set_order, check=partial(check_order_args, order))

    export = subparsers.add_parser(
        "export", help="write XLSX and CSV files of a closed round (headers in --lang)"
    )
    export.add_argument("round_id", type=int, metavar="ROUND")
    export.add_argument("--out", required=True, type=Path, metavar="DIR", help="output folder")
    export.add_argument(
        "--csv-delimiter", choices=[";", ","], default=";",
        help='between CSV fields: ";" (default) opens in columns in Excel set to Indonesian, '
        '"," suits English-locale tools',
    )  # fmt: skip
    export.set_defaults(handler=export_round)


def actor_for(by: str | None, environ: Mapping[str, str]) -> str:
    """ "admin:<name>": who typed the order, for the audit log."""
    name = by or environ.get("USER") or environ.get("USERNAME") or environ.get("LOGNAME") or "?"
    return f"admin:{name}"


def check_order_args(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """Either KOPERASI PRODUK JUMLAH or --file FILE: a usage error (exit 2) otherwise."""
    typed = [args.coop_code, args.product_code, args.quantity]
    if args.file is not None and any(value is not None for value in typed):
        parser.error("give either KOPERASI PRODUK JUMLAH or --file FILE, not both")
    if args.file is None and any(value is None for value in typed):
        parser.error("the following arguments are required: KOPERASI PRODUK JUMLAH (or --file)")


async def set_order(context: CliContext, args: argparse.Namespace) -> None:
    if args.file is not None:
        await record_file(context, args)
        return
    quantity = parse_quantity(args.quantity)
    coop_code, product_code = args.coop_code.strip().upper(), args.product_code.strip().upper()
    audit = Audit(actor_for(args.by, context.environ), VIA)
    async with context.database() as db:
        change = await set_quantity(
            context.use_cases(db), args.round_id, coop_code, product_code, quantity, audit
        )
        coop = await get_coop(db, coop_code)
    coop_name = coop.name if coop is not None else coop_code
    context.say("order_set", coop_code=coop_code, coop_name=coop_name, change=change)


async def record_file(context: CliContext, args: argparse.Namespace) -> None:
    """`order --file FILE ROUND`: every line of the sheet, one audited batch."""
    path: Path = args.file
    check_readable(path)
    audit = sheet_audit(actor_for(args.by, context.environ))
    async with context.database() as db:
        done = await record_order_sheet(
            context.use_cases(db), args.round_id, path, path.name, audit
        )
    context.say("orders_recorded", **done.context())


async def export_round(context: CliContext, args: argparse.Namespace) -> None:
    async with context.database() as db:
        export = await load_round_export(db, args.round_id, context.config.timezone)
    if export.round.status is not RoundStatus.CLOSED:
        raise RoundNotClosed(round_name=export.round.name, status=export.round.status.value)
    check_folder(args.out)
    words = sheet_words(context.lang, context.renderer)  # the command line's language
    files = export.files(args.out, args.csv_delimiter, context.config.office, words)
    files += write_round_documents(
        export, context.config.office, context.renderer, context.lang, args.out
    )
    context.say("exported", round=export.round, files=[str(path) for path in files])
