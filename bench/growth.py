"""How fast the database grows: weekly rounds, with sent messages pruned after 30 days.

    .venv/bin/python -m bench.growth [--coops 1000] [--rounds 8] [--keep-days 30]

Each coop has one treasurer on Telegram. Every round (one a week) is opened and announced to
every treasurer, each coop orders `--lines` products (one commitment and one audit row per
line, written in bulk as `bench.close` does), both deadline reminders are queued, the round
is closed with its real summaries (bills, group, overview, purchase orders), every queued
message is marked sent, and the daily prune (`usecases.sweeps.prune_sent_messages`) runs
with the week's clock. After each round it prints the bytes in use (pages minus free pages)
and the rows of the three growing tables; at the end, the bytes per round and per coop and
round once pruning keeps pace, and a year of weekly rounds for 10,000 coops extrapolated.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import tempfile
from datetime import timedelta
from pathlib import Path

from bench.close import DEADLINE, START, SUPPLIERS, Shape, catalog, commitment_rows
from purchasing.model import Rep, RoundPlan
from purchasing.reminders import ReminderPolicy
from spreadsheets.importing import Catalog
from storage.database import Database, open_database
from storage.people import reps
from usecases.catalog import import_catalog
from usecases.context import UseCaseContext
from usecases.rounds import close_round, create_round
from usecases.sweeps import keep_sent_for, prune_sent_messages, send_due_reminders

WEEK = timedelta(days=7)
TABLES = ("commitments", "commitment_audit", "outbox")


async def bytes_in_use(db: Database) -> int:
    async with db.read() as conn:
        [pages] = await conn.fetch_all("PRAGMA page_count")
        [free] = await conn.fetch_all("PRAGMA freelist_count")
        [size] = await conn.fetch_all("PRAGMA page_size")
    return (int(pages[0]) - int(free[0])) * int(size[0])


async def row_counts(db: Database) -> dict[str, int]:
    counts = {}
    async with db.read() as conn:
        for table in TABLES:
            [row] = await conn.fetch_all(f"SELECT COUNT(*) FROM {table}")
            counts[table] = int(row[0])
    return counts


async def one_round(db: Database, shape: Shape, week: int, keep: timedelta | None) -> None:
    shift = WEEK * week
    at = UseCaseContext(db, lambda: START + shift)
    products = [f"PRD{n:03d}" for n in range(shape.products)]
    plan = RoundPlan(f"Minggu {week + 1}", START + shift, DEADLINE + shift, tuple(products))
    round_ = await create_round(at, plan, open_now=True)  # announced to every treasurer
    rows = commitment_rows(shape, round_.id, seed=week)
    async with db.transaction() as conn:  # bulk, as bench.close does (not a use case)
        await conn.execute_many(
            "INSERT INTO commitments (round_id, coop_code, product_code, quantity, actor, "
            "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(*row[:4], "telegram:1000001", *row[5:]) for row in rows],
        )
        await conn.execute_many(
            "INSERT INTO commitment_audit (round_id, coop_code, product_code, old_quantity, "
            "new_quantity, actor, via, message_id, at) VALUES (?, ?, ?, 0, ?, ?, ?, ?, ?)",
            [(*row[:4], "telegram:1000001", "telegram", "123456:789", row[5]) for row in rows],
        )
    for before in (timedelta(hours=23), timedelta(hours=1)):
        await send_due_reminders(at, DEADLINE + shift - before, ReminderPolicy())
    closed = await close_round(at, round_.id, now=DEADLINE + shift + timedelta(minutes=1))
    if closed is None:
        raise SystemExit("the round did not close: the benchmark is broken")
    async with db.transaction() as conn:  # the sender's part, in bulk
        sent_at = (DEADLINE + shift).isoformat(timespec="microseconds")
        await conn.execute(
            "UPDATE outbox SET status = 'sent', sent_at = ?, "
            "payload = json_set(payload, '$.sent_message_id', '4242') WHERE status = 'pending'",
            (sent_at,),
        )
    for day in range(7):  # the daily prune of the week
        await prune_sent_messages(at, DEADLINE + shift + timedelta(days=day), keep)


async def run(args: argparse.Namespace) -> None:
    shape = Shape(coops=args.coops, lines_per_coop=args.lines)
    keep = keep_sent_for(args.keep_days, ReminderPolicy())
    with tempfile.TemporaryDirectory() as folder:
        async with open_database(Path(folder) / "growth.sqlite3") as db:
            coops, products = catalog(shape)
            at_start = UseCaseContext(db, lambda: START)
            await import_catalog(at_start, Catalog(tuple(coops), SUPPLIERS, tuple(products)))
            for n, coop in enumerate(coops):
                await reps.add_rep(db, Rep("telegram", str(1_000_000 + n), coop.code), START)
            base = await bytes_in_use(db)
            print(f"catalog and {shape.coops} treasurers: {base / 1e6:.1f} MB")
            sizes = [base]
            for week in range(args.rounds):
                await one_round(db, shape, week, keep)
                sizes.append(await bytes_in_use(db))
                counts = await row_counts(db)
                added = (sizes[-1] - sizes[-2]) / 1e6
                print(
                    f"round {week + 1}: {sizes[-1] / 1e6:7.1f} MB (+{added:.1f})"
                    f"  commitments {counts['commitments']:,}  audit {counts['commitment_audit']:,}"
                    f"  outbox {counts['outbox']:,}"
                )
    steady = sizes[-1] - sizes[-2]  # pruning keeps pace once rounds are older than `keep`
    per_coop_round = steady / shape.coops
    year = per_coop_round * 10_000 * 52
    print(f"last round added {steady / 1e6:.1f} MB: {per_coop_round / 1e3:.1f} kB per coop")
    print(
        f"per coop line: {steady / (shape.coops * shape.lines_per_coop):.0f} bytes "
        "(commitment + audit row, its share of the outbox and results)"
    )
    print(f"a year of weekly rounds for 10,000 coops: about {year / 1e9:.1f} GB")
    result = {
        "bench": "growth",
        "figure": f"{per_coop_round / 1e3:.1f} kB per coop-round once pruning keeps pace; "
        f"a year at 10,000 coops about {year / 1e9:.1f} GB",
        "baseline": "none (an estimate for the README)",
        "goal": "the database of a year estimated",
        "met": None,
    }
    print("RESULT " + json.dumps(result))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--coops", type=int, default=1000)
    parser.add_argument("--lines", type=int, default=30, help="products each coop orders")
    parser.add_argument("--rounds", type=int, default=8, help="weekly rounds (prune at 30 days)")
    parser.add_argument("--keep-days", type=int, default=30, help="[sending] keep_sent_days")
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
