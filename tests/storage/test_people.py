"""Reps, admins, preferences and conversation state of the people who chat with the bot."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

from purchasing.errors import UnknownCoop
from purchasing.model import Rep, RepRole
from storage.database import Database
from storage.errors import UnknownSupplier
from storage.people.conversations import clear_state, get_state, set_state
from storage.people.preferences import get_prefs, record_inbound, set_acting_coop, set_language
from storage.people.reps import (
    add_admin,
    add_rep,
    all_reps,
    is_admin,
    list_admins,
    remove_admin,
    remove_rep,
    reps_for_coop,
    reps_for_user,
)
from tests.support.builders import NOW
from tests.support.storage_builders import database_at, seed_catalog


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    async with database_at(tmp_path) as database:
        await seed_catalog(database)
        yield database


async def test_one_person_may_represent_several_coops(db: Database) -> None:
    first = Rep("telegram", "1001", "KOP01", display_name="Bu Siti")
    second = Rep("telegram", "1001", "KOP02", display_name="Bu Siti")

    assert await add_rep(db, first, NOW)
    assert await add_rep(db, second, NOW)
    assert not await add_rep(db, first, NOW)

    assert await reps_for_user(db, "telegram", "1001") == [first, second]
    assert await reps_for_coop(db, "KOP02") == [second]
    assert await remove_rep(db, "telegram", "1001", "KOP01")
    assert not await remove_rep(db, "telegram", "1001", "KOP01")
    assert await all_reps(db) == [second]


async def test_a_rep_needs_a_known_coop_or_supplier(db: Database) -> None:
    supplier_rep = Rep("whatsapp", "62811", "BULOG", RepRole.SUPPLIER, "Pak Budi")

    assert await add_rep(db, supplier_rep, NOW)
    with pytest.raises(UnknownCoop):
        await add_rep(db, Rep("telegram", "1", "KOP99"), NOW)
    with pytest.raises(UnknownSupplier):
        await add_rep(db, Rep("telegram", "1", "KOP01", RepRole.SUPPLIER), NOW)
    assert await all_reps(db) == [supplier_rep]


async def test_staff_become_admins(db: Database) -> None:
    assert await add_admin(db, "telegram", "9", "Pak Dinas", "cli", NOW)
    assert not await add_admin(db, "telegram", "9", "Pak Dinas", "cli", NOW)

    assert await is_admin(db, "telegram", "9")
    assert not await is_admin(db, "whatsapp", "9")
    [admin] = await list_admins(db)
    assert (admin.display_name, admin.added_by, admin.added_at) == ("Pak Dinas", "cli", NOW)


async def test_two_admins_removing_each_other_at_once_leave_one_admin(db: Database) -> None:
    await add_admin(db, "telegram", "9", "Pak Dinas", "cli", NOW)
    await add_admin(db, "telegram", "10", "Bu Dinas", "cli", NOW)

    removed = await asyncio.gather(
        remove_admin(db, "telegram", "9"), remove_admin(db, "telegram", "10")
    )

    assert sorted(removed) == [False, True]
    assert len(await list_admins(db)) == 1
    assert not await remove_admin(db, "telegram", "404")


async def test_a_persons_language_coop_and_last_message_are_remembered(db: Database) -> None:
    assert (await get_prefs(db, "telegram", "1")).language is None

    await set_language(db, "telegram", "1", "en")
    await set_acting_coop(db, "telegram", "1", "KOP02")
    await record_inbound(db, "telegram", "1", NOW)

    prefs = await get_prefs(db, "telegram", "1")
    assert (prefs.language, prefs.acting_coop_code, prefs.last_inbound_at) == ("en", "KOP02", NOW)


async def test_a_half_finished_conversation_survives_a_restart(tmp_path: Path) -> None:
    async with database_at(tmp_path, "c.db") as db:
        await set_state(db, "telegram", "1", {"step": "quantity", "product": "GLP1"}, NOW)
    async with database_at(tmp_path, "c.db") as db:
        state = await get_state(db, "telegram", "1")
        await set_state(db, "telegram", "1", {"step": "confirm"}, NOW + timedelta(minutes=1))
        replaced = await get_state(db, "telegram", "1")
        await clear_state(db, "telegram", "1")
        cleared = await get_state(db, "telegram", "1")

    assert state is not None and state.state == {"step": "quantity", "product": "GLP1"}
    assert replaced is not None and replaced.updated_at == NOW + timedelta(minutes=1)
    assert cleared is None
