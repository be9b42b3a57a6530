"""The round's workbook is made by a child process (`bot.workbook_child`), not in the bot."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

import tests.support.use_case_steps as steps
from bot.config import OfficeConfig
from bot.documents import RoundFiles
from bot.workbook_child import WorkbookFailed, WorkbookJob, make_workbook
from handlers.contract.services import Services
from messages import Renderer
from messages.replies import FileKind, FileRequest
from purchasing.model import Round
from purchasing.settlement import Payee
from tests.support.clock import Clock
from tests.support.storage_builders import place_order

MAKASSAR = ZoneInfo("Asia/Makassar")
OFFICE = OfficeConfig(name="Dinas Koperasi Kota Makassar", bill_due_days=10)


def files_in(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir() if path.is_file())


async def test_the_close_overviews_workbook_comes_from_a_child_in_the_offices_zone(
    chat_services: Services, chat_round: Round, chat_clock: Clock, tmp_path: Path
) -> None:
    db = chat_services.db
    await place_order(db, chat_round, "DT", "GLP-50", 12, now=chat_clock())
    await steps.close_round(db, chat_round.id, chat_clock(), force=True)
    files = RoundFiles(db, tmp_path / "exports", OFFICE, Renderer(zone=MAKASSAR))

    path = await files(FileRequest(FileKind.WORKBOOK, chat_round.id), "id")

    assert path == tmp_path / "exports" / path.name and path.suffix == ".xlsx"
    workbook = load_workbook(path)
    assert workbook["Ringkasan"]["B4"].value == "Ditutup"
    assert "TG DT" in workbook.sheetnames  # a bill to print: the office came along
    printed = [cell.value for row in workbook["TG DT"].iter_rows() for cell in row]
    assert any("Dinas Koperasi Kota Makassar" in str(value) for value in printed)
    changes = workbook["Log Perubahan"]
    assert "Waktu (WITA)" in [cell.value for cell in changes[1]]  # times in the office's zone
    assert files_in(path.parent) == [path.name]  # no half-written file left beside it


async def test_a_child_that_fails_says_which_round_and_why(
    chat_services: Services, tmp_path: Path
) -> None:
    out = tmp_path / "exports"
    job = WorkbookJob(chat_services.db.path, 999, out, "id", "Asia/Jakarta")

    with pytest.raises(WorkbookFailed) as failed:
        await make_workbook(job)

    assert "round 999" in str(failed.value) and "child exit 1" in str(failed.value)
    assert "UnknownRound" in str(failed.value)  # the child's own error, from its stderr
    assert not out.exists()


def test_the_job_reaches_the_child_whole() -> None:
    office = OfficeConfig(name="Dinas", payment_instructions="BRI 123", payee=Payee.SUPPLIER)
    job = WorkbookJob(Path("/data/bb.sqlite3"), 7, Path("/data/exports"), "en", "Asia/Jayapura")

    for sent in (job, WorkbookJob(job.database, 7, job.out, "en", job.zone, office)):
        assert WorkbookJob.decoded(sent.encoded()) == sent
