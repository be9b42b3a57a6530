"""Dinas gives each supplier's bank account (rekening) in pemasok.csv, so that a bill of a
round whose coops pay the suppliers directly can say where to transfer; a closed round keeps
the account it closed with."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from storage.catalog.loading import ImportCounts
from storage.catalog.reads import list_suppliers
from storage.database import Database, open_database
from storage.round_parties import parties_for
from tests.support import EXAMPLES
from tests.support.builders import NOW
from tests.support.storage_builders import file_at_version, place_order, seed_open_round
from tests.support.use_case_steps import acting_at, close_round
from usecases.catalog import import_catalog_files

DEADLINE = NOW + timedelta(days=2)
BULOG_BRI = "BRI 0123-01-000123-30-1 a.n. Perum Bulog"
BULOG_MANDIRI = "Mandiri 131-00-0000123-4 a.n. Perum Bulog"
INDOFOOD_BCA = "BCA 000-123-4567 a.n. PT Indofood"


async def _dinas_loads(db: Database, tmp_path: Path, text: str) -> ImportCounts:
    path = tmp_path / "pemasok.csv"
    path.write_text(text, encoding="utf-8")
    return await import_catalog_files(acting_at(db), [(path, "pemasok.csv")])


async def _accounts(db: Database) -> dict[str, str]:
    return {supplier.code: supplier.account for supplier in await list_suppliers(db)}


async def test_dinas_loads_the_sample_pemasok_csv_and_every_account_is_kept(db: Database) -> None:
    counts = await import_catalog_files(acting_at(db), [(EXAMPLES / "pemasok.csv", "pemasok.csv")])

    assert counts == ImportCounts(suppliers_added=4)
    accounts = await _accounts(db)
    assert accounts["BULOG"] == "BRI 0000-01-000201-30-1 a.n. Perum Bulog Kanwil Jawa Barat"
    assert sorted(accounts) == ["BULOG", "INDOFOOD", "SBMART", "UNILEVER"]
    assert all(" a.n. " in account for account in accounts.values())


async def test_a_closed_round_keeps_the_account_as_at_close_when_a_new_file_changes_it(
    db: Database, tmp_path: Path
) -> None:
    round_ = await seed_open_round(db)
    await _dinas_loads(
        db,
        tmp_path,
        f"kode;nama;rekening\nBULOG;Pemasok BULOG;{BULOG_BRI}\nINDOFOOD;Pemasok INDOFOOD;"
        f"{INDOFOOD_BCA}\n",
    )
    await place_order(db, round_, "KOP01", "GLP1", 30, now=NOW + timedelta(hours=1))
    await close_round(db, round_.id, DEADLINE)

    await _dinas_loads(db, tmp_path, f"kode;nama;rekening\nBULOG;Pemasok BULOG;{BULOG_MANDIRI}\n")

    kept = (await parties_for(db, round_.id)).suppliers
    assert {s.code: s.account for s in kept} == {"BULOG": BULOG_BRI, "INDOFOOD": INDOFOOD_BCA}
    assert (await _accounts(db))["BULOG"] == BULOG_MANDIRI


async def test_a_file_without_the_column_still_loads_with_empty_accounts(
    db: Database, tmp_path: Path
) -> None:
    await _dinas_loads(db, tmp_path, f"kode,nama,rekening\nBULOG,Perum Bulog,{BULOG_BRI}\n")

    counts = await _dinas_loads(
        db, tmp_path, "kode,nama,kontak\nBULOG,Perum Bulog,022-0201\nSBMART,SB Mart,022-0204\n"
    )

    assert counts == ImportCounts(suppliers_added=1, suppliers_updated=1)
    # Like kontak: the file is the catalog now for the rows it lists, account included.
    assert await _accounts(db) == {"BULOG": "", "SBMART": ""}


async def test_suppliers_loaded_before_the_migration_have_no_account(tmp_path: Path) -> None:
    path = tmp_path / "v13.db"
    await file_at_version(path, 13)

    async with open_database(path) as db:
        suppliers = await list_suppliers(db)

    assert [(s.code, s.account) for s in suppliers] == [("BULOG", "")]
