"""Rounds in the database: draft, open with a fresh snapshot, extend, cancel, close once."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import timedelta

import pytest

from purchasing.errors import (
    AnotherRoundOpen,
    DeadlinePassed,
    InvalidTransition,
    RoundEmpty,
    UnknownProduct,
)
from purchasing.model import MoqPolicy, Rep, RoundStatus
from storage.database import Database, open_database
from storage.delivery.outbox import DeliveryStatus, delivery_counts
from storage.people.reps import add_rep
from storage.round_results import stored_results
from storage.rounds import (
    RoundHeading,
    current_round,
    due_for_close,
    due_for_open,
    get_round,
    list_rounds,
    round_headings,
)
from tests.support.builders import NOW, make_product
from tests.support.storage_builders import place_order, seed_catalog, seed_open_round
from tests.support.use_case_steps import (
    cancel_round,
    close_round,
    create_round,
    extend_round,
    import_catalog,
    load_outcome,
    open_round,
)

DEADLINE = NOW + timedelta(days=2)


async def test_a_draft_already_lists_its_items_from_the_catalog(db: Database) -> None:
    await seed_catalog(db)

    draft = await create_round(db, "April", NOW + timedelta(days=1), DEADLINE, ["MIE1", "GLP1"])

    assert draft.status is RoundStatus.DRAFT
    assert [item.product_code for item in draft.items] == ["MIE1", "GLP1"]
    assert await get_round(db, draft.id) == draft
    assert await due_for_open(db, NOW) == []
    assert await due_for_open(db, NOW + timedelta(days=1)) == [draft]


async def test_a_draft_naming_an_unknown_product_is_refused(db: Database) -> None:
    await seed_catalog(db)

    with pytest.raises(UnknownProduct):
        await create_round(db, "April", NOW, DEADLINE, ["GLP1", "NOPE"])

    assert await list_rounds(db) == []


async def test_opening_takes_the_prices_of_the_catalog_at_that_moment(db: Database) -> None:
    await seed_catalog(db)
    draft = await create_round(db, "April", NOW, DEADLINE, ["GLP1"])
    await import_catalog(db, [], [], [make_product("GLP1", price_tiers=((1, 740_000),))])

    opened = await open_round(db, draft.id, NOW + timedelta(minutes=5))
    await import_catalog(db, [], [], [make_product("GLP1", price_tiers=((1, 999_000),))])

    stored = await get_round(db, draft.id)
    assert stored == opened
    assert opened.status is RoundStatus.OPEN
    assert opened.opens_at == NOW + timedelta(minutes=5)
    assert opened.items[0].tiers[0].unit_price == 740_000


async def test_a_round_with_nothing_to_offer_is_refused(db: Database) -> None:
    with pytest.raises(RoundEmpty):  # the catalog has no products yet
        await create_round(db, "Kosong", NOW, DEADLINE, [])

    assert await list_rounds(db) == []


async def test_a_round_opens_only_once(db: Database) -> None:
    opened = await seed_open_round(db)

    with pytest.raises(InvalidTransition):
        await open_round(db, opened.id, NOW)
    await cancel_round(db, opened.id)
    with pytest.raises(DeadlinePassed):
        late = await create_round(db, "Telat", NOW, NOW + timedelta(hours=1), ["GLP1"])
        await open_round(db, late.id, NOW + timedelta(hours=1))


async def test_one_round_is_open_at_a_time(db: Database) -> None:
    march = await seed_open_round(db, closes_at=DEADLINE)
    april = await create_round(db, "April", NOW, DEADLINE + timedelta(days=3), ["GLP1"])

    with pytest.raises(AnotherRoundOpen) as refused:
        await open_round(db, april.id, NOW)
    with pytest.raises(AnotherRoundOpen):
        await create_round(db, "Mei", NOW, DEADLINE, ["GLP1"], now=NOW, open_now=True)

    assert refused.value.params == {
        "round_id": march.id,
        "round_name": march.name,
        "closes_at": march.closes_at,
    }
    assert [r.name for r in await list_rounds(db)] == ["April", march.name]  # no "Mei" kept
    assert await current_round(db, NOW) == march
    await close_round(db, march.id, DEADLINE)
    assert (await open_round(db, april.id, DEADLINE)).status is RoundStatus.OPEN
    assert await current_round(db, DEADLINE) == await get_round(db, april.id)


async def test_an_admin_extends_an_open_round_and_cancels_another(db: Database) -> None:
    round_ = await seed_open_round(db)

    extended = await extend_round(db, round_.id, DEADLINE + timedelta(days=1), now=NOW)
    kept = await get_round(db, round_.id)
    cancelled = await cancel_round(db, round_.id)

    assert extended.closes_at == DEADLINE + timedelta(days=1) and extended.extended_at == NOW
    assert kept == extended  # when it was extended is kept too
    assert cancelled.status is RoundStatus.CANCELLED
    assert await get_round(db, round_.id) == cancelled
    with pytest.raises(InvalidTransition):
        await cancel_round(db, round_.id)


async def test_closing_settles_prices_and_stores_what_each_coop_gets(db: Database) -> None:
    round_ = await seed_open_round(db)
    await place_order(db, round_, "KOP01", "GLP1", 30, now=NOW + timedelta(hours=1))
    await place_order(db, round_, "KOP02", "GLP1", 25, now=NOW + timedelta(hours=1))
    await place_order(db, round_, "KOP01", "BRS5", 5, now=NOW + timedelta(hours=1))

    outcome = await close_round(db, round_.id, DEADLINE)

    assert outcome is not None
    closed = await get_round(db, round_.id)
    assert closed is not None and closed.status is RoundStatus.CLOSED
    results = {result.product_code: result for result in await stored_results(db, round_.id)}
    assert results["GLP1"].unit_price == 720_000 and results["GLP1"].total_allocated == 55
    assert not results["BRS5"].filled
    assert await due_for_close(db, DEADLINE) == []
    assert await load_outcome(db, round_.id) == outcome
    async with db.read() as conn:
        rows = await conn.fetch_all(
            "SELECT coop_code, product_code, allocated, unit_price FROM commitments "
            "ORDER BY coop_code, product_code"
        )
    assert [tuple(row) for row in rows] == [
        ("KOP01", "BRS5", 0, None),
        ("KOP01", "GLP1", 30, 720_000),
        ("KOP02", "GLP1", 25, 720_000),
    ]


async def test_closing_stores_the_cut_share_of_each_coop_when_supply_runs_short(
    db: Database,
) -> None:
    round_ = await seed_open_round(db)
    await place_order(db, round_, "KOP01", "BRS5", 25, now=NOW + timedelta(hours=1))
    await place_order(db, round_, "KOP02", "BRS5", 15, now=NOW + timedelta(hours=1))
    await place_order(db, round_, "KOP02", "GLP1", 4, now=NOW + timedelta(hours=1))

    await close_round(db, round_.id, DEADLINE)

    async with db.read() as conn:
        rows = await conn.fetch_all(
            "SELECT coop_code, product_code, quantity, allocated FROM commitments "
            "ORDER BY coop_code, product_code"
        )
    # BRS5 has a supply cap of 30: 25 and 15 asked → 18.75 and 11.25 → 19 and 11.
    assert [tuple(row) for row in rows] == [
        ("KOP01", "BRS5", 25, 19),
        ("KOP02", "BRS5", 15, 11),
        ("KOP02", "GLP1", 4, 4),
    ]


async def test_a_round_is_not_closed_before_its_deadline_unless_forced(db: Database) -> None:
    round_ = await seed_open_round(db)

    assert await close_round(db, round_.id, DEADLINE - timedelta(seconds=1)) is None
    assert (await get_round(db, round_.id)) == round_
    assert await close_round(db, round_.id, NOW, force=True) is not None


async def test_two_processes_racing_to_close_close_it_exactly_once(db: Database) -> None:
    round_ = await seed_open_round(db)
    await add_rep(db, Rep("telegram", "1001", "KOP01"), NOW)
    await place_order(db, round_, "KOP01", "GLP1", 3, now=NOW + timedelta(hours=1))

    async with open_database(db.path) as other:
        attempts = [close_round(database, round_.id, DEADLINE) for database in (db, other) * 2]
        outcomes = await asyncio.gather(*attempts)

    assert sum(outcome is not None for outcome in outcomes) == 1
    assert (await delivery_counts(db, kind_prefix="summary_bill"))[DeliveryStatus.PENDING] == 1


async def test_if_the_close_summaries_cannot_be_queued_the_round_stays_open(
    db: Database,
) -> None:
    round_ = await seed_open_round(db)
    await add_rep(db, Rep("telegram", "1001", "KOP01"), NOW)
    await place_order(db, round_, "KOP01", "GLP1", 3, now=NOW + timedelta(hours=1))
    await db.execute("ALTER TABLE outbox RENAME TO outbox_away")  # a broken disk, say

    with pytest.raises(sqlite3.OperationalError):
        await close_round(db, round_.id, DEADLINE)

    await db.execute("ALTER TABLE outbox_away RENAME TO outbox")
    assert await due_for_close(db, DEADLINE) == [round_]
    assert await stored_results(db, round_.id) == []


async def test_a_round_short_of_its_moq_is_extended_once_instead_of_closed(db: Database) -> None:
    round_ = await seed_open_round(db, moq_policy=MoqPolicy.EXTEND, extend_hours=24)
    await add_rep(db, Rep("telegram", "1001", "KOP01"), NOW)
    await place_order(db, round_, "KOP01", "BRS5", 5, now=NOW + timedelta(hours=1))

    first = await close_round(db, round_.id, DEADLINE)
    extended = await get_round(db, round_.id)
    new_deadline = DEADLINE + timedelta(hours=24)
    second = await close_round(db, round_.id, new_deadline)

    assert first is None
    assert extended is not None and (extended.closes_at, extended.extended) == (new_deadline, True)
    assert (await delivery_counts(db, kind_prefix="round_extended"))[DeliveryStatus.PENDING] == 1
    assert second is not None
    assert [p.filled for p in second.products if p.product_code == "BRS5"] == [False]


async def test_closing_a_draft_is_an_invalid_move(db: Database) -> None:
    await seed_catalog(db)
    draft = await create_round(db, "April", NOW, DEADLINE, ["GLP1"])

    with pytest.raises(InvalidTransition):
        await close_round(db, draft.id, DEADLINE)


async def test_a_round_created_to_open_at_once_is_not_kept_when_it_cannot_open(
    db: Database,
) -> None:
    await seed_catalog(db)

    with pytest.raises(DeadlinePassed):  # its deadline has passed already
        await create_round(
            db, "Terlambat", NOW - timedelta(days=2), NOW - timedelta(hours=1), ["GLP1"],
            now=NOW, open_now=True,
        )  # fmt: skip

    assert await list_rounds(db) == []


async def test_staff_moving_a_round_queue_its_notices_in_the_same_transaction(
    db: Database,
) -> None:
    round_ = await seed_open_round(db)
    await add_rep(db, Rep("telegram", "1001", "KOP01"), NOW)
    later = round_.closes_at + timedelta(days=2)

    await extend_round(db, round_.id, later)
    await db.execute("ALTER TABLE outbox RENAME TO outbox_away")  # the notices cannot be queued
    with pytest.raises(sqlite3.OperationalError):
        await cancel_round(db, round_.id)
    await db.execute("ALTER TABLE outbox_away RENAME TO outbox")

    still = await get_round(db, round_.id)
    assert still is not None and (still.status, still.closes_at) == (RoundStatus.OPEN, later)
    extended = await delivery_counts(db, kind_prefix="announce_round_extended")
    assert extended[DeliveryStatus.PENDING] == 1
    assert sum((await delivery_counts(db, kind_prefix="announce_round_cancelled")).values()) == 0


async def test_the_rounds_list_reads_what_it_shows_of_every_round_without_its_products(
    db: Database,
) -> None:
    await seed_catalog(db)
    march = await create_round(db, "Maret", NOW, DEADLINE, ["GLP1", "MIE1"], now=NOW, open_now=True)
    await close_round(db, march.id, DEADLINE)
    cancelled = await create_round(db, "Batal", DEADLINE, DEADLINE + timedelta(days=2), ["GLP1"])
    await cancel_round(db, cancelled.id)
    later = DEADLINE + timedelta(days=7)
    await create_round(db, "April", later, later + timedelta(days=2), ["MIE1"])

    headings = await round_headings(db)

    assert [(h.name, h.status) for h in headings] == [
        ("April", RoundStatus.DRAFT),
        ("Batal", RoundStatus.CANCELLED),
        ("Maret", RoundStatus.CLOSED),
    ]
    assert headings == [
        RoundHeading(r.id, r.name, r.status, r.opens_at, r.closes_at, r.closed_at)
        for r in await list_rounds(db)
    ]
