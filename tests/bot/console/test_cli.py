"""`belanja-bareng demo` from the command line: the example script runs a whole round, from
the first look at the catalog to the last bill paid."""

from __future__ import annotations

import asyncio
import io
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.cli import main
from purchasing.model import RoundStatus
from purchasing.settlement import AfterClose, BillDue, SettlementProgress
from storage import payments, rounds
from storage.commitment_reads import commitments_for_round
from storage.database import open_database
from storage.supply import settlement_progress
from tests.support import EXAMPLES

SCRIPT = EXAMPLES / "demo-script.txt"
NOW = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)


def demo(monkeypatch: pytest.MonkeyPatch, stdin: str, *argv: str) -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    return main(["demo", *argv], environ={}, now=lambda: NOW)


def test_the_example_script_runs_a_whole_round_from_the_catalog_to_settled(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    database = tmp_path / "demo.sqlite3"

    code = demo(monkeypatch, SCRIPT.read_text(encoding="utf-8"), "--database", str(database))

    captured = capsys.readouterr()
    assert (code, captured.err) == (0, "")
    assert "Bu Sari> :keluar" in captured.out
    status, ordered = asyncio.run(round_and_orders(database))
    assert status is RoundStatus.CLOSED
    assert {("DT", "BRS-SPHP50"), ("KKPITB", "GLP-50")} <= ordered
    workbook = tmp_path / "exports" / "putaran-1.xlsx"  # attached to the admin's overview
    assert workbook.exists() and str(workbook) in captured.out
    progress, bills = asyncio.run(after_the_close(database))
    assert progress.stage is AfterClose.SETTLED
    assert (progress.suppliers_confirmed, progress.coops_received) == (2, 2)
    # Bulog shipped 25 of 28 sacks of rice (DT 18 → 16, KKPITB 10 → 9), and one of KKPITB's
    # 9 did not arrive: each bill is what arrived, and each is paid in full.
    assert {bill.coop_code: (bill.total, bill.paid) for bill in bills} == {
        # DT's list by names: GLP-1, IDM-GRG, IDM-SOTO, SPM-AB, BMOLI-2L, SGB-1KG, IDF-KCP,
        # IDMLK-SKM, BRS-PRM50 (16,114,000 for the last seven; MKITA-1L 25 is over the coop
        # maximum and refused)
        "DT": (16 * 640_000 + 30 * 342_000 + 40 * 119_000 + 16_114_000,) * 2,
        "KKPITB": (8 * 640_000 + 6 * 870_000,) * 2,
    }
    # the two transfers and the torn sack, each kept by its hash
    assert len(list((tmp_path / "bukti").iterdir())) == 3
    assert "Setelah ditutup: lunas." in captured.out


async def after_the_close(database: Path) -> tuple[SettlementProgress, list[BillDue]]:
    async with open_database(database) as db:
        return await settlement_progress(db, 1), await payments.bills_due(db, 1)


async def round_and_orders(database: Path) -> tuple[RoundStatus | None, set[tuple[str, str]]]:
    async with open_database(database) as db:
        round_ = await rounds.get_round(db, 1)
        ordered = {(c.coop_code, c.product_code) for c in await commitments_for_round(db, 1)}
    return (None if round_ is None else round_.status), ordered


def test_without_a_database_option_the_demo_cleans_up_after_itself(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code = demo(monkeypatch, ":jadi 2\n/katalog\n1\n")

    captured = capsys.readouterr()
    assert (code, captured.err) == (0, "")
    assert "Bu Rina> 1\n" in captured.out
    assert "--database" in captured.out.splitlines()[-1]


def test_an_existing_database_is_refused_with_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    existing = tmp_path / "belanja-bareng.sqlite3"
    existing.write_bytes(b"")

    code = demo(monkeypatch, "", "--database", str(existing))

    captured = capsys.readouterr()
    assert code == 1
    assert captured.out == ""
    assert str(existing) in captured.err and captured.err.count("\n") == 1


def test_the_demo_speaks_english_with_lang_en(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(":who\n"))

    code = main(["--lang", "en", "demo"], environ={}, now=lambda: NOW)

    assert code == 0
    assert "Roles in the demo" in capsys.readouterr().out
