"""How long closing a big round takes, against simply reading its commitments.

    .venv/bin/python bench/close.py [--coops 1000] [--scale 10] [--profile]

For `--coops` coops and then `--coops × --scale` coops, each ordering 30 of 300 products
(some products capped by a supply cap, some left under their MOQ), it times
`usecases.rounds.close_round` as production runs it (one treasurer per coop, an admin and a
linked group, so every bill, purchase order and overview is queued) and plain SELECTs of
the same rows through aiosqlite, in the same run: through the index by round, sorted
(`read_by_index`), and by the range of rowids the rows lie in, in the table's order (MIN
and MAX of their rowids, then `SELECT *` of that range: `read_by_rowid`, as the close
reads a round it takes in one read). The baseline is the faster of the two at each size
(both printed); each figure the best of `--repeats` runs (every close on a fresh copy of
the database).
Goals: close ≤ 10 × that SELECT, and close time growing ≤ 11 × for 10 × the coops.
Each close's decision transaction (BEGIN IMMEDIATE to COMMIT: how long the running bot's
writes wait for SQLite's write lock, goal <= 0.5 s) is printed too, and the longest of the
short transactions that write its allocations ahead, from `close_round`'s debug log lines.
Generating the data is not measured. `--profile` closes one more copy of the bigger round
under cProfile (not counted in the timings) and shows where the time goes. How the running
bot answers while such a round closes, and its memory: `bench/close_live.py`. The last
line is `RESULT {json}` (figure, baseline, goal, met) for `bench.all`.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import logging
import pstats
import random
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from purchasing.model import Coop, PriceTier, Product, RoundPlan, Supplier
from spreadsheets.importing import Catalog
from storage.backup import backup
from storage.database import Database, Transaction, open_database
from storage.encoding import to_db_time
from usecases.catalog import import_catalog
from usecases.context import UseCaseContext
from usecases.rounds import close_round, create_round

START = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)
DEADLINE = START + timedelta(days=4)
SUPPLIERS = tuple(Supplier(f"SUP{n}", f"Pemasok {n}") for n in range(1, 6))


@dataclass(frozen=True, slots=True)
class Shape:
    coops: int
    products: int = 300
    lines_per_coop: int = 30
    max_quantity: int = 10

    @property
    def expected_total(self) -> int:
        """Units one product gets on average."""
        lines = self.coops * self.lines_per_coop / self.products
        return int(lines * (1 + self.max_quantity) / 2)


@dataclass(frozen=True, slots=True)
class Timing:
    coops: int
    rows: int
    selects: dict[str, float]  # each plain read's best time, by name (`PLAIN_READS`)
    close_seconds: float
    decision_seconds: float  # the close's write transaction (of the fastest close)
    ahead_seconds: float  # the longest transaction writing its allocations ahead (same close)

    @property
    def baseline(self) -> str:
        """The fastest plain read: the one the close is compared with."""
        return min(self.selects, key=self.selects.__getitem__)

    @property
    def select_seconds(self) -> float:
        return self.selects[self.baseline]

    @property
    def ratio(self) -> float:
        return self.close_seconds / self.select_seconds


def catalog(shape: Shape) -> tuple[list[Coop], list[Product]]:
    """Every 10th product has a supply cap below its demand; every 10th (offset 5) an MOQ
    far above it; the rest are plain."""
    coops = [Coop(f"KOP{n:05d}", f"Koperasi {n}") for n in range(shape.coops)]
    products = []
    for n in range(shape.products):
        price = 50_000 + 1_000 * n
        tiers = (PriceTier(1, price), PriceTier(100, price * 97 // 100))
        products.append(
            Product(
                code=f"PRD{n:03d}",
                name=f"Produk {n}",
                supplier_code=SUPPLIERS[n % len(SUPPLIERS)].code,
                unit="karton",
                contents="",
                market_price=price * 110 // 100,
                tiers=(*tiers, PriceTier(1_000, price * 94 // 100)),
                supply_cap=shape.expected_total // 2 if n % 10 == 0 else None,
                moq=shape.expected_total * 10 if n % 10 == 5 else None,
            )
        )
    return coops, products


def commitment_rows(
    shape: Shape, round_id: int, seed: int = 7, *, start: datetime = START
) -> list[tuple[object, ...]]:
    chooser = random.Random(seed)
    codes = [f"PRD{n:03d}" for n in range(shape.products)]
    rows: list[tuple[object, ...]] = []
    for coop in range(shape.coops):
        for line, code in enumerate(chooser.sample(codes, shape.lines_per_coop)):
            at = to_db_time(start + timedelta(seconds=coop, microseconds=line))
            quantity = chooser.randint(1, shape.max_quantity)
            rows.append((round_id, f"KOP{coop:05d}", code, quantity, "bench", at, at))
    return rows


async def seed(
    db: Database,
    shape: Shape,
    *,
    start: datetime = START,
    deadline: datetime = DEADLINE,
    first_user_id: int | None = None,
) -> int:
    """The catalog and one open round full of commitments; returns the round id. Coop n's
    treasurer has the user id `first_user_id + n` (default: the coop code's digits)."""
    coops, products = catalog(shape)
    at_start = UseCaseContext(db, lambda: start)
    await import_catalog(at_start, Catalog(tuple(coops), SUPPLIERS, tuple(products)))
    plan = RoundPlan("Bench", start, deadline, tuple(p.code for p in products))
    draft = await create_round(at_start, plan, open_now=True)

    def user_id(n: int, coop: Coop) -> str:
        return coop.code[3:] if first_user_id is None else str(first_user_id + n)

    # No storage function inserts commitments in bulk, and 300,000 `set_quantity` calls
    # would take longer than the benchmark itself: one executemany (not measured).
    async with db.transaction() as conn:
        await conn.execute_many(
            "INSERT INTO commitments (round_id, coop_code, product_code, quantity, actor, "
            "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            commitment_rows(shape, draft.id, start=start),
        )
        await conn.execute_many(
            "INSERT INTO reps (platform, user_id, coop_code, role, display_name, added_at) "
            "VALUES ('telegram', ?, ?, 'treasurer', ?, ?)",
            [(user_id(n, coop), coop.code, f"Bendahara {n}", to_db_time(start))
             for n, coop in enumerate(coops)],
        )  # fmt: skip
        await conn.execute(
            "INSERT INTO admins (platform, user_id, added_at) VALUES ('telegram', '1', ?)",
            (to_db_time(start),),
        )
        await conn.execute(
            "INSERT INTO linked_groups (platform, chat_id, at) VALUES ('telegram', '-100', ?)",
            (to_db_time(start),),
        )
    return draft.id


BY_INDEX = "by index"
BY_ROWID = "by rowid range"


async def read_by_index(conn: Transaction, round_id: int) -> int:
    """The round's commitments through the index by round, sorted: the obvious SELECT."""
    found = await conn.fetch_all(
        "SELECT * FROM commitments WHERE round_id = ? ORDER BY coop_code, product_code",
        (round_id,),
    )
    return len(found)


async def read_by_rowid(conn: Transaction, round_id: int) -> int:
    """The same rows read in the table's order: the range of rowids they lie in (one pass
    over the index by round), then that range page by page, no index (`+round_id`), as the
    close reads a round it takes in one read (`storage.round_rows.commitments_among`)."""
    bounds = await conn.fetch_all(
        "SELECT MIN(rowid), MAX(rowid) FROM commitments WHERE round_id = ?", (round_id,)
    )
    first, last = bounds[0][0], bounds[0][1]
    if first is None:
        return 0
    found = await conn.fetch_all(
        "SELECT * FROM commitments WHERE rowid BETWEEN ? AND ? AND +round_id = ?",
        (first, last, round_id),
    )
    return len(found)


PLAIN_READS = {BY_INDEX: read_by_index, BY_ROWID: read_by_rowid}


async def time_selects(db: Database, round_id: int, repeats: int) -> tuple[dict[str, float], int]:
    """The best time of each plain read of every commitment row of the round (taken in
    turn, so both see the same machine), and the row count (the same for each)."""
    seconds: dict[str, list[float]] = {name: [] for name in PLAIN_READS}
    counts = set()
    for _ in range(repeats):
        for name, read in PLAIN_READS.items():
            started = time.perf_counter()
            async with db.read() as conn:
                counts.add(await read(conn, round_id))
            seconds[name].append(time.perf_counter() - started)
    if len(counts) != 1:
        raise SystemExit(f"the plain reads disagree on the rows: {sorted(counts)}")
    return {name: min(times) for name, times in seconds.items()}, counts.pop()


class DecisionTimes(logging.Handler):
    """The seconds each close's decision transaction held the write lock (`seconds`) and
    the longest transaction writing its allocations ahead (`ahead`), as `close_round` logs
    them (its debug lines "... held the write lock %.3f s")."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.seconds: list[float] = []
        self.ahead: list[float] = []

    def emit(self, record: logging.LogRecord) -> None:
        if "held the write lock" not in record.msg or not isinstance(record.args, tuple):
            return
        held = float(record.args[-1])  # type: ignore[arg-type]
        (self.ahead if "written ahead" in record.msg else self.seconds).append(held)

    @contextmanager
    def listening(self) -> Iterator[DecisionTimes]:
        logger = logging.getLogger("usecases.rounds")
        level = logger.level
        logger.addHandler(self)
        logger.setLevel(logging.DEBUG)
        try:
            yield self
        finally:
            logger.removeHandler(self)
            logger.setLevel(level)


async def time_close(
    original: Database, round_id: int, copy: Path, profile: cProfile.Profile | None = None
) -> tuple[float, float, float]:
    """Close the round in a fresh copy of `original` (copying is not measured; `backup`
    replaces the previous copy): the close's seconds, its decision transaction's and the
    longest of those writing its allocations ahead (0: none)."""
    await backup(original, copy)
    with DecisionTimes().listening() as decisions:
        async with open_database(copy) as db:
            started = time.perf_counter()
            if profile is not None:
                profile.enable()
            after = DEADLINE + timedelta(minutes=1)
            outcome = await close_round(UseCaseContext(db, lambda: after), round_id)
            if profile is not None:
                profile.disable()
            elapsed = time.perf_counter() - started
    if outcome is None or len(decisions.seconds) != 1:
        raise SystemExit("the round did not close: the benchmark is broken")
    return elapsed, decisions.seconds[0], max(decisions.ahead, default=0.0)


async def measure(
    shape: Shape, directory: Path, repeats: int, profile: cProfile.Profile | None = None
) -> Timing:
    async with open_database(directory / f"bench-{shape.coops}.sqlite3") as db:
        round_id = await seed(db, shape)
        selects, rows = await time_selects(db, round_id, repeats)
        copy = directory / "closing.sqlite3"
        closes = [await time_close(db, round_id, copy) for _ in range(repeats)]
        if profile is not None:
            await time_close(db, round_id, copy, profile)
    best, decision, ahead = min(closes)
    return Timing(shape.coops, rows, selects, best, decision, ahead)


def report(timings: list[Timing], max_ratio: float, max_growth: float) -> bool:
    print("best of each; seconds")
    print(
        f"{'coops':>8} {'rows':>9} {'by index':>9} {'by rowid':>9} {'close':>8} "
        f"{'close/SELECT':>13} {'write lock':>11} {'ahead':>7}"
    )
    for t in timings:
        print(
            f"{t.coops:>8} {t.rows:>9} {t.selects[BY_INDEX]:>9.3f} {t.selects[BY_ROWID]:>9.3f} "
            f"{t.close_seconds:>8.3f} {t.ratio:>12.1f}x {t.decision_seconds:>11.3f} "
            f"{t.ahead_seconds:>7.3f}"
        )
    print("SELECT: the faster plain read of the round's rows at each size (the baseline):")
    for t in timings:
        print(f"  {t.coops} coops: {t.baseline}")
    print(f"  {BY_INDEX}: SELECT * WHERE round_id = ? ORDER BY coop_code, product_code")
    print(f"  {BY_ROWID}: MIN/MAX(rowid) of the round's rows, then SELECT * of that range")
    print("write lock: the close's decision transaction, BEGIN IMMEDIATE to COMMIT; ahead: the")
    print("longest of the transactions writing its allocations before it, while still open")
    small, big = timings[0], timings[-1]
    growth = big.close_seconds / small.close_seconds
    scale = big.coops / small.coops
    ratio_ok = all(t.ratio <= max_ratio for t in timings)
    growth_ok = growth <= max_growth
    print(f"close/SELECT ratio: worst {max(t.ratio for t in timings):.1f}x "
          f"(goal <= {max_ratio:g}x): {'ok' if ratio_ok else 'TOO SLOW'}")  # fmt: skip
    print(f"close time growth for {scale:g}x the coops: {growth:.1f}x "
          f"(goal <= {max_growth:g}x): {'ok' if growth_ok else 'TOO SLOW'}")  # fmt: skip
    result = {
        "bench": "close",
        "figure": f"{big.coops:,} coops x 30 lines: close {big.close_seconds:.2f} s vs SELECT "
        f"{big.select_seconds:.2f} s ({big.ratio:.1f}x); {small.coops:,} coops "
        f"{small.ratio:.1f}x; growth {growth:.1f}x for {scale:g}x the coops; write lock "
        f"held {big.decision_seconds:.2f} s ({small.decision_seconds:.2f} s), the longest "
        f"transaction ahead of it {big.ahead_seconds:.2f} s",
        "baseline": "the faster of two plain SELECTs of the round's commitments through "
        f"aiosqlite, same run ({small.coops:,}: {small.baseline}, {big.coops:,}: "
        f"{big.baseline}): by the index by round, sorted; or by the range of rowids they "
        "lie in, in the table's order",
        "goal": f"close <= {max_ratio:g}x the SELECT at each size, growth <= {max_growth:g}x",
        "met": ratio_ok and growth_ok,
    }
    print("RESULT " + json.dumps(result))
    return ratio_ok and growth_ok


def print_profile(profile: cProfile.Profile, limit: int) -> None:
    print(f"\nWhere the close of the bigger round spends its time (top {limit}, cumulative):")
    stats = pstats.Stats(profile, stream=sys.stdout)
    stats.strip_dirs().sort_stats(pstats.SortKey.CUMULATIVE).print_stats(limit)


async def run(args: argparse.Namespace) -> bool:
    profile = cProfile.Profile() if args.profile else None
    with tempfile.TemporaryDirectory(prefix="belanja-bench-") as name:
        directory = Path(name)
        timings = [
            await measure(Shape(args.coops), directory, args.repeats),
            await measure(Shape(args.coops * args.scale), directory, args.repeats, profile),
        ]
    passed = report(timings, max_ratio=10, max_growth=1.1 * args.scale)
    if profile is not None:
        print_profile(profile, args.profile_lines)
    return passed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--coops", type=int, default=1000, help="coops in the smaller round")
    parser.add_argument("--scale", type=int, default=10, help="how many times more coops next")
    parser.add_argument("--repeats", type=int, default=3, help="runs of each, best counts")
    parser.add_argument("--profile", action="store_true", help="cProfile the bigger close")
    parser.add_argument("--profile-lines", type=int, default=25, help="functions to show")
    args = parser.parse_args(argv)
    return 0 if asyncio.run(run(args)) else 1


if __name__ == "__main__":
    sys.exit(main())
