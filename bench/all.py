"""Every benchmark of issue 14 (and the dashboard's), one after another, in one table.

Each bench runs in its own process by its documented command (`--quick`: modest sizes that
finish in minutes, for a first look, not for the README's figures), its whole output kept
in `--logs`. The table shows, per goal, the figure, the baseline it is measured against and
whether the goal is met. Every bench tells its figures in a line `RESULT {json}` (keys
`bench`, `figure`, `baseline`, `goal`, `met`: true, false, or null when there is nothing to
meet); a bench that prints none failed, and its row says so and where its output is.

    .venv/bin/python -m bench.all [--quick] [--only updates,broadcast] [--logs DIR]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Bench:
    name: str  # the module under bench/
    goal: str
    full: tuple[str, ...]  # the README's command
    quick: tuple[str, ...]


BENCHES = (
    Bench(
        "export",
        "14.1 export",
        ("--coops", "1000", "--scale", "10", "--repeats", "1"),
        ("--coops", "100", "--scale", "2", "--repeats", "1"),
    ),
    Bench(
        "close",
        "14.2 close",
        ("--repeats", "2"),
        ("--coops", "300", "--scale", "3", "--repeats", "1"),
    ),
    Bench(
        "close_live",
        "14.2 close, the bot answering",
        ("--coops", "10000", "--treasurers", "50"),
        ("--coops", "1000", "--treasurers", "10"),
    ),
    Bench(
        "updates",
        "14.3 updates",
        ("--users", "200", "--orders", "5"),
        ("--users", "50", "--orders", "4", "--pairs", "1", "--budget", "3"),
    ),
    Bench(
        "replies",
        "14.4 replies",
        ("--users", "200", "--orders", "5"),
        ("--users", "50", "--orders", "3", "--long-lines", "50"),
    ),
    Bench(
        "broadcast",
        "14.5 broadcast",
        (),
        ("--chats", "200", "--messages", "3", "--groups", "3", "--group-messages", "10"),
    ),
    Bench(
        "growth",
        "14.6 growth",
        ("--coops", "1000", "--rounds", "8"),
        ("--coops", "100", "--rounds", "6"),
    ),
    Bench(
        "order_sheet",
        "14.8 order sheet",
        ("--coops", "1000", "--lines", "30", "--scale", "10", "--repeats", "1"),
        ("--coops", "200", "--scale", "2", "--repeats", "1"),
    ),
    Bench(
        "order_match",
        "order lines",
        ("--products", "1000", "--lines", "1000"),
        ("--products", "1000", "--lines", "1000", "--repeats", "3"),
    ),
    Bench(
        "dashboard",
        "13 dashboard",
        (),
        ("--coops", "500", "--rounds", "4", "--repeats", "2"),
    ),
)
QUICK_TIMEOUT = 900.0  # seconds a bench may take under --quick


@dataclass(frozen=True)
class Outcome:
    bench: Bench
    seconds: float
    figure: str
    baseline: str
    met: bool | None  # None: nothing to meet, or the bench failed
    goal: str = ""  # the goal as the bench states it

    @property
    def row(self) -> str:
        """The outcome's row of the table."""
        goal = f"{self.bench.goal}: {self.goal}" if self.goal else self.bench.goal
        met = {True: "met", False: "NOT met", None: "-"}[self.met]
        return f"| {goal} | {self.figure} | {self.baseline} | {met} |"


def run(bench: Bench, quick: bool, logs: Path) -> Outcome:
    command = [sys.executable, "-m", f"bench.{bench.name}", *(bench.quick if quick else bench.full)]
    print(f"running {' '.join(command[1:])} ...", flush=True)
    started = time.perf_counter()
    log = logs / f"{bench.name}.log"
    try:
        done = subprocess.run(
            command,
            capture_output=True,
            text=True,
            check=False,
            timeout=QUICK_TIMEOUT if quick else None,
        )
    except subprocess.TimeoutExpired as stopped:
        seconds = time.perf_counter() - started
        output = stopped.stdout or ""  # bytes, whatever `text` says
        text = output.decode(errors="replace") if isinstance(output, bytes) else output
        log.write_text(f"$ {' '.join(command)}\n{text}\n--- stopped after {seconds:.0f} s ---")
        print(f"  stopped after {seconds:.0f} s", flush=True)
        return Outcome(bench, seconds, f"stopped after {seconds:.0f} s, see {log}", "", None)
    seconds = time.perf_counter() - started
    log.write_text(f"$ {' '.join(command)}\n{done.stdout}\n--- stderr ---\n{done.stderr}")
    found = parsed(bench, seconds, done.stdout)
    why = f"failed (exit {done.returncode}, no RESULT line), see {log}"
    outcome = found if found is not None else Outcome(bench, seconds, why, "", None)
    print(f"  {seconds:.0f} s: {outcome.figure}", flush=True)
    return outcome


def parsed(bench: Bench, seconds: float, output: str) -> Outcome | None:
    """The outcome the bench's last `RESULT {json}` line tells; None without one."""
    for line in reversed(output.splitlines()):
        if line.startswith("RESULT "):
            result = json.loads(line.removeprefix("RESULT "))
            met = result.get("met")
            return Outcome(
                bench,
                seconds,
                str(result.get("figure", "")),
                str(result.get("baseline", "")),
                met if isinstance(met, bool) else None,
                str(result.get("goal", "")),
            )
    return None


def print_table(outcomes: list[Outcome], quick: bool) -> None:
    sizes = "--quick sizes: NOT the README's figures" if quick else "the README's commands"
    print(f"\n== issue 14's benchmarks side by side ({sizes}) ==")
    print("| goal | figure | baseline | met |")
    print("| --- | --- | --- | --- |")
    for outcome in outcomes:
        print(outcome.row)
    total = sum(outcome.seconds for outcome in outcomes)
    print(f"({len(outcomes)} benches in {total / 60:.1f} min)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="modest sizes: minutes, not hours")
    parser.add_argument("--only", help="these benches only, e.g. updates,broadcast")
    parser.add_argument("--logs", type=Path, help="keep each bench's output here")
    args = parser.parse_args()
    chosen = set(args.only.split(",")) if args.only else {bench.name for bench in BENCHES}
    unknown = chosen - {bench.name for bench in BENCHES}
    if unknown:
        parser.error(f"no such bench: {', '.join(sorted(unknown))}")
    logs = args.logs or Path(tempfile.mkdtemp(prefix="belanja-bench-logs-"))
    logs.mkdir(parents=True, exist_ok=True)
    print(f"each bench's output: {logs}")
    outcomes = [run(bench, args.quick, logs) for bench in BENCHES if bench.name in chosen]
    print_table(outcomes, args.quick)
    return 0 if all(outcome.met is not False for outcome in outcomes) else 1


if __name__ == "__main__":
    sys.exit(main())
