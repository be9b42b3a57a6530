"""`round create|open|list|extend|cancel|close` (and `round show`, in `round_show`).

Times are typed as wall-clock time in the config's `timezone` ("2026-12-05 17:00"); see
`purchasing.times`.
"""

from __future__ import annotations

import argparse
from datetime import datetime

from bot.cli import round_show
from bot.cli.context import CliContext, Subparsers
from bot.cli.errors import CloseUnderway, NoProductCodes
from purchasing.errors import InvalidTransition
from purchasing.model import MoqPolicy, Round, RoundPlan, RoundStatus
from purchasing.rounds import MAX_EXTEND_HOURS, MIN_EXTEND_HOURS, close_underway
from purchasing.times import parse_wib
from storage import rounds as stored_rounds
from storage.database import Database
from storage.round_rows import require_round
from usecases import rounds


def _local(example: str) -> str:
    return f'"{example}" in the config\'s timezone'


def register(subparsers: Subparsers) -> None:
    parser = subparsers.add_parser("round", help="create and run rounds (putaran)")
    commands = parser.add_subparsers(dest="round_command", metavar="COMMAND", required=True)

    create = commands.add_parser("create", help="create a round (draft)")
    create.add_argument("--name", required=True, help="name of the round")
    create.add_argument("--opens", required=True, metavar="WHEN", help=_local("2026-12-01 08:00"))
    create.add_argument("--closes", required=True, metavar="WHEN", help=_local("2026-12-05 17:00"))
    create.add_argument(
        "--products", metavar="KODE,KODE", help="product codes (default: all not retired)"
    )
    create.add_argument("--delivery", default="", metavar="TEXT", help="delivery note")
    create.add_argument(
        "--moq-policy", choices=[policy.value for policy in MoqPolicy], default="drop",
        help="below the MOQ at the deadline: drop the product or extend the round once",
    )  # fmt: skip
    create.add_argument(
        "--extend-hours", type=int, default=0, metavar="N",
        help=f"with --moq-policy extend: how long the one extension is ({MIN_EXTEND_HOURS} to "
        f"{MAX_EXTEND_HOURS} hours)",
    )  # fmt: skip
    create.add_argument("--open-now", action="store_true", help="open the round right away")
    create.set_defaults(handler=create_round)

    commands.add_parser("list", help="list the rounds").set_defaults(handler=list_rounds)
    for name, handler, help_text in [
        ("open", open_round, "open a draft round now"),
        ("cancel", cancel_round, "cancel a draft or open round"),
        ("close", close_round, "close an open round now (before its deadline too)"),
        ("show", round_show.show_round, "live totals, prices and who ordered"),
    ]:
        command = commands.add_parser(name, help=help_text)
        command.add_argument("round_id", type=int, metavar="ID")
        command.set_defaults(handler=handler)

    extend = commands.add_parser("extend", help="move the deadline of an open round later")
    extend.add_argument("round_id", type=int, metavar="ID")
    extend.add_argument("--closes", required=True, metavar="WHEN", help=_local("2026-12-06 17:00"))
    extend.set_defaults(handler=extend_round)


def product_codes(text: str | None) -> tuple[str, ...]:
    """ "brs5, GLP1" → ("BRS5", "GLP1"); no `--products` means every product not retired, and
    one that names none (`--products ","`) is refused rather than read so."""
    if text is None:
        return ()
    codes = tuple(code.strip().upper() for code in text.split(",") if code.strip())
    if not codes:
        raise NoProductCodes()
    return codes


async def create_round(context: CliContext, args: argparse.Namespace) -> None:
    plan = RoundPlan(
        name=args.name, opens_at=parse_wib(args.opens, context.config.timezone),
        closes_at=parse_wib(args.closes, context.config.timezone),
        product_codes=product_codes(args.products), delivery_note=args.delivery,
        moq_policy=MoqPolicy(args.moq_policy), extend_hours=args.extend_hours,
    )  # fmt: skip
    async with context.database() as db:
        round_ = await rounds.create_round(context.use_cases(db), plan, open_now=args.open_now)
    context.say("round_created", round=round_)


async def open_round(context: CliContext, args: argparse.Namespace) -> None:
    async with context.database() as db:
        round_ = await rounds.open_round(context.use_cases(db), args.round_id)
    context.say("round_opened", round=round_)


async def list_rounds(context: CliContext, args: argparse.Namespace) -> None:
    async with context.database() as db:
        found = await stored_rounds.list_rounds(db)
    context.say("round_list", rounds=found)


async def extend_round(context: CliContext, args: argparse.Namespace) -> None:
    closes_at = parse_wib(args.closes, context.config.timezone)
    async with context.database() as db:
        round_ = await rounds.extend_round(context.use_cases(db), args.round_id, closes_at)
    context.say("round_extended", round=round_)


async def cancel_round(context: CliContext, args: argparse.Namespace) -> None:
    async with context.database() as db:
        round_ = await rounds.cancel_round(context.use_cases(db), args.round_id)
    context.say("round_cancelled", round=round_)


async def close_round(context: CliContext, args: argparse.Namespace) -> None:
    """Close the round now and print its summary; a round closed before gets the same
    summary (exit 0, for scripts), first saying so: nothing is closed or sent again."""
    async with context.database() as db:
        ctx = context.use_cases(db)
        if not await rounds.may_close_early(ctx, args.round_id, ctx.now()):
            await _refuse_close_underway(db, args.round_id, ctx.now())
        outcome = await rounds.close_round(ctx, args.round_id, force=True)
        round_ = await require_round(db, args.round_id)
        already_closed = outcome is None
        if already_closed:
            _refuse_cancelled(round_)
            outcome = await rounds.round_outcome(db, args.round_id)
    context.say("round_closed", round=round_, outcome=outcome, already_closed=already_closed)


def _refuse_cancelled(round_: Round) -> None:
    """A cancelled round has no close to show (as `round cancel` and `round open` refuse)."""
    if round_.status is RoundStatus.CANCELLED:
        raise InvalidTransition(from_status=round_.status.value, to_status=RoundStatus.CLOSED.value)


async def _refuse_close_underway(db: Database, round_id: int, now: datetime) -> None:
    """Another close began this round a moment ago and may still run: a second one would
    only race it (the chat's close button answers the same)."""
    round_ = await stored_rounds.get_round(db, round_id)
    if round_ is not None and round_.closing_since is not None and close_underway(round_, now):
        raise CloseUnderway(
            round_id=round_.id, round_name=round_.name, closing_since=round_.closing_since
        )
