"""The benchmarks tell `bench.all` their figures in a last line `RESULT {json}`: the bench,
the figure, the baseline it is held against, the goal and whether it is met, computed from
what was measured. The export, dashboard, order sheet, order match, growth and updates
benches run here at tiny sizes (seconds each; the close and delivery benches take minutes); the
export's and the dashboard's summaries are also judged on made-up figures that miss a goal.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace

import pytest

from bench import dashboard, export
from bench.all import BENCHES, Outcome, parsed

KEYS = {"bench", "figure", "baseline", "goal", "met"}


def run_bench(name: str, *flags: str) -> tuple[int, str]:
    done = subprocess.run(
        [sys.executable, "-m", f"bench.{name}", *flags],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    return done.returncode, done.stdout


def outcome_of(name: str, output: str) -> Outcome:
    [bench] = [bench for bench in BENCHES if bench.name == name]
    found = parsed(bench, 1.0, output)
    assert found is not None, output
    return found


def result_line(output: str) -> str:
    """The one `RESULT` line, after checking it has every key `bench.all` reads."""
    [line] = [line for line in output.splitlines() if line.startswith("RESULT ")]
    assert json.loads(line.removeprefix("RESULT ")).keys() >= KEYS, line
    return line


def test_a_tiny_export_ends_with_its_result_for_the_side_by_side_table() -> None:
    code, output = run_bench("export", "--coops", "5", "--scale", "2", "--repeats", "1")

    line = result_line(output)
    assert output.rstrip().endswith(line)
    outcome = outcome_of("export", output)
    assert outcome.met is (code == 0)  # the verdict is the one the bench exits with
    assert "5 coops" in outcome.figure and "10 coops" in outcome.figure
    assert "write-only" in outcome.baseline
    assert "ratio <= 3" in outcome.goal and "RSS <= 200 MB" in outcome.goal
    assert "growth <= 2.2x" in outcome.goal  # 1.1 x the --scale
    assert outcome.row.startswith("| 14.1 export: ratio <= 3")


def test_a_tiny_dashboard_ends_with_its_result_for_the_side_by_side_table() -> None:
    flags = ("--coops", "100", "--rounds", "2", "--lines", "2", "--repeats", "1")
    code, output = run_bench("dashboard", *flags)

    line = result_line(output)
    assert output.rstrip().endswith(line)
    outcome = outcome_of("dashboard", output)
    assert outcome.met is (code == 0)
    assert "slowest page" in outcome.figure and "peak RSS" in outcome.figure
    assert "404" in outcome.baseline
    assert outcome.goal == "each page <= 1 s and <= 10x its baseline, RSS <= 512 MB"


@pytest.mark.parametrize(
    ("name", "flags"),
    [
        ("order_sheet", ("--coops", "20", "--scale", "2", "--repeats", "1")),
        ("order_match", ("--products", "100", "--lines", "100", "--repeats", "1")),
        ("growth", ("--coops", "20", "--rounds", "2")),
    ],
)
def test_the_small_benches_end_with_their_result_too(name: str, flags: tuple[str, ...]) -> None:
    code, output = run_bench(name, *flags)

    told = json.loads(result_line(output).removeprefix("RESULT "))
    assert told.keys() >= KEYS and told["bench"] == name
    outcome = outcome_of(name, output)
    assert outcome.met is told["met"]
    assert code == (1 if told["met"] is False else 0)  # nothing to meet (growth): exit 0


def test_a_tiny_updates_bench_measures_ours_the_echo_and_ours_without_its_work() -> None:
    sizes = ("--users", "4", "--orders", "2", "--delay-ms", "0", "--pairs", "1")
    echo = ("--echo-concurrency", "8", "--echo-pool", "8", "--echo-lanes", "8", "--finalists", "1")
    code, output = run_bench("updates", *sizes, *echo)

    assert code == 0, output
    told = json.loads(result_line(output).removeprefix("RESULT "))
    assert told["bench"] == "updates" and told["met"] is (told["ratio_0ms"] >= 0.8)
    assert told["ceiling_ratio_0ms"] > 0
    [pair] = [line for line in output.splitlines() if line.startswith("pair 1:")]
    assert " of 8)" not in pair  # ours and the echo got every reply (the replayed run must)
    assert "coops whose orders were taken: 4 of 4" in output


def export_figures(coops: int, seconds: float, baseline: float) -> export.Figures:
    csvs = seconds / 10
    return export.Figures(coops, seconds, csvs, True, 100.0, baseline, coops * 30)


def test_the_export_misses_its_goal_when_any_one_condition_fails() -> None:
    fine = [export_figures(1000, 18.0, 9.0), export_figures(10_000, 190.0, 100.0)]
    assert export.result(fine, 10)["met"] is True

    slow = [fine[0], export_figures(10_000, 310.0, 100.0)]  # 3.1x the write-only mode
    fat = [fine[0], replace(fine[1], export_rss_mb=201.0)]
    squared = [fine[0], export_figures(10_000, 200.0, 100.0)]  # grew 11.1x for 10x
    csvs_late = [fine[0], replace(fine[1], csvs_first=False)]
    for missed in (slow, fat, squared, csvs_late):
        assert export.result(missed, 10)["met"] is False

    told = export.result(csvs_late, 10)
    assert "(after the workbook)" in str(told["figure"])
    assert told["goal"] == "ratio <= 3, growth <= 11x, RSS <= 200 MB, CSVs before the workbook"


def page(name: str, median: float, select: float, rows: int = 10) -> dashboard.PageTiming:
    return dashboard.PageTiming(name, f"/{name}", 1000, median, median, select, rows, 0.01)


def test_the_dashboard_misses_its_goal_on_a_slow_page_a_far_ratio_or_a_big_server() -> None:
    floor = page("not found", 0.01, 0.0, rows=0)  # the 404 page is the baseline's floor
    pages = [floor, page("open round", 0.2, 0.1), page("payments", 0.5, 0.5)]
    memory = {"VmHWM": 180.0}
    told = dashboard.result(pages, memory)
    assert told["met"] is True
    assert "slowest page payments 0.500 s" in str(told["figure"])

    assert dashboard.result([*pages, page("coops", 1.2, 1.0)], memory)["met"] is False
    assert dashboard.result([*pages, page("prices", 0.5, 0.03)], memory)["met"] is False
    assert dashboard.result(pages, {"VmHWM": 600.0})["met"] is False


def test_a_bench_without_a_result_line_gives_no_outcome() -> None:
    [bench] = [bench for bench in BENCHES if bench.name == "growth"]
    assert parsed(bench, 3.0, "ratio 2.0x (goal <= 3x): ok\n") is None

    told = parsed(bench, 3.0, 'noise\nRESULT {"bench": "growth", "figure": "27 kB", "met": null}\n')
    assert told is not None and told.met is None
    assert told.row == "| 14.6 growth | 27 kB |  | - |"
