"""How fast the web dashboard's pages answer over a year of rounds, and the server's memory.

    .venv/bin/python -m bench.dashboard [--coops 10000] [--rounds 50] [--lines 5] [--repeats 5]

Builds one database (not measured, its shape and time printed): `--coops` coops with one
treasurer each and an admin, 300 products, `--rounds` weekly rounds each opened with
`usecases.rounds.create_round`, filled by one `executemany` of commitments (as `bench.close`
does; about 9 in 10 coops order `--lines` products each, a twentieth of the coops stop
ordering for the last 10 rounds) and closed with `usecases.rounds.close_round` as production
closes it (allocations, prices reached, coops kept, every summary queued); then one more
round left open, ordered by 9 in 10 coops. The default is 5 lines per coop, not the 30 of
`bench.close`: 50 closes of 300,000 lines would take over half an hour to build.

Then the real dashboard (`bot.dashboard.serving.dashboard_site` over `bot.wiring.wire`, as
`belanja-bareng run` serves it) runs in a child process on 127.0.0.1, the admin signs in
through a link made by `usecases.dashboard.make_link` (GET then POST `/masuk/<token>`), and
an aiohttp client times the open round (`/`), a closed round (`/putaran/<id>`), the rounds
list (`/putaran`) and the yearly reports (`/laporan/hemat`, `/laporan/koperasi`,
`/laporan/harga`, `/laporan/pemasok`, `/laporan/pembayaran`), each `--repeats` times (best
and median), then the open round once more while the savings report loads (the bot's chat
commands share the same database connection and wait as long). The baseline, in the same
run: the best 404 answer (signed in, reads nothing) plus a plain SELECT through
`storage.database`, from this process, of the rows each page reads (for the reports, the
sums each close keeps since migration 0020: per round and product or supplier, and per coop
its first and last round and its rounds among the last 4; a database kept by `--keep` from
before 0020 is upgraded, its closed rounds summed up, when the server opens it; the payments
report reads each bill's total its close kept, migration 0021, plus the payments and the
allocation changes since, and counts them per coop in SQL). The server's peak RSS is its
/proc/<pid>/status VmHWM. Goals: every page <= 1 s (median), <= 10x its baseline, peak RSS
<= 512 MB. `--keep PATH` builds the database there, or reuses it if it exists. The last
line, `RESULT {json}`, gives the figures and the verdict for `bench.all`'s table.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import aiohttp

from bench.close import DEADLINE, START, SUPPLIERS, Shape, catalog
from purchasing.model import RoundPlan
from spreadsheets.importing import Catalog
from storage.database import Database, open_database
from storage.encoding import from_db_time, to_db_time
from usecases.catalog import import_catalog
from usecases.context import UseCaseContext
from usecases.dashboard import make_link
from usecases.rounds import close_round, create_round

WEEK = timedelta(days=7)
ADMIN = ("telegram", "1")
MAX_SECONDS = 1.0
MAX_RATIO = 10.0
MAX_RSS_MB = 512.0

INSERT_COMMITMENTS = (
    "INSERT INTO commitments (round_id, coop_code, product_code, quantity, actor, "
    "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
)


@dataclass(frozen=True, slots=True)
class Built:
    closed_ids: tuple[int, ...]
    open_id: int
    clock: datetime  # inside the open round: the server's and the link's "now"
    commitments: int
    seconds: float


@dataclass(frozen=True, slots=True)
class PageTiming:
    name: str
    path: str
    bytes: int
    best: float
    median: float
    select_best: float
    select_rows: int
    floor: float  # the best answer of a page that reads nothing (the 404 page)

    @property
    def baseline(self) -> float:
        """The same request's fixed cost plus a plain SELECT of the page's rows."""
        return self.floor + self.select_best

    @property
    def ratio(self) -> float:
        return self.best / self.baseline


def orders(shape: Shape, round_id: int, week: int, rounds: int) -> list[tuple[object, ...]]:
    """The week's commitments: coop n skips the round when (n + week) % 10 == 0; coops with
    n % 20 == 19 order nothing in the last 10 closed rounds (lapsed in the coops report)."""
    chooser = random.Random(week)
    codes = [f"PRD{n:03d}" for n in range(shape.products)]
    at = START + WEEK * week
    rows: list[tuple[object, ...]] = []
    for coop in range(shape.coops):
        if (coop + week) % 10 == 0 or (coop % 20 == 19 and rounds - 10 <= week < rounds):
            continue
        stamp = to_db_time(at + timedelta(seconds=coop))
        for code in chooser.sample(codes, shape.lines_per_coop):
            quantity = chooser.randint(1, shape.max_quantity)
            rows.append((round_id, f"KOP{coop:05d}", code, quantity, "bench", stamp, stamp))
    return rows


async def build(db: Database, shape: Shape, rounds: int) -> Built:
    started = time.perf_counter()
    coops, products = catalog(shape)
    await import_catalog(
        UseCaseContext(db, lambda: START), Catalog(tuple(coops), SUPPLIERS, tuple(products))
    )
    async with db.transaction() as conn:
        await conn.execute_many(
            "INSERT INTO reps (platform, user_id, coop_code, role, display_name, added_at) "
            "VALUES ('telegram', ?, ?, 'treasurer', ?, ?)",
            [(str(1_000_000 + n), coop.code, f"Bendahara {n}", to_db_time(START))
             for n, coop in enumerate(coops)],
        )  # fmt: skip
        await conn.execute(
            "INSERT INTO admins (platform, user_id, display_name, added_at) VALUES (?, ?, ?, ?)",
            (*ADMIN, "Bu Admin", to_db_time(START)),
        )
    codes = tuple(p.code for p in products)
    closed: list[int] = []
    count = 0
    for week in range(rounds + 1):
        shift = WEEK * week
        at = UseCaseContext(db, lambda shift=shift: START + shift)  # type: ignore[misc]
        plan = RoundPlan(f"Minggu {week + 1}", START + shift, DEADLINE + shift, codes)
        round_ = await create_round(at, plan, open_now=True)
        rows = orders(shape, round_.id, week, rounds)
        count += len(rows)
        async with db.transaction() as conn:  # bulk, as bench.close does (not a use case)
            await conn.execute_many(INSERT_COMMITMENTS, rows)
        if week == rounds:  # the last one stays open
            clock = START + shift + timedelta(days=1)
            return Built(tuple(closed), round_.id, clock, count, time.perf_counter() - started)
        outcome = await close_round(at, round_.id, now=DEADLINE + shift + timedelta(minutes=1))
        if outcome is None:
            raise SystemExit("a round did not close: the benchmark is broken")
        closed.append(round_.id)
        if (week + 1) % 10 == 0:
            print(f"  {week + 1} rounds closed, {time.perf_counter() - started:.0f} s", flush=True)
    raise AssertionError("unreachable")


# -- the server, in a child process ------------------------------------------------------------


async def serve(database: Path, clock: datetime) -> None:
    """Serve the dashboard over `database` with a fixed clock until stdin closes; print the
    address first."""
    from bot.config import Config, DashboardConfig
    from bot.dashboard.pages import Pages
    from bot.dashboard.serving import dashboard_site
    from bot.wiring import wire

    config = Config(database=database)
    settings = DashboardConfig(enabled=True, listen="127.0.0.1", port=0)
    async with open_database(database) as db:
        services = wire(config, db, lambda: clock).services
        pages = Pages(config.timezone, config.office.name)
        async with dashboard_site(services, settings, pages) as url:
            print(url, flush=True)
            await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)


def memory_mb(pid: int) -> dict[str, float]:
    """VmRSS and VmHWM (peak) of a process, in MB."""
    found = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            found[key] = int(value.split()[0]) / 1024
    return found


# -- the client and the baseline ---------------------------------------------------------------


async def sign_in(session: aiohttp.ClientSession, url: str, token: str) -> None:
    async with session.get(f"{url}/masuk/{token}") as answer:
        if answer.status != 200:
            raise SystemExit(f"the sign-in page answered {answer.status}")
    async with session.post(f"{url}/masuk/{token}", allow_redirects=False) as answer:
        if answer.status != 303:
            raise SystemExit(f"signing in answered {answer.status}")


async def time_page(
    session: aiohttp.ClientSession, url: str, path: str, repeats: int, status: int = 200
) -> tuple[list[float], int]:
    seconds = []
    size = 0
    for _ in range(repeats):
        started = time.perf_counter()
        async with session.get(f"{url}{path}", allow_redirects=False) as answer:
            body = await answer.read()
            if answer.status != status:
                raise SystemExit(f"{path} answered {answer.status}")
        seconds.append(time.perf_counter() - started)
        size = len(body)
    return seconds, size


def baselines(built: Built) -> dict[str, list[tuple[str, tuple[object, ...]]]]:
    """Per page, the plain SELECTs of the rows it reads (the same rows, no computing)."""
    people = [
        ("SELECT code, name, contact FROM coops WHERE retired_at IS NULL", ()),
        ("SELECT platform, user_id, coop_code, display_name FROM reps", ()),
    ]

    def round_rows(round_id: int) -> list[tuple[str, tuple[object, ...]]]:
        return [
            ("SELECT * FROM rounds WHERE id = ?", (round_id,)),
            ("SELECT * FROM round_items WHERE round_id = ?", (round_id,)),
            ("SELECT coop_code, product_code, quantity FROM commitments WHERE round_id = ?",
             (round_id,)),
            *people,
        ]  # fmt: skip

    # The reports read what each close summed up (migration 0020), with SQL sums and counts.
    summed_rounds = (
        "SELECT r.id, r.name, r.closed_at, s.coops_ordered, s.coops_kept FROM rounds r "
        "JOIN round_summaries s ON s.round_id = r.id WHERE r.status = 'closed'"
    )
    product_totals = "SELECT round_id, order_value, market_value FROM round_product_totals"
    changes = "SELECT * FROM bill_changes"
    spans = "SELECT coop_code, first_round, last_round FROM coop_order_spans"
    window = (
        "SELECT coop_code FROM round_coops WHERE round_id IN (SELECT id FROM rounds "
        "WHERE status = 'closed' ORDER BY closed_at DESC, id DESC LIMIT 4)"
    )
    prices = (
        "SELECT r.id, r.name, r.closed_at, i.product_code, i.name, i.unit, i.market_price, "
        "res.unit_price, res.total_allocated FROM rounds r JOIN round_items i "
        "ON i.round_id = r.id LEFT JOIN round_results res ON res.round_id = r.id "
        "AND res.product_code = i.product_code WHERE r.status = 'closed'"
    )
    supplies = [
        (f"SELECT * FROM {table}", ())
        for table in ("round_supplier_totals", "supplier_confirmations", "coop_receipts")
    ]
    bills = [
        (f"SELECT * FROM {table}", ()) for table in ("round_bill_totals", "payments", "rounds")
    ]
    return {
        "floor": [],
        "open": round_rows(built.open_id),
        "closed": round_rows(built.closed_ids[-1]),
        "rounds": [("SELECT * FROM rounds", ())],
        "savings": [(summed_rounds, ()), (product_totals, ()), (changes, ())],
        "coops": [("SELECT * FROM rounds", ()), (spans, ()), (window, ()), *people],
        "prices": [(prices, ())],
        "suppliers": [*supplies, (changes, ())],
        "payments": [*bills, (changes, ()), ("SELECT code, name FROM coops", ())],
    }


async def stall(session: aiohttp.ClientSession, url: str) -> float:
    """How long the open round's page takes when asked 0.1 s after the savings report: the
    bot and the dashboard share one database connection, so this is what a chat command
    waits too while someone opens the report."""

    async def later() -> float:
        await asyncio.sleep(0.1)
        seconds, _ = await time_page(session, url, "/", 1)
        return seconds[0]

    _, waited = await asyncio.gather(time_page(session, url, "/laporan/hemat", 1), later())
    return waited


async def time_select(
    db: Database, queries: list[tuple[str, tuple[object, ...]]], repeats: int
) -> tuple[float, int]:
    seconds = []
    rows = 0
    for _ in range(repeats):
        started = time.perf_counter()
        rows = 0
        async with db.read() as conn:
            for sql, params in queries:
                rows += len(await conn.fetch_all(sql, params))
        seconds.append(time.perf_counter() - started)
    return min(seconds), rows


async def measure(
    database: Path, built: Built, repeats: int
) -> tuple[list[PageTiming], dict[str, float]]:
    child = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bench.dashboard", "--serve", str(database),
        "--clock", built.clock.isoformat(),
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
    )  # fmt: skip
    assert child.stdin is not None and child.stdout is not None
    try:
        url = (await child.stdout.readline()).decode().strip()
        if not url.startswith("http://"):
            raise SystemExit("the dashboard did not start: the benchmark is broken")
        started_mb = memory_mb(child.pid)
        pages = {
            "floor": ("not found", "/putaran/999999999"),
            "open": ("open round", "/"),
            "closed": ("closed round", f"/putaran/{built.closed_ids[-1]}"),
            "rounds": ("rounds list", "/putaran"),
            "savings": ("savings report", "/laporan/hemat"),
            "coops": ("coops report", "/laporan/koperasi"),
            "prices": ("prices report", "/laporan/harga"),
            "suppliers": ("supplier report", "/laporan/pemasok"),
            "payments": ("payments report", "/laporan/pembayaran"),
        }
        queries = baselines(built)
        timings: list[PageTiming] = []
        floor = 0.0
        async with open_database(database) as db:
            link = await make_link(UseCaseContext(db, lambda: built.clock), *ADMIN)
            jar = aiohttp.CookieJar(unsafe=True)  # keep the cookie of an IP address
            timeout = aiohttp.ClientTimeout(total=600)
            async with aiohttp.ClientSession(cookie_jar=jar, timeout=timeout) as session:
                await sign_in(session, url, link.token)
                for key, (name, path) in pages.items():
                    status = 404 if key == "floor" else 200
                    seconds, size = await time_page(session, url, path, repeats, status)
                    select_best, rows = await time_select(db, queries[key], repeats)
                    if key == "floor":
                        floor = min(seconds)
                    timings.append(
                        PageTiming(name, path, size, min(seconds), statistics.median(seconds),
                                   select_best, rows, floor)
                    )  # fmt: skip
                memory = memory_mb(child.pid)
                stalled = await stall(session, url)
        memory["started"] = started_mb["VmRSS"]
        memory["stalled"] = stalled
    finally:
        child.stdin.close()
        await child.wait()
    return timings, memory


def verdicts(timings: list[PageTiming], memory: dict[str, float]) -> dict[str, bool]:
    """Each goal, met or not: the pages that read rows (the 404 page is the floor itself)."""
    pages = [t for t in timings if t.select_rows]
    return {
        "time": all(t.median <= MAX_SECONDS for t in pages),
        "ratio": all(t.ratio <= MAX_RATIO for t in pages),
        "rss": memory["VmHWM"] <= MAX_RSS_MB,
    }


def result(timings: list[PageTiming], memory: dict[str, float]) -> dict[str, object]:
    """The `RESULT` line's fields: the slowest page, the worst ratio and the server's peak."""
    pages = [t for t in timings if t.select_rows]
    slowest = max(pages, key=lambda t: t.median)
    worst = max(pages, key=lambda t: t.ratio)
    return {
        "bench": "dashboard",
        "figure": f"slowest page {slowest.name} {slowest.median:.3f} s median; worst "
        f"{worst.name} {worst.best:.3f} s vs {worst.baseline:.3f} s ({worst.ratio:.1f}x); "
        f"server peak RSS {memory['VmHWM']:.0f} MB",
        "baseline": "per page the best 404 answer plus a plain SELECT of its rows, same run",
        "goal": f"each page <= {MAX_SECONDS:g} s and <= {MAX_RATIO:g}x its baseline, "
        f"RSS <= {MAX_RSS_MB:g} MB",
        "met": all(verdicts(timings, memory).values()),
        "slowest_seconds": round(slowest.median, 3),
        "worst_ratio": round(worst.ratio, 2),
        "peak_rss_mb": round(memory["VmHWM"]),
    }


def report(timings: list[PageTiming], memory: dict[str, float]) -> bool:
    print("\nseconds; best and median of each page; baseline: the best 404 answer (signed in,"
          " reads nothing) + the best plain SELECT of the page's rows")  # fmt: skip
    print(f"{'page':<16} {'path':<20} {'kB':>6} {'best':>7} {'median':>7} "
          f"{'SELECT':>7} {'rows':>9} {'baseline':>9} {'page/base':>10}")  # fmt: skip
    for t in timings:
        print(
            f"{t.name:<16} {t.path:<20} {t.bytes / 1024:>6.0f} {t.best:>7.3f} {t.median:>7.3f} "
            f"{t.select_best:>7.3f} {t.select_rows:>9,} {t.baseline:>9.3f} {t.ratio:>9.1f}x"
        )
    print(f"the open round's page asked while the savings report loads: "
          f"{memory['stalled']:.3f} s")  # fmt: skip
    timings = [t for t in timings if t.select_rows]  # the 404 page is the floor itself
    print(f"server RSS: {memory['started']:.0f} MB after start, {memory['VmRSS']:.0f} MB at the "
          f"end, peak {memory['VmHWM']:.0f} MB")  # fmt: skip
    slowest = max(timings, key=lambda t: t.median)
    worst = max(timings, key=lambda t: t.ratio)
    checks = verdicts(timings, memory)
    print(f"slowest page: {slowest.name} {slowest.median:.3f} s median "
          f"(goal <= {MAX_SECONDS:g} s): {'ok' if checks['time'] else 'TOO SLOW'}")  # fmt: skip
    print(f"page/baseline: worst {worst.name} {worst.ratio:.1f}x "
          f"(goal <= {MAX_RATIO:g}x): {'ok' if checks['ratio'] else 'TOO SLOW'}")  # fmt: skip
    print(f"server peak RSS: {memory['VmHWM']:.0f} MB "
          f"(goal <= {MAX_RSS_MB:g} MB): {'ok' if checks['rss'] else 'TOO BIG'}")  # fmt: skip
    print("RESULT " + json.dumps(result(timings, memory)))
    return all(checks.values())


async def built_before(db: Database) -> Built:
    """What `build` made in a database kept by `--keep` (its shape as the flags then said)."""
    async with db.read() as conn:
        rows = await conn.fetch_all("SELECT id, status, opens_at FROM rounds ORDER BY id")
        [count] = await conn.fetch_all("SELECT COUNT(*) FROM commitments")
    [open_round] = [row for row in rows if row["status"] == "open"]
    closed = tuple(int(row["id"]) for row in rows if row["status"] == "closed")
    clock = from_db_time(open_round["opens_at"]) + timedelta(days=1)
    return Built(closed, int(open_round["id"]), clock, int(count[0]), 0.0)


async def prepare(database: Path, shape: Shape, rounds: int, reuse: bool) -> Built:
    if reuse:
        async with open_database(database) as db:
            built = await built_before(db)
        print(f"reusing {database}: {len(built.closed_ids)} closed rounds, "
              f"{built.commitments:,} commitments")  # fmt: skip
        return built
    print(f"shape: {shape.coops:,} coops x {rounds} closed rounds + 1 open, "
          f"{shape.lines_per_coop} of {shape.products} products per coop "
          "(9 in 10 coops order)")  # fmt: skip
    async with open_database(database) as db:
        built = await build(db, shape, rounds)
    print(f"built {built.commitments:,} commitments in {built.seconds:.0f} s "
          f"(every round closed by usecases.rounds.close_round; not measured)")  # fmt: skip
    return built


async def run(args: argparse.Namespace) -> bool:
    shape = Shape(coops=args.coops, lines_per_coop=args.lines)
    if args.keep is not None:
        built = await prepare(args.keep, shape, args.rounds, reuse=args.keep.exists())
        timings, memory = await measure(args.keep, built, args.repeats)
    else:
        with tempfile.TemporaryDirectory(prefix="belanja-bench-") as name:
            database = Path(name) / "dashboard.sqlite3"
            built = await prepare(database, shape, args.rounds, reuse=False)
            timings, memory = await measure(database, built, args.repeats)
    return report(timings, memory)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--coops", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=50, help="closed rounds (one a week)")
    parser.add_argument("--lines", type=int, default=5, help="products each coop orders")
    parser.add_argument("--repeats", type=int, default=5, help="requests of each page")
    parser.add_argument(
        "--keep", type=Path, help="build the database at this path, or reuse it if it exists"
    )
    parser.add_argument("--serve", type=Path, help=argparse.SUPPRESS)  # the child process
    parser.add_argument("--clock", type=datetime.fromisoformat, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve is not None:
        asyncio.run(serve(args.serve, args.clock))
        return 0
    return 0 if asyncio.run(run(args)) else 1


if __name__ == "__main__":
    sys.exit(main())
