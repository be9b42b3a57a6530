"""`round show ID`: where each product stands now, which coops ordered and which not, and
after the close how far the round has come (confirmed, received, paid)."""

from __future__ import annotations

import argparse

from bot.cli.context import CliContext
from purchasing.model import RoundStatus
from purchasing.progress import progress_for
from storage import rounds
from storage.commitment_reads import coops_with_orders, totals_for_round
from storage.errors import UnknownRound
from storage.round_parties import coops_at_close
from storage.supply import settlement_progress


async def show_round(context: CliContext, args: argparse.Namespace) -> None:
    async with context.database() as db:
        round_ = await rounds.get_round(db, args.round_id)
        if round_ is None:
            raise UnknownRound(round_id=args.round_id)
        totals = await totals_for_round(db, round_.id)
        ordered = await coops_with_orders(db, round_.id)
        coops = await coops_at_close(db, round_.id)
        after = (
            await settlement_progress(db, round_.id)
            if round_.status is RoundStatus.CLOSED
            else None
        )
    context.say(
        "round_show",
        round=round_,
        progress=progress_for(round_, totals),
        coops_ordered=[coop for coop in coops if coop.code in ordered],
        coops_waiting=[coop for coop in coops if coop.code not in ordered],
        after_close=after,
    )
