"""Schema migrations: a new file gets the latest schema; an old file keeps its data."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

import pytest

from purchasing.model import RoundStatus
from storage.catalog.reads import get_product, list_coops
from storage.commitment_reads import audit_log, commitments_for_round, totals_for_round
from storage.database import Database, open_database
from storage.delivery import outbox
from storage.delivery.outbox import DeliveryStatus, due_messages
from storage.migrator import (
    available_migrations,
    latest_version,
    schema_version,
    split_statements,
)
from storage.people.reps import reps_for_coop
from storage.rounds import get_round
from tests.support.builders import NOW
from tests.support.storage_builders import file_at_version

EVERY_VERSION = [migration.version for migration in available_migrations()]


async def test_a_new_file_is_migrated_to_the_latest_version(tmp_path: Path) -> None:
    async with open_database(tmp_path / "new.db") as db, db.read() as conn:
        assert await schema_version(conn) == latest_version()


def test_migrations_are_numbered_without_gaps_and_start_with_the_initial_schema() -> None:
    migrations = available_migrations()

    assert [m.version for m in migrations] == list(range(1, len(migrations) + 1))
    assert migrations[0].name == "initial"


@pytest.mark.parametrize("version", EVERY_VERSION)
async def test_a_file_from_each_earlier_version_keeps_its_data_after_migrating(
    tmp_path: Path, version: int
) -> None:
    path = tmp_path / f"v{version}.db"
    await file_at_version(path, version)

    async with open_database(path) as db:
        async with db.read() as conn:
            assert await schema_version(conn) == latest_version()
        round_ = await get_round(db, 7)
        product = await get_product(db, "GLP1")
        commitments = await commitments_for_round(db, 7)
        totals = await totals_for_round(db, 7)
        audit = await audit_log(db, 7)
        reps = await reps_for_coop(db, "KOP01")
        queued = await due_messages(db, NOW + timedelta(days=1))
        coops = await list_coops(db)

    assert round_ is not None and round_.status is RoundStatus.OPEN
    assert round_.items[0].tiers[1].unit_price == 720_000
    assert product is not None and product.moq == 10 and len(product.tiers) == 2
    assert [(c.coop_code, c.quantity) for c in commitments] == [("KOP01", 12)]
    assert totals == {"GLP1": 12}  # units_ordered (0024) is filled in from the commitments
    assert [(a.old_quantity, a.new_quantity, a.message_id) for a in audit] == [(0, 12, "55")]
    assert [r.display_name for r in reps] == ["Bu Siti"]
    assert [m.payload for m in queued] == [{"round_id": 7}]
    assert [c.name for c in coops] == ["Kopontren Al-Ikhlas"]


def test_a_trigger_body_with_semicolons_stays_one_statement() -> None:
    script = """
    -- a comment; with a semicolon
    CREATE TABLE t (x INTEGER);
    CREATE TRIGGER t_keep BEFORE DELETE ON t BEGIN
        SELECT RAISE(ABORT, 'kept');
    END;
    """

    statements = split_statements(script)

    assert len(statements) == 2
    assert statements[1].startswith("CREATE TRIGGER") and statements[1].endswith("END;")


def test_an_unfinished_statement_in_a_migration_is_refused() -> None:
    with pytest.raises(ValueError, match="incomplete"):
        split_statements("CREATE TABLE t (x INTEGER)")


async def test_two_processes_opening_a_new_file_at_once_migrate_it_once(tmp_path: Path) -> None:
    path = tmp_path / "race.db"
    first, second = await asyncio.gather(Database.open(path), Database.open(path))
    try:
        async with first.read() as conn:
            rows = list(await conn.fetch_all("SELECT version FROM schema_version"))
    finally:
        await first.close()
        await second.close()

    assert [row[0] for row in rows] == list(range(1, latest_version() + 1))


def copies_in(folder: Path) -> list[str]:
    """The copies kept before a migration in `folder`."""
    return sorted(path.name for path in folder.iterdir() if ".sebelum-migrasi-" in path.name)


async def test_an_upgrade_keeps_a_copy_of_the_file_as_it_was_before_migrating(
    tmp_path: Path,
) -> None:
    path = tmp_path / "belanja-bareng.sqlite3"
    await file_at_version(path, 13)

    async with open_database(path) as db, db.read() as conn:
        migrated = await schema_version(conn)
    async with open_database(path):
        pass  # opening it again, up to date, copies nothing more
    copy = tmp_path / "belanja-bareng.sebelum-migrasi-v0013.sqlite3"
    async with open_database(copy, migrate_to=13) as kept:
        async with kept.read() as conn:
            version = await schema_version(conn)
        commitments = await commitments_for_round(kept, 7)

    assert migrated == latest_version()
    assert version == 13 and [(c.coop_code, c.quantity) for c in commitments] == [("KOP01", 12)]
    assert copies_in(tmp_path) == [copy.name]


async def test_a_new_file_needs_no_copy(tmp_path: Path) -> None:
    async with open_database(tmp_path / "baru.sqlite3"):
        pass

    assert copies_in(tmp_path) == []


async def test_the_outbox_rebuilt_for_withdrawn_messages_never_gives_an_id_twice(
    tmp_path: Path,
) -> None:
    path = tmp_path / "v25.db"
    await file_at_version(path, 25)
    async with open_database(path, migrate_to=25) as db:
        await outbox.enqueue(db, "telegram", "1001", "note", {}, "note:2", NOW)
        await outbox.enqueue(db, "telegram", "1001", "note", {}, "note:3", NOW)
        await db.execute("DELETE FROM outbox WHERE id = 3")  # sent, then pruned

    async with open_database(path) as db:
        await outbox.enqueue(db, "telegram", "1001", "reminder", {}, "reminder:7:a", NOW)
        assert await outbox.withdraw(db, "reminder:7:", "round_closed") == 1
        ids = await outbox.statuses_with_prefix(db, "reminder:7:")
        async with db.read() as conn:
            indexes = await conn.fetch_all(
                "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'outbox' "
                "AND name NOT LIKE 'sqlite_autoindex%' ORDER BY name"
            )

    assert ids == {4: DeliveryStatus.WITHDRAWN}
    assert [row["name"] for row in indexes] == [
        "outbox_by_sent_message_id",
        "outbox_due",
        "outbox_due_by_kind",
    ]
