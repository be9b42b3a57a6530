"""How long exporting a big closed round takes, against openpyxl's write-only mode.

    .venv/bin/python -m bench.export [--coops 1000] [--scale 10] [--repeats 2] [--no-office]

For `--coops` coops and then `--coops × --scale` coops, each ordering 30 of 300 products
(the round of `bench.close`, one treasurer per coop, with one audit row per line as the
chat writes it when each treasurer pastes their order in one message; closed as production
closes it), it measures in the same
run, each in a process of its own so that its peak RSS is its own:

- the export: what `belanja-bareng export ROUND` does after opening the database:
  `bot.exports.load_round_export` (the round, its outcome, bills and after-close steps read
  from SQLite; the audit log read while it is written), then the CSV files and the XLSX
  workbook (`RoundExport.files`), with the config's `[office]` as production always has
  it: a print-ready sheet per purchase order, and per bill up to
  `spreadsheets.party_sheets.MAX_BILL_SHEETS` coops (`--no-office`: without them). The
  per-bill PDFs `belanja-bareng export` writes after these files are not measured;
- the baseline: the data sheets' cells (`spreadsheets.sheets.round_sheets`, built in lists
  before the clock starts) appended to a workbook in openpyxl's write-only mode and saved:
  the fastest way openpyxl writes those cells, without styles, column widths, print sheets
  or CSVs.

Each time is the best of `--repeats` runs. Goals (issue 14, goal 1): the export ≤ 3 × the
baseline, peak RSS of the export ≤ 200 MB, the export's time growing ≤ 11 × for 10 × the
coops, and the CSVs done before the workbook is written (the time shown under "CSVs done").
Generating and closing the round is not measured. The last line, `RESULT {json}`, gives
the figures and the verdict for `bench.all`'s table.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from openpyxl import Workbook

from bench.close import DEADLINE, Shape, seed
from bot.config import OfficeConfig
from bot.exports import load_round_export, sheet_words
from spreadsheets.sheets import round_sheets
from storage.database import open_database
from usecases.context import UseCaseContext
from usecases.rounds import close_round

MAX_RATIO = 3.0
MAX_RSS_MB = 200.0


@dataclass(frozen=True, slots=True)
class Figures:
    coops: int
    export_seconds: float
    csv_seconds: float
    csvs_first: bool  # in every run the last CSV was written before the workbook
    export_rss_mb: float
    baseline_seconds: float
    cells: int

    @property
    def ratio(self) -> float:
        return self.export_seconds / self.baseline_seconds


async def make_round(path: Path, coops: int) -> int:
    """A closed round of `coops` coops in a new database at `path`, one audit row per
    commitment (its first order, each coop's lines pasted in one message, so one message id
    per coop); returns its id."""
    async with open_database(path) as db:
        round_id = await seed(db, Shape(coops))
        await db.execute(
            "INSERT INTO commitment_audit (round_id, coop_code, product_code, old_quantity, "
            "new_quantity, actor, via, message_id, at) SELECT round_id, coop_code, "
            "product_code, 0, quantity, actor, actor, 'm-' || coop_code, created_at "
            "FROM commitments WHERE round_id = ?",
            (round_id,),
        )
        after = DEADLINE + timedelta(minutes=1)
        if await close_round(UseCaseContext(db, lambda: after), round_id) is None:
            raise SystemExit("the round did not close: the benchmark is broken")
    return round_id


async def export_once(path: Path, round_id: int, out: Path, office: bool) -> dict[str, float]:
    """`belanja-bareng export`'s code: load, then `RoundExport.files` (CSVs, workbook)."""
    started, wall = time.perf_counter(), time.time()
    async with open_database(path) as db:
        export = await load_round_export(db, round_id)
    files = export.files(out, office=OfficeConfig() if office else None)
    seconds = time.perf_counter() - started
    csvs_done = max(p.stat().st_mtime for p in files if p.suffix == ".csv") - wall
    workbook_done = min(p.stat().st_mtime for p in files if p.suffix == ".xlsx") - wall
    return {"seconds": seconds, "csv_seconds": csvs_done, "workbook_seconds": workbook_done}


async def baseline_once(path: Path, round_id: int, out: Path) -> dict[str, float]:
    async with open_database(path) as db:
        export = await load_round_export(db, round_id)
    sheets = round_sheets(export.outcome, export.round, export.audit, export.coops,
                          export.bills, export.steps, export.progress, export.local,
                          words=sheet_words("id"))  # fmt: skip
    rows = [(sheet.title, [[getattr(c, "amount", c) for c in row] for row in sheet.rows])
            for sheet in sheets]  # fmt: skip
    started = time.perf_counter()
    workbook = Workbook(write_only=True)
    for title, cells in rows:
        worksheet = workbook.create_sheet(title)
        for row in cells:
            worksheet.append(row)
    workbook.save(out / "write-only.xlsx")
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "cells": float(sum(len(row) for _, c in rows for row in c))}


