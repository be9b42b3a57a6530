"""Linked group chats, webhook deduplication and backups."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from purchasing.model import Rep
from storage.backup import backup
from storage.catalog.reads import list_coops
from storage.database import Database
from storage.delivery.updates import forget_updates_before, seen_update, take_update
from storage.people.groups import link_group, linked_groups, unlink_group
from storage.people.reps import add_rep
from tests.support.builders import NOW
from tests.support.storage_builders import COOPS, database_at, seed_catalog


async def test_an_admin_links_and_unlinks_the_juk_group(db: Database) -> None:
    assert await link_group(db, "telegram", "-100123", "telegram:9", NOW)
    assert not await link_group(db, "telegram", "-100123", "telegram:9", NOW)
    await link_group(db, "whatsapp", "1203630@g.us", "whatsapp:62811", NOW)

    assert [g.chat_id for g in await linked_groups(db)] == ["-100123", "1203630@g.us"]
    assert [g.chat_id for g in await linked_groups(db, "whatsapp")] == ["1203630@g.us"]
    assert await unlink_group(db, "telegram", "-100123")
    assert not await unlink_group(db, "telegram", "-100123")
    assert [g.platform for g in await linked_groups(db)] == ["whatsapp"]


async def test_a_webhook_delivered_twice_is_handled_once(db: Database) -> None:
    assert not await seen_update(db, "telegram", 5001, NOW)
    assert await seen_update(db, "telegram", "5001", NOW)
    assert not await seen_update(db, "whatsapp", "5001", NOW)

    assert await forget_updates_before(db, NOW + timedelta(seconds=1)) == 2
    assert not await seen_update(db, "telegram", 5001, NOW)


async def test_taking_an_update_tells_who_sent_it_the_first_time_only(db: Database) -> None:
    await seed_catalog(db)
    await add_rep(db, Rep("telegram", "42", "KOP01"), NOW)

    first = await take_update(db, "telegram", "7001", "42", NOW)
    again = await take_update(db, "telegram", "7001", "42", NOW)
    stranger = await take_update(db, "telegram", "7002", "43", NOW)

    assert first is not None and [rep.coop_code for rep in first.reps] == ["KOP01"]
    assert again is None
    assert stranger is not None and stranger.reps == () and not stranger.is_admin
    assert await seen_update(db, "telegram", "7001", NOW)  # one record, shared with webhooks


async def test_a_backup_taken_while_running_opens_and_holds_the_data(
    db: Database, tmp_path: Path
) -> None:
    await seed_catalog(db)

    copy = await backup(db, tmp_path / "backups" / "belanja-2025-03-03.db")

    async with database_at(copy.parent, copy.name) as restored:
        assert [coop.code for coop in await list_coops(restored)] == [c.code for c in COOPS]
