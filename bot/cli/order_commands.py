"""`order` (a treasurer phoned the office: staff set the quantity for them) and `export`."""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from pathlib import Path

from bot.cli.context import CliContext, Subparsers
from bot.cli.errors import RoundNotClosed
from purchasing.model import AuditEntry, Coop, Round, RoundStatus
from purchasing.order_text import parse_quantity
from purchasing.outcome import RoundOutcome
from spreadsheets.export import export_csv, export_workbook
from storage import rounds
from storage.catalog import list_coops
from storage.commitments import audit_log, set_commitment
from storage.errors import UnknownRound

VIA = "cli"


def register(subparsers: Subparsers) -> None:
    order = subparsers.add_parser("order", help="set a coop's quantity (0 removes it)")
    order.add_argument("round_id", type=int, metavar="ROUND")
    order.add_argument("coop_code", metavar="KOPERASI", help="coop code")
    order.add_argument("product_code", metavar="PRODUK", help="product code")
    order.add_argument("quantity", metavar="JUMLAH", help="whole units")
    order.add_argument("--by", metavar="NAME", help="staff name for the audit log (default $USER)")
    order.set_defaults(handler=set_order)

    export = subparsers.add_parser("export", help="write XLSX and CSV files of a closed round")
    export.add_argument("round_id", type=int, metavar="ROUND")
    export.add_argument("--out", required=True, type=Path, metavar="DIR", help="output folder")
    export.set_defaults(handler=export_round)


def actor_for(by: str | None, environ: Mapping[str, str]) -> str:
    """ "admin:<name>": who typed the order, for the audit log."""
    name = by or environ.get("USER") or environ.get("USERNAME") or environ.get("LOGNAME") or "?"
    return f"admin:{name}"


async def set_order(context: CliContext, args: argparse.Namespace) -> None:
    quantity = parse_quantity(args.quantity)
    async with context.database() as db:
        change = await set_commitment(
            db, round_id=args.round_id, coop_code=args.coop_code.strip().upper(),
            product_code=args.product_code.strip().upper(), quantity=quantity,
            actor=actor_for(args.by, context.environ), via=VIA, now=context.now(),
        )  # fmt: skip
    context.say("order_set", coop_code=args.coop_code.strip().upper(), change=change)


async def export_round(context: CliContext, args: argparse.Namespace) -> None:
    out: Path = args.out
    async with context.database() as db:
        round_ = await rounds.get_round(db, args.round_id)
        if round_ is None:
            raise UnknownRound(round_id=args.round_id)
        if round_.status is not RoundStatus.CLOSED:
            raise RoundNotClosed(round_name=round_.name, status=round_.status.value)
        outcome = await rounds.load_outcome(db, round_.id)
        audit = await audit_log(db, round_.id)
        coops = await list_coops(db)
    files = write_exports(outcome, round_, audit, coops, out)
    context.say("exported", round=round_, files=[str(path) for path in files])


def write_exports(
    outcome: RoundOutcome, round_: Round, audit: list[AuditEntry], coops: list[Coop], out: Path
) -> list[Path]:
    """The workbook and the CSV files, in `out` (created if needed)."""
    out.mkdir(parents=True, exist_ok=True)
    workbook = export_workbook(outcome, round_, audit, coops, out)
    return [workbook, *export_csv(outcome, round_, audit, coops, out)]