def peak_rss_mb() -> float:
    """This process's peak RSS since it started its program: `VmHWM` (`ru_maxrss` also
    counts the parent's peak before the exec, a parent that has just built the round)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(args: argparse.Namespace) -> None:
    """One measurement in this process; prints its figures and peak RSS as JSON."""
    path, out = Path(args.db), Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    if args.child == "export":
        figures = asyncio.run(export_once(path, args.round, out, args.office))
    else:
        figures = asyncio.run(baseline_once(path, args.round, out))
    figures["rss_mb"] = peak_rss_mb()
    print(json.dumps(figures))


def run_child(kind: str, db: Path, round_id: int, out: Path, office: bool) -> dict[str, float]:
    command = [sys.executable, "-m", "bench.export", "--child", kind, "--db", str(db),
               "--round", str(round_id), "--out", str(out)]  # fmt: skip
    if not office:
        command.append("--no-office")
    done = subprocess.run(command, check=True, capture_output=True, text=True)
    figures: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


def measure(coops: int, directory: Path, repeats: int, office: bool) -> Figures:
    db = directory / f"export-{coops}.sqlite3"
    round_id = asyncio.run(make_round(db, coops))
    exports = [run_child("export", db, round_id, directory / f"x{n}", office)
               for n in range(repeats)]  # fmt: skip
    baselines = [run_child("baseline", db, round_id, directory / f"b{n}", office)
                 for n in range(repeats)]  # fmt: skip
    best = min(exports, key=lambda figures: figures["seconds"])
    return Figures(
        coops=coops,
        export_seconds=best["seconds"],
        csv_seconds=min(figures["csv_seconds"] for figures in exports),
        csvs_first=all(f["csv_seconds"] <= f["workbook_seconds"] for f in exports),
        export_rss_mb=max(figures["rss_mb"] for figures in exports),
        baseline_seconds=min(figures["seconds"] for figures in baselines),
        cells=int(baselines[0]["cells"]),
    )


def growth(figures: list[Figures]) -> float:
    """How many times longer the biggest round's export took than the smallest's."""
    return figures[-1].export_seconds / figures[0].export_seconds


def verdicts(figures: list[Figures], scale: int) -> dict[str, bool]:
    """Each of goal 1's conditions, met or not, over every size measured."""
    return {
        "ratio": all(f.ratio <= MAX_RATIO for f in figures),
        "rss": all(f.export_rss_mb <= MAX_RSS_MB for f in figures),
        "growth": growth(figures) <= 1.1 * scale,
        "csvs_first": all(f.csvs_first for f in figures),
    }


def result(figures: list[Figures], scale: int) -> dict[str, object]:
    """The `RESULT` line's fields: the figures against issue 14's goal 1."""
    sizes = ", ".join(
        f"{f.coops:,} coops {f.export_seconds:.2f} s vs {f.baseline_seconds:.2f} s ({f.ratio:.1f}x)"
        for f in figures
    )
    peak = max(f.export_rss_mb for f in figures)
    csvs = max(f.csv_seconds for f in figures)
    checks = verdicts(figures, scale)
    return {
        "bench": "export",
        "figure": f"{sizes}; growth {growth(figures):.1f}x for {scale:g}x the coops; "
        f"peak RSS {peak:.0f} MB; CSVs done after {csvs:.2f} s"
        f"{'' if checks['csvs_first'] else ' (after the workbook)'}",
        "baseline": "the data sheets' cells written with openpyxl's write-only mode, same run",
        "goal": f"ratio <= {MAX_RATIO:g}, growth <= {1.1 * scale:g}x, RSS <= {MAX_RSS_MB:g} MB, "
        "CSVs before the workbook",
        "met": all(checks.values()),
        "worst_ratio": round(max(f.ratio for f in figures), 2),
        "growth": round(growth(figures), 2),
        "peak_rss_mb": round(peak),
    }


def report(figures: list[Figures], scale: int) -> bool:
    print("best of each; seconds; RSS is the export process's peak; CSVs done: seconds from")
    print("the start of the export until the last CSV file was written (before the workbook)")
    print(f"{'coops':>7} {'cells':>9} {'write-only':>11} {'export':>8} {'CSVs done':>10} "
          f"{'export/write-only':>18} {'RSS MB':>7}")  # fmt: skip
    for f in figures:
        print(f"{f.coops:>7} {f.cells:>9} {f.baseline_seconds:>11.2f} {f.export_seconds:>8.2f} "
              f"{f.csv_seconds:>10.2f} {f.ratio:>17.1f}x {f.export_rss_mb:>7.0f}")  # fmt: skip
    checks = verdicts(figures, scale)
    print(f"export/write-only: worst {max(f.ratio for f in figures):.1f}x "
          f"(goal <= {MAX_RATIO:g}x): {'ok' if checks['ratio'] else 'TOO SLOW'}")  # fmt: skip
    print(f"peak RSS: {max(f.export_rss_mb for f in figures):.0f} MB "
          f"(goal <= {MAX_RSS_MB:g} MB): {'ok' if checks['rss'] else 'TOO BIG'}")  # fmt: skip
    print(f"export time growth for {scale:g}x the coops: {growth(figures):.1f}x "
          f"(goal <= {1.1 * scale:g}x): {'ok' if checks['growth'] else 'TOO SLOW'}")  # fmt: skip
    print(f"CSVs written before the workbook: {'ok' if checks['csvs_first'] else 'NO'}")
    print("RESULT " + json.dumps(result(figures, scale)))
    return all(checks.values())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--coops", type=int, default=1000, help="coops in the smaller round")
    parser.add_argument("--scale", type=int, default=10, help="how many times more coops next")
    parser.add_argument("--repeats", type=int, default=2, help="runs of each, best counts")
    parser.add_argument(
        "--office", action="store_true", default=True, help="with the print-ready sheets "
        "(the default: `belanja-bareng export` always has an [office])"
    )  # fmt: skip
    parser.add_argument("--no-office", dest="office", action="store_false", help="without them")
    parser.add_argument("--child", choices=("export", "baseline"), help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    parser.add_argument("--round", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args)
        return 0
    with tempfile.TemporaryDirectory(prefix="belanja-bench-") as name:
        directory = Path(name)
        sizes = (args.coops, args.coops * args.scale)
        figures = [measure(size, directory, args.repeats, args.office) for size in sizes]
    return 0 if report(figures, args.scale) else 1


if __name__ == "__main__":
    sys.exit(main())
