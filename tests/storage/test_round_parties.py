"""A closed round keeps the coops and suppliers it closed with: later imports change nothing."""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest

from bot.exports import load_round_export, sheet_words
from purchasing.model import Rep, Round, RoundStatus
from storage.database import Database, open_database
from storage.encoding import to_db_time
from storage.people.reps import add_rep
from storage.round_parties import coops_at_close
from storage.rounds import get_round
from tests.support.builders import NOW, make_coop, make_supplier
from tests.support.storage_builders import COOPS, database_at, place_order, seed_open_round
from tests.support.use_case_steps import close_round, import_catalog, load_outcome
from tests.support.workbooks import Cells, workbook_cells

ID = sheet_words("id")  # the words of an Indonesian reader

DEADLINE = NOW + timedelta(days=2)

NEW_COOPS = (make_coop("KOP06", "Koperasi Baru Enam"), make_coop("KOP07", "Koperasi Baru Tujuh"))
KOP01_RENAMED = make_coop("KOP01", "Kopontren Nama Baru", address="Jl. Baru 1")
BULOG_RENAMED = make_supplier("BULOG", "Perum Bulog Nama Baru")


async def _round_with_orders(db: Database) -> Round:
    round_ = await seed_open_round(db)
    await place_order(db, round_, "KOP01", "GLP1", 30, now=NOW + timedelta(hours=1))
    await place_order(db, round_, "KOP02", "MIE1", 4, now=NOW + timedelta(hours=1))
    return round_


async def _dinas_imports_new_coops_and_renames(db: Database) -> None:
    await import_catalog(db, [*NEW_COOPS, KOP01_RENAMED], [BULOG_RENAMED])


def _texts(cells: Cells) -> set[object]:
    return {value for rows in cells.values() for row in rows for value in row}


async def test_after_close_new_and_renamed_coops_change_neither_outcome_nor_workbook(
    db: Database, tmp_path: Path
) -> None:
    round_ = await _round_with_orders(db)
    closed = await close_round(db, round_.id, DEADLINE)
    at_close = workbook_cells(
        (await load_round_export(db, round_.id)).workbook(tmp_path / "at_close")
    )

    await _dinas_imports_new_coops_and_renames(db)

    assert closed is not None
    outcome = await load_outcome(db, round_.id)
    assert outcome == closed
    assert outcome.overview.coops_invited == len(COOPS) == 5
    assert [bill.coop_name for bill in outcome.bills] == ["Koperasi KOP01", "Koperasi KOP02"]
    assert [order.supplier_name for order in outcome.purchase_orders] == [
        "Pemasok BULOG",
        "Pemasok INDOFOOD",
    ]
    assert await coops_at_close(db, round_.id) == list(COOPS)
    later = workbook_cells((await load_round_export(db, round_.id)).workbook(tmp_path / "later"))
    assert later == at_close
    assert (ID.coops_invited, 5) in [row[:2] for row in later[ID.sheet_overview]]
    assert "Koperasi KOP01" in _texts(later)
    assert not {"Kopontren Nama Baru", "Perum Bulog Nama Baru"} & _texts(later)


async def test_an_open_round_counts_the_coops_of_today_until_it_closes(db: Database) -> None:
    round_ = await _round_with_orders(db)
    await _dinas_imports_new_coops_and_renames(db)

    estimate = await load_outcome(db, round_.id)
    closed = await close_round(db, round_.id, DEADLINE)
    await import_catalog(db, [make_coop("KOP08")])

    assert estimate.overview.coops_invited == 7
    assert estimate.bills[0].coop_name == "Kopontren Nama Baru"
    assert closed is not None and closed.overview.coops_invited == 7
    assert (await load_outcome(db, round_.id)).overview.coops_invited == 7
    assert [coop.code for coop in await coops_at_close(db, round_.id)] == [
        "KOP01", "KOP02", "KOP03", "KOP04", "KOP05", "KOP06", "KOP07",
    ]  # fmt: skip


async def test_a_round_closed_before_the_migration_still_loads_with_todays_coops(
    tmp_path: Path,
) -> None:
    path = tmp_path / "old.db"
    async with open_database(path) as old:  # rows as they were: closed, no parties kept
        round_ = await _round_with_orders(old)
        await old.execute(  # what close_round wrote before round_parties existed
            "UPDATE rounds SET status = 'closed', closed_at = ?, version = version + 1 "
            "WHERE id = ?",
            (to_db_time(DEADLINE), round_.id),
        )

    async with database_at(tmp_path, "old.db") as db:
        await _dinas_imports_new_coops_and_renames(db)
        reloaded = await get_round(db, round_.id)
        outcome = await load_outcome(db, round_.id)
        coops = await coops_at_close(db, round_.id)
        export = await load_round_export(db, round_.id)
        workbook = export.workbook(tmp_path / "export")

    assert reloaded is not None and reloaded.status is RoundStatus.CLOSED
    assert outcome.overview.coops_invited == 7
    assert outcome.bills[0].coop_name == "Kopontren Nama Baru"
    assert len(coops) == 7 and export.coops == coops
    assert "Kopontren Nama Baru" in _texts(workbook_cells(workbook))


async def test_a_close_that_fails_keeps_no_coops_and_the_next_close_keeps_them_once(
    db: Database,
) -> None:
    round_ = await _round_with_orders(db)

    await add_rep(db, Rep("telegram", "1001", "KOP01"), NOW)
    await db.execute("ALTER TABLE outbox RENAME TO outbox_away")  # the bills cannot be queued
    with pytest.raises(sqlite3.OperationalError):
        await close_round(db, round_.id, DEADLINE)
    await db.execute("ALTER TABLE outbox_away RENAME TO outbox")
    kept_after_failure = await _kept_rows(db, round_.id)
    await _dinas_imports_new_coops_and_renames(db)
    first = await close_round(db, round_.id, DEADLINE)
    second = await close_round(db, round_.id, DEADLINE)

    assert kept_after_failure == []
    assert first is not None and second is None
    assert first.overview.coops_invited == 7
    kept = await _kept_rows(db, round_.id)
    assert [(kind, code) for kind, code, _ in kept] == [
        *(("coop", f"KOP0{n}") for n in range(1, 8)),
        ("supplier", "BULOG"),
        ("supplier", "INDOFOOD"),
    ]
    assert ("coop", "KOP01", "Kopontren Nama Baru") in kept


async def _kept_rows(db: Database, round_id: int) -> list[tuple[str, str, str]]:
    rows = await db.fetch_all(
        "SELECT kind, code, name FROM round_parties WHERE round_id = ? ORDER BY kind, code",
        (round_id,),
    )
    return [(row["kind"], row["code"], row["name"]) for row in rows]
