"""How long recording a big sheet of orders takes, against a plain INSERT of its rows.

    .venv/bin/python -m bench.order_sheet [--coops 1000] [--lines 30] [--scale 10] [--profile]

For `--coops` coops (and then `--coops × --scale` coops, unless `--scale 1`), each ordering
`--lines` of 300 products (the catalog of `bench.close`, in one open round with no orders
yet), it writes the sheet of orders as a CSV (koperasi, produk, jumlah) in a temporary
folder and times, each on a fresh copy of the same database and in the same run:

- the sheet: `usecases.order_sheet.record_order_sheet`, as `belanja-bareng order --file FILE
  ROUND` calls it (reading and checking the file with `spreadsheets.orders`, then every
  coop's lines judged and written with their audit rows in ONE transaction);
- the baseline: one `executemany` INSERT of the same (round, coop, product, quantity,
  actor, created, updated) rows into the same `commitments` table, in one transaction
  through `storage.database` (the rows built in memory beforehand, not measured), with the
  triggers that keep `units_ordered` (migration 0024) dropped from that copy first: a plain
  table, as strong a baseline as before they existed;
- for reference only: the same INSERT plus one `commitment_audit` row per line, with the
  triggers: what the sheet writes.

Each is the best of `--repeats` runs. Goal: the sheet ≤ 10 × the plain INSERT. It also
prints the time the file read alone takes, how the sheet's time grows for `--scale` times
the coops, and the process's peak RSS. Generating and copying the data is not measured.
`--profile` records one more copy of the bigger sheet under cProfile (not counted).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import csv
import json
import pstats
import resource
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from bench.close import DEADLINE, START, SUPPLIERS, Shape, catalog, commitment_rows
from purchasing.model import RoundPlan
from spreadsheets.importing import Catalog
from spreadsheets.orders import read_order_sheet
from storage.backup import backup
from storage.database import Database, open_database
from usecases.catalog import import_catalog
from usecases.context import UseCaseContext
from usecases.order_sheet import record_order_sheet, sheet_audit
from usecases.rounds import create_round

ACTOR = "admin:bench"
WHILE_OPEN = START + timedelta(hours=1)
Row = tuple[object, ...]

INSERT = (
    "INSERT INTO commitments (round_id, coop_code, product_code, quantity, actor, "
    "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
)
UNITS_ORDERED_TRIGGERS = (
    "units_ordered_on_insert",
    "units_ordered_on_delete",
    "units_ordered_on_update",
    "units_ordered_on_move",
)
INSERT_AUDIT = (
    "INSERT INTO commitment_audit (round_id, coop_code, product_code, old_quantity, "
    "new_quantity, actor, via, message_id, at) VALUES (?, ?, ?, 0, ?, ?, 'sheet', '', ?)"
)


@dataclass(frozen=True, slots=True)
class Timing:
    coops: int
    rows: int
    read_seconds: float
    sheet_seconds: float
    insert_seconds: float
    audited_insert_seconds: float
    peak_rss_mb: float  # of the whole process so far

    @property
    def ratio(self) -> float:
        return self.sheet_seconds / self.insert_seconds


async def seed(db: Database, shape: Shape) -> int:
    """The catalog and one open round without orders; returns the round id."""
    coops, products = catalog(shape)
    at_start = UseCaseContext(db, lambda: START)
    await import_catalog(at_start, Catalog(tuple(coops), SUPPLIERS, tuple(products)))
    plan = RoundPlan("Bench", START, DEADLINE, tuple(p.code for p in products))
    return (await create_round(at_start, plan, open_now=True)).id


def sheet_rows(shape: Shape, round_id: int) -> list[Row]:
    """The rows the sheet orders, as the baseline inserts them."""
    return [(*row[:4], ACTOR, *row[5:]) for row in commitment_rows(shape, round_id)]


def write_sheet(path: Path, rows: list[Row]) -> None:
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(("koperasi", "produk", "jumlah"))
        writer.writerows(row[1:4] for row in rows)


async def time_sheet(
    original: Database,
    round_id: int,
    sheet: Path,
    copy: Path,
    profile: cProfile.Profile | None = None,
) -> tuple[float, int]:
    """Record the sheet in a fresh copy of `original`; the time and the lines recorded."""
    await backup(original, copy)
    async with open_database(copy) as db:
        ctx = UseCaseContext(db, lambda: WHILE_OPEN)
        started = time.perf_counter()
        if profile is not None:
            profile.enable()
        done = await record_order_sheet(ctx, round_id, sheet, sheet.name, sheet_audit(ACTOR))
        if profile is not None:
            profile.disable()
        elapsed = time.perf_counter() - started
    return elapsed, done.lines


async def time_insert(original: Database, rows: list[Row], copy: Path, audited: bool) -> float:
    """One executemany INSERT of `rows` (and with `audited` their audit rows) in one
    transaction, in a fresh copy of `original` (without `audited`: a copy without the
    triggers that keep `units_ordered`)."""
    await backup(original, copy)
    audit_rows = [(*row[:4], ACTOR, row[5]) for row in rows] if audited else []
    async with open_database(copy) as db:
        if not audited:
            for trigger in UNITS_ORDERED_TRIGGERS:
                await db.execute(f"DROP TRIGGER {trigger}")
        started = time.perf_counter()
        async with db.transaction() as tx:
            await tx.execute_many(INSERT, rows)
            if audited:
                await tx.execute_many(INSERT_AUDIT, audit_rows)
        return time.perf_counter() - started


def best_read(sheet: Path, repeats: int) -> float:
    seconds = []
    for _ in range(repeats):
        started = time.perf_counter()
        read_order_sheet(sheet, sheet.name)
        seconds.append(time.perf_counter() - started)
    return min(seconds)


async def measure(
    shape: Shape, directory: Path, repeats: int, profile: cProfile.Profile | None = None
) -> Timing:
    async with open_database(directory / f"bench-{shape.coops}.sqlite3") as db:
        round_id = await seed(db, shape)
        rows = sheet_rows(shape, round_id)
        sheet = directory / f"pesanan-{shape.coops}.csv"
        write_sheet(sheet, rows)
        copy = directory / "copy.sqlite3"
        sheets = []
        for _ in range(repeats):
            seconds, lines = await time_sheet(db, round_id, sheet, copy)
            if lines != len(rows):
                raise SystemExit(f"the sheet recorded {lines} of {len(rows)} lines: broken")
            sheets.append(seconds)
        inserts = [await time_insert(db, rows, copy, False) for _ in range(repeats)]
        audited = [await time_insert(db, rows, copy, True) for _ in range(repeats)]
        if profile is not None:
            await time_sheet(db, round_id, sheet, copy, profile)
    return Timing(
        shape.coops,
        len(rows),
        best_read(sheet, repeats),
        min(sheets),
        min(inserts),
        min(audited),
        peak_rss_mb(),
    )


def peak_rss_mb() -> float:
    """The process's peak resident set so far (Linux reports kB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def report(timings: list[Timing], max_ratio: float) -> bool:
    print("best of each; seconds")
    print(
        f"{'coops':>8} {'rows':>9} {'read file':>10} {'sheet':>9} {'INSERT':>9} "
        f"{'sheet/INSERT':>13} {'INSERT+audit':>13} {'peak RSS':>9}"
    )
    for t in timings:
        print(
            f"{t.coops:>8} {t.rows:>9} {t.read_seconds:>10.3f} {t.sheet_seconds:>9.3f} "
            f"{t.insert_seconds:>9.3f} {t.ratio:>12.1f}x {t.audited_insert_seconds:>13.3f} "
            f"{t.peak_rss_mb:>6.0f} MB"
        )
    worst = max(t.ratio for t in timings)
    ok = worst <= max_ratio
    print(f"sheet/INSERT ratio: worst {worst:.1f}x (goal <= {max_ratio:g}x): "
          f"{'ok' if ok else 'TOO SLOW'}")  # fmt: skip
    if len(timings) > 1:
        small, big = timings[0], timings[-1]
        scale = big.coops / small.coops
        sheet_growth = big.sheet_seconds / small.sheet_seconds
        insert_growth = big.insert_seconds / small.insert_seconds
        print(
            f"for {scale:g}x the coops the sheet took {sheet_growth:.1f}x as long, "
            f"the plain INSERT {insert_growth:.1f}x"
        )
    return ok


