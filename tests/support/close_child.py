"""A bot process for tests/bot/test_schedule_kill.py: catch up on an overdue round, as `run` does.

    python -m tests.support.close_child --db FILE --seed-coops N   (once, to build the round)
    python -m tests.support.close_child --db FILE                  (the catch-up sweep)
    python -m tests.support.close_child --db FILE --bills-per-transaction N

Seeding uses the close benchmark's generator (`bench.close.seed`), which makes each coop's
treasurer a rep (user id: the coop code's digits). The sweep runs `RoundScheduler.sweep`
(open, close, remind) with the clock after the deadline; it prints "sweeping" first, so the
test knows when to pull the plug.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path

from bench.close import DEADLINE, Shape, seed
from bot.config import Config
from bot.scheduler import RoundScheduler
from bot.wiring import wire
from storage.database import open_database
from usecases import rounds

AFTER_DEADLINE = DEADLINE + timedelta(minutes=1)


async def seed_round(db_path: Path, coops: int) -> None:
    async with open_database(db_path) as db:
        await seed(db, Shape(coops=coops))


async def sweep(db_path: Path, bills_per_transaction: int) -> None:
    if bills_per_transaction:  # more, shorter transactions: a longer time to pull the plug in
        rounds.BILLS_PER_TRANSACTION = bills_per_transaction
    async with open_database(db_path) as db:
        services = wire(Config(), db, lambda: AFTER_DEADLINE).services
        print("sweeping", flush=True)
        await RoundScheduler(services, Config(), lambda: AFTER_DEADLINE).sweep()
        print("done", flush=True)


def main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="close_child")
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--seed-coops", type=int, default=0)
    parser.add_argument("--bills-per-transaction", type=int, default=0)
    args = parser.parse_args(argv)
    if args.seed_coops:
        asyncio.run(seed_round(args.db, args.seed_coops))
    else:
        asyncio.run(sweep(args.db, args.bills_per_transaction))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
