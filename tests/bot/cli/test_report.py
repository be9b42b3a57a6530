"""The Dinas's reports across closed rounds on the command line, with the example JUK data:
three rounds closed (December 2026, twice in January 2027), then `report savings` and
`report coops`, the figures worked out by hand from examples/produk.csv."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from purchasing.model import Rep
from storage.database import open_database
from storage.people.reps import add_rep
from tests.support.fixtures.cli import Cli


@pytest.fixture
def cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Cli:
    return Cli(tmp_path, capsys)


def _round(cli: Cli, name: str, opens: str, closes: str, products: str) -> None:
    cli.ok("round", "create", "--name", name, "--opens", opens, "--closes", closes,
           "--products", products, "--open-now")  # fmt: skip


def _three_closed_rounds(cli: Cli) -> None:
    """Round 1, closed Tue 1 Dec 2026 10.00 WIB:
    BRS-SPHP50 (market 675.000) DT 20 + KKPITB 20 + KOPERTIS4 15 = 55 → tier 50, 630.000;
    IDM-GRG (market 132.000) DT 12 → 122.000; GLP-50 KKPITB 3 misses its MOQ of 5.
    order 55×630.000 + 12×122.000 = 34.650.000 + 1.464.000 = 36.114.000
    market 55×675.000 + 12×132.000 = 37.125.000 + 1.584.000 = 38.709.000
    saving 2.595.000 = 6,70..% → 6,7 %; 3 of 20 coops ordered.

    Round 2, closed Mon 4 Jan 2027 10.00 WIB: IDM-GRG DT 30 + FATHULHUDA 10 = 40 → 119.000.
    order 40×119.000 = 4.760.000, market 40×132.000 = 5.280.000,
    saving 520.000 = 9,84..% → 9,8 %; 2 of 20.

    Round 3, closed Mon 18 Jan 2027 10.00 WIB: IDM-GRG KKPITB 5 + ATTAQWA 5 = 10 → 122.000.
    order 1.220.000, market 1.320.000, saving 100.000 = 7,57..% → 7,6 %; 2 of 20.
    """
    cli.prepared()
    _round(cli, "Belanja Bareng Desember", "2026-12-01 08:00", "2026-12-05 17:00",
           "BRS-SPHP50,GLP-50,IDM-GRG")  # fmt: skip
    for coop, product, quantity in [
        ("DT", "BRS-SPHP50", "20"),
        ("KKPITB", "BRS-SPHP50", "20"),
        ("KOPERTIS4", "BRS-SPHP50", "15"),
        ("DT", "IDM-GRG", "12"),
        ("KKPITB", "GLP-50", "3"),
    ]:
        cli.ok("order", "1", coop, product, quantity)
    cli.now += timedelta(hours=2)
    cli.ok("round", "close", "1")

    cli.now = datetime(2027, 1, 4, 1, 0, tzinfo=UTC)  # Mon 4 Jan 2027 08.00 WIB
    _round(cli, "Belanja Bareng Januari", "2027-01-04 08:00", "2027-01-08 17:00", "IDM-GRG")
    cli.ok("order", "2", "DT", "IDM-GRG", "30")
    cli.ok("order", "2", "FATHULHUDA", "IDM-GRG", "10")
    cli.now += timedelta(hours=2)
    cli.ok("round", "close", "2")

    cli.now = datetime(2027, 1, 18, 1, 0, tzinfo=UTC)  # Mon 18 Jan 2027 08.00 WIB
    _round(cli, "Tambahan Januari", "2027-01-18 08:00", "2027-01-22 17:00", "IDM-GRG")
    cli.ok("order", "3", "KKPITB", "IDM-GRG", "5")
    cli.ok("order", "3", "ATTAQWA", "IDM-GRG", "5")
    cli.now += timedelta(hours=2)
    cli.ok("round", "close", "3")


def test_staff_see_the_savings_per_round_per_month_and_in_total(cli: Cli) -> None:
    _three_closed_rounds(cli)
    # A fourth round still open counts nowhere.
    _round(cli, "Februari", "2027-01-18 10:00", "2027-02-05 17:00", "IDM-GRG")
    cli.ok("order", "4", "DT", "IDM-GRG", "100")

    report = cli.ok("report", "savings")

    assert "Penghematan per putaran (3 putaran ditutup):" in report
    assert "- #1  Belanja Bareng Desember  tutup Selasa, 1 Des 2026\n" in report
    assert (
        "  pesanan Rp 36.114.000, harga pasar Rp 38.709.000, hemat Rp 2.595.000 (6,7%); "
        "memesan 3 dari 20 koperasi\n"
    ) in report
    assert "- #2  Belanja Bareng Januari  tutup Senin, 4 Jan 2027\n" in report
    assert "hemat Rp 520.000 (9,8%); memesan 2 dari 20 koperasi" in report
    assert "hemat Rp 100.000 (7,6%); memesan 2 dari 20 koperasi" in report
    # December: round 1 alone. January: 4.760.000 + 1.220.000 = 5.980.000 ordered,
    # 5.280.000 + 1.320.000 = 6.600.000 market, 620.000 saved = 9,39..% → 9,4 %.
    assert (
        "- Desember 2026 (1 putaran): pesanan Rp 36.114.000, harga pasar Rp 38.709.000, "
        "hemat Rp 2.595.000 (6,7%)\n"
    ) in report
    assert (
        "- Januari 2027 (2 putaran): pesanan Rp 5.980.000, harga pasar Rp 6.600.000, "
        "hemat Rp 620.000 (9,4%)\n"
    ) in report
    # Total: 36.114.000 + 5.980.000 = 42.094.000 ordered, 38.709.000 + 6.600.000 =
    # 45.309.000 market, 3.215.000 saved = 7,09..% → 7,1 %.
    assert report.endswith(
        "Total: pesanan Rp 42.094.000, harga pasar Rp 45.309.000, hemat Rp 3.215.000 (7,1%)\n"
    )

    english = cli.ok("--lang", "en", "report", "savings")
    assert "- January 2027 (2 rounds): order Rp 5.980.000" in english
    assert "saved Rp 3.215.000 (7.1%)" in english


def test_staff_see_which_coops_order_rarely_or_no_longer(cli: Cli) -> None:
    _three_closed_rounds(cli)
    asyncio.run(_add_rep(cli.database, Rep("telegram", "555", "DT", display_name="Rina")))

    # Last 4 (only 3 closed): DT ordered in 1 and 2, KKPITB in 1 and 3 (2 of 3: rutin);
    # KOPERTIS4 in 1, FATHULHUDA in 2 (1 of 3: jarang); ATTAQWA first in 3 (baru).
    report = cli.ok("report", "coops")
    assert "Keaktifan koperasi di 3 putaran ditutup terakhir (#3, #2, #1):" in report
    sections = _sections(report)
    assert [code for code, _ in sections["baru"]] == ["ATTAQWA"]
    assert [code for code, _ in sections["rutin"]] == ["DT", "KKPITB"]
    assert [code for code, _ in sections["jarang"]] == ["FATHULHUDA", "KOPERTIS4"]
    assert "berhenti" not in sections
    assert len(sections["belum pernah"]) == 15
    dt = dict(sections["rutin"])["DT"]
    assert "memesan di 2 dari 3 putaran; pertama #1 (Selasa, 1 Des 2026), " in dt
    assert "terakhir #2 (Senin, 4 Jan 2027)" in dt
    assert "pengurus: Rina (telegram:555); kontak 0812-0000-0101" in dt

    # Last 2 (rounds 3 and 2): KOPERTIS4 ordered only in round 1, so it stopped.
    lapsed = _sections(cli.ok("report", "coops", "--lapsed", "2"))
    assert [code for code, _ in lapsed["berhenti"]] == ["KOPERTIS4"]
    assert [code for code, _ in lapsed["rutin"]] == ["DT", "FATHULHUDA", "KKPITB"]
    assert "jarang" not in lapsed

    english = cli.ok("--lang", "en", "report", "coops", "--lapsed", "2")
    assert "[lapsed]\n- KOPERTIS4  " in english
    assert "ordered in 0 of 2 rounds; first #1 (Tue, 1 Dec 2026)" in english


def test_reports_before_any_round_closed_say_so(cli: Cli) -> None:
    cli.prepared()
    assert "Belum ada putaran yang ditutup" in cli.ok("report", "savings")
    coops = cli.ok("report", "coops")
    assert "Belum ada putaran yang ditutup" in coops
    assert len(_sections(coops)["belum pernah"]) == 20


def test_a_window_below_one_round_is_refused(cli: Cli) -> None:
    cli.prepared()
    run = cli("report", "coops", "--lapsed", "0")
    assert run.code == 2 and "must be 1 or more" in run.err


def _sections(report: str) -> dict[str, list[tuple[str, str]]]:
    """{status word: [(coop code, its two lines)]} of a printed coops report."""
    sections: dict[str, list[tuple[str, str]]] = {}
    current: list[tuple[str, str]] = []
    for line in report.splitlines():
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], [])
        elif line.startswith("- "):
            current.append((line[2:].split()[0], line))
        elif line.startswith("  ") and current:
            code, text = current[-1]
            current[-1] = (code, f"{text}\n{line}")
    return sections


async def _add_rep(database: Path, rep: Rep) -> None:
    async with open_database(database) as db:
        await add_rep(db, rep, datetime(2026, 12, 1, tzinfo=UTC))