def print_profile(profile: cProfile.Profile, limit: int) -> None:
    print(f"\nWhere the bigger sheet spends its time (top {limit}, cumulative):")
    stats = pstats.Stats(profile, stream=sys.stdout)
    stats.strip_dirs().sort_stats(pstats.SortKey.CUMULATIVE).print_stats(limit)


async def run(args: argparse.Namespace) -> bool:
    profile = cProfile.Profile() if args.profile else None
    sizes = [args.coops] if args.scale == 1 else [args.coops, args.coops * args.scale]
    timings = []
    with tempfile.TemporaryDirectory(prefix="belanja-bench-") as name:
        for n, coops in enumerate(sizes):
            shape = Shape(coops, lines_per_coop=args.lines)
            last = n == len(sizes) - 1
            timings.append(
                await measure(shape, Path(name), args.repeats, profile if last else None)
            )
    passed = report(timings, max_ratio=10)
    worst = max(timings, key=lambda t: t.ratio)
    result = {
        "bench": "order_sheet",
        "figure": ", ".join(
            f"{t.coops:,} coops {t.sheet_seconds:.2f} s ({t.ratio:.1f}x)" for t in timings
        ),
        "baseline": "a plain executemany INSERT of the same rows (no triggers), same run",
        "goal": "ratio <= 10",
        "met": passed,
        "worst_ratio": round(worst.ratio, 2),
    }
    print("RESULT " + json.dumps(result))
    if profile is not None:
        print_profile(profile, args.profile_lines)
    return passed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--coops", type=int, default=1000, help="coops in the (first) sheet")
    parser.add_argument("--lines", type=int, default=30, help="products each coop orders")
    parser.add_argument("--scale", type=int, default=10, help="then this many times the coops")
    parser.add_argument("--repeats", type=int, default=3, help="runs of each, best counts")
    parser.add_argument("--profile", action="store_true", help="cProfile the bigger sheet")
    parser.add_argument("--profile-lines", type=int, default=25, help="functions to show")
    args = parser.parse_args(argv)
    return 0 if asyncio.run(run(args)) else 1


if __name__ == "__main__":
    sys.exit(main())
