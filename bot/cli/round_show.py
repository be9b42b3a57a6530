"""`round show ID`: where each product stands now, and which coops ordered and which not."""

from __future__ import annotations

import argparse

from bot.cli.context import CliContext
from purchasing.progress import progress_for
from storage import rounds
from storage.commitment_reads import coops_with_orders, totals_for_round
from storage.errors import UnknownRound
from storage.round_parties import coops_at_close


async def show_round(context: CliContext, args: argparse.Namespace) -> None:
    async with context.database() as db:
        round_ = await rounds.get_round(db, args.round_id)
        if round_ is None:
            raise UnknownRound(round_id=args.round_id)
        totals = await totals_for_round(db, round_.id)
        ordered = await coops_with_orders(db, round_.id)
        coops = await coops_at_close(db, round_.id)
    context.say(
        "round_show",
        round=round_,
        progress=progress_for(round_, totals),
        coops_ordered=[coop for coop in coops if coop.code in ordered],
        coops_waiting=[coop for coop in coops if coop.code not in ordered],
    )
