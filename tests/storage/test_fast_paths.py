"""The reads every chat update makes: one statement each, and remembered rounds that follow
every change, also one made by another process."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from purchasing.model import Rep, RepRole, Round, RoundStatus
from storage.commitment_reads import OrderedProduct, ordered_with_totals, product_standing
from storage.database import Database, open_database
from storage.delivery.updates import seen_update
from storage.people.preferences import UserPrefs, set_acting_coop, set_language
from storage.people.reps import add_admin, add_rep, load_identity
from storage.rounds import current_round, get_round
from tests.support.builders import NOW
from tests.support.storage_builders import place_order, seed_open_round
from tests.support.use_case_steps import (
    cancel_round,
    close_round,
    create_round,
    extend_round,
    open_round,
    set_commitment,
)


@pytest.fixture
async def round_(db: Database) -> Round:
    return await seed_open_round(db)


async def test_one_read_tells_who_a_person_is(db: Database, round_: Round) -> None:
    await add_rep(db, Rep("telegram", "1001", "KOP02", display_name="Bu Siti"), NOW)
    await add_rep(db, Rep("telegram", "1001", "KOP01", display_name="Bu Siti"), NOW)
    await add_rep(db, Rep("telegram", "1001", "BULOG", RepRole.SUPPLIER, "Bu Siti"), NOW)
    await add_rep(db, Rep("telegram", "2002", "KOP03", display_name="Pak Budi"), NOW)
    await set_language(db, "telegram", "1001", "en")
    await set_acting_coop(db, "telegram", "1001", "KOP02")
    await add_admin(db, "telegram", "1001", "Bu Siti", "cli", NOW)

    known = await load_identity(db, "telegram", "1001")

    assert known.prefs == UserPrefs("telegram", "1001", "en", "KOP02")
    assert [rep.coop_code for rep in known.reps] == ["BULOG", "KOP01", "KOP02"]
    assert known.reps[0].role is RepRole.SUPPLIER
    # The names of the coops it orders for come in the same read (a reply names the coop).
    assert known.coop_names == {"KOP01": "Koperasi KOP01", "KOP02": "Koperasi KOP02"}
    assert known.is_admin


async def test_a_stranger_is_known_as_nobody(db: Database, round_: Round) -> None:
    await add_admin(db, "telegram", "1001", "Bu Siti", "cli", NOW)

    known = await load_identity(db, "whatsapp", "1001")

    assert known.prefs == UserPrefs("whatsapp", "1001")
    assert known.reps == ()
    assert not known.is_admin


async def test_a_coop_sees_its_lines_with_the_totals_of_all_coops(
    db: Database, round_: Round
) -> None:
    await place_order(db, round_, "KOP01", "MIE1", 3)
    await place_order(db, round_, "KOP02", "MIE1", 4)
    await place_order(db, round_, "KOP02", "GLP1", 9)
    await place_order(db, round_, "KOP01", "BRS5", 2)

    assert await ordered_with_totals(db, round_.id, "KOP01") == [
        OrderedProduct("BRS5", 2, 2),
        OrderedProduct("MIE1", 3, 7),
    ]
    assert await ordered_with_totals(db, round_.id, "KOP05") == []
    assert await product_standing(db, round_.id, "MIE1", "KOP02") == (7, 4)
    assert await product_standing(db, round_.id, "MIE1", None) == (7, 0)
    assert await product_standing(db, round_.id, "GLP1", "KOP01") == (9, 0)


async def test_an_update_delivered_twice_is_seen_the_second_time(db: Database) -> None:
    assert not await seen_update(db, "telegram", 41, NOW)
    assert await seen_update(db, "telegram", 41, NOW)
    assert not await seen_update(db, "whatsapp", 41, NOW)


async def test_one_statement_reads_and_writes_without_a_transaction(db: Database) -> None:
    changed = await db.execute("INSERT INTO coops (code, name) VALUES (?, ?)", ("KOP01", "Satu"))
    rows = await db.fetch_all("SELECT name FROM coops WHERE code = :code", {"code": "KOP01"})

    assert changed.rowcount == 1
    assert [row["name"] for row in rows] == ["Satu"]
    async with db.transaction() as conn:  # nothing was left open on the connection
        await conn.execute("UPDATE coops SET name = 'Satu lagi'")


async def test_every_move_of_a_round_shows_in_the_next_read(db: Database, round_: Round) -> None:
    assert await current_round(db, NOW) == round_
    later = round_.closes_at + timedelta(hours=5)

    extended = await extend_round(db, round_.id, later)

    assert await current_round(db, NOW) == extended
    assert await get_round(db, round_.id) == extended
    assert await close_round(db, round_.id, later) is not None
    assert await current_round(db, NOW) is None
    closed = await get_round(db, round_.id)
    assert closed is not None and closed.status is RoundStatus.CLOSED


async def test_a_round_changed_by_another_process_is_read_anew(
    tmp_path: Path, db: Database, round_: Round
) -> None:
    assert await current_round(db, NOW) == round_
    later = round_.closes_at + timedelta(days=1)

    async with open_database(db.path) as cli:
        await extend_round(cli, round_.id, later)
        draft = await create_round(cli, "April", NOW, later + timedelta(days=1), ["GLP1"], now=NOW)
        await cancel_round(cli, round_.id)
        await open_round(cli, draft.id, NOW)

    current = await current_round(db, NOW)
    assert current is not None and current.id == draft.id
    assert [item.product_code for item in current.items] == ["GLP1"]
    cancelled = await get_round(db, round_.id)
    assert cancelled is not None and cancelled.closes_at == later
    assert cancelled.status is RoundStatus.CANCELLED
    assert await get_round(db, 999) is None


async def test_an_order_after_another_process_extended_the_round_is_taken(
    db: Database, round_: Round
) -> None:
    await place_order(db, round_, "KOP01", "MIE1", 1)  # the round is remembered here
    later = round_.closes_at + timedelta(days=1)
    async with open_database(db.path) as cli:
        await extend_round(cli, round_.id, later)

    change = await set_commitment(
        db, round_id=round_.id, coop_code="KOP01", product_code="MIE1", quantity=2,
        actor="telegram:1", via="telegram:1", now=round_.closes_at + timedelta(hours=1),
    )  # fmt: skip

    assert (change.old, change.new) == (1, 2)
