"""The savings, coops and suppliers reports read what each close summed up (migration 0020),
not every commitment: an office upgrading a file whose rounds closed before the migration
sees the same figures, a shortage or a short receipt after the close still counts, and the
next close adds its round.

The story: DT ordered 6 sacks of sugar and KKPITB 4 (GLP-50, 10 reach the tier of 10 at
Rp 855.000; market price Rp 900.000); the round closed on Sat 5 Dec 2026 08.00 WIB. Bulog
ships only 7 (DT 4, KKPITB 3), to deliver on Thu 10 Dec: order 7 x 855.000 = 5.985.000,
market 7 x 900.000 = 6.300.000, saving 315.000 (5,0 %); 2 of the 20 example coops ordered.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import tests.support.use_case_steps as steps
from purchasing.model import Round
from purchasing.reports import CoopStatus, Savings
from storage.database import Database
from storage.migrator import available_migrations, split_statements
from tests.support.clock import Clock
from tests.support.fixtures.chat import ChatUser, open_example_round
from usecases import reports
from usecases.receipts import confirm_receipt
from usecases.supply import confirm_purchase_order

SUGAR, MARKET = 855_000, 900_000
SUMMARY_TABLES = (
    "round_summaries",
    "round_product_totals",
    "round_supplier_totals",
    "round_coops",
    "coop_order_spans",
)


async def _bulog_ships_7_of_10(admin: ChatUser) -> None:
    await confirm_purchase_order(
        admin.services, "BULOG", date(2026, 12, 10), {"GLP-50": 7}, "telegram:7001"
    )


async def _as_an_old_file(db: Database) -> None:
    """The file as a release before migration 0020 left it (no summaries), then upgraded:
    migration 0020 run as the migrator runs it, filling in every round closed so far."""
    [migration] = [m for m in available_migrations() if m.version == 20]
    async with db.transaction() as tx:
        for table in SUMMARY_TABLES:
            await tx.execute(f"DROP TABLE {table}")
        for statement in split_statements(migration.sql):
            await tx.execute(statement)


async def _summaries(db: Database) -> dict[str, list[tuple[object, ...]]]:
    """Every row of the tables migration 0020 made."""
    found = {}
    for table in SUMMARY_TABLES:
        rows = await db.fetch_all(f"SELECT * FROM {table} ORDER BY 1, 2")
        found[table] = [tuple(row) for row in rows]
    return found


async def test_an_upgraded_file_shows_the_same_reports_as_before(
    after_close_sugar: Round, admin_reps: list[ChatUser], chat_clock: Clock
) -> None:
    """Then on Fri 11 Dec 10.00 WIB DT confirms only 3 of its 4 sacks arrived: order
    6 x 855.000 = 5.130.000, market 5.400.000, saving 270.000 (5,0 %); Bulog: 10 ordered, 7
    confirmed, 3 delivered to the 1 of its 2 coops that confirmed, a day late."""
    db = admin_reps[0].services.db
    await _bulog_ships_7_of_10(admin_reps[0])
    chat_clock.now = datetime(2026, 12, 11, 3, 0, tzinfo=UTC)
    await confirm_receipt(admin_reps[0].services, "DT", {"GLP-50": 3}, "telegram:5101")
    savings = await reports.savings(db)
    coops = await reports.coop_participation(db)
    suppliers = await reports.suppliers(db)

    [one] = savings.rounds
    assert (one.round.id, one.coops_ordered, one.coops_invited) == (after_close_sugar.id, 2, 20)
    assert one.savings == Savings(6 * SUGAR, 6 * MARKET)  # the shortage and receipt count
    assert (one.savings.saving, one.savings.saving_tenths) == (270_000, 50)
    assert [(m.year, m.month, m.rounds) for m in savings.months] == [(2026, 12, 1)]
    assert savings.total == Savings(5_130_000, 5_400_000)
    [bulog] = suppliers.rounds
    assert (bulog.supplier_code, bulog.ordered, bulog.confirmed, bulog.delivered) == (
        "BULOG", 10, 7, 3,
    )  # fmt: skip
    assert (bulog.coops, bulog.coops_received) == (2, 1)
    assert (bulog.delivery_on, bulog.last_received_on, bulog.days_late) == (
        date(2026, 12, 10), date(2026, 12, 11), 1,
    )  # fmt: skip
    new = [c.code for c in coops.coops if c.status is CoopStatus.NEW]
    assert new == ["DT", "KKPITB"]
    assert sum(c.status is CoopStatus.NEVER for c in coops.coops) == 18

    kept_by_the_close = await _summaries(db)
    await _as_an_old_file(db)

    assert await _summaries(db) == kept_by_the_close
    assert await reports.savings(db) == savings
    assert await reports.coop_participation(db) == coops
    assert await reports.suppliers(db) == suppliers


async def test_a_round_closed_after_the_upgrade_shows_up_in_both_reports(
    after_close_sugar: Round, admin_reps: list[ChatUser], chat_clock: Clock
) -> None:
    """Round 2 (closed Tue 8 Dec): ATTAQWA 12 and DT 3 sacks of sugar, 15 at Rp 855.000:
    order 12.825.000, market 13.500.000, saving 675.000; KOPERTIS4's 10 sacks of rice stay
    below their MOQ of 20 (bought nothing, but it ordered): 3 coops ordered."""
    db = admin_reps[0].services.db
    await _bulog_ships_7_of_10(admin_reps[0])
    await _as_an_old_file(db)
    second = await open_example_round(
        db, chat_clock(), ["GLP-50", "BRS-SPHP50"], name="Putaran Kedua"
    )
    for coop, product, quantity in [
        ("ATTAQWA", "GLP-50", 12),
        ("DT", "GLP-50", 3),
        ("KOPERTIS4", "BRS-SPHP50", 10),
    ]:
        await steps.set_commitment(
            db, round_id=second.id, coop_code=coop, product_code=product, quantity=quantity,
            actor="telegram:5101", via="telegram:5101", now=chat_clock(),
        )  # fmt: skip
    chat_clock.advance(timedelta(days=4))
    assert await steps.close_round(db, second.id, chat_clock()) is not None

    savings = await reports.savings(db)
    assert [r.round.id for r in savings.rounds] == [after_close_sugar.id, second.id]
    latest = savings.rounds[-1]
    assert (latest.coops_ordered, latest.coops_invited) == (3, 20)
    assert latest.savings == Savings(15 * SUGAR, 15 * MARKET)
    assert latest.savings.saving == 675_000
    assert savings.total == Savings(5_985_000 + 12_825_000, 6_300_000 + 13_500_000)
    assert [(m.month, m.rounds) for m in savings.months] == [(12, 2)]

    last_one = await reports.coop_participation(db, last_rounds=1)
    status = {c.code: c.status for c in last_one.coops}
    assert [r.id for r in last_one.window] == [second.id]
    assert (status["ATTAQWA"], status["KOPERTIS4"]) == (CoopStatus.NEW, CoopStatus.NEW)
    assert (status["DT"], status["KKPITB"]) == (CoopStatus.REGULAR, CoopStatus.LAPSED)
    dt = next(c for c in last_one.coops if c.code == "DT")
    assert (dt.recent, dt.first, dt.last) == (1, savings.rounds[0].round, latest.round)
    both = {c.code: (c.recent, c.status) for c in (await reports.coop_participation(db)).coops}
    assert both["DT"] == (2, CoopStatus.REGULAR) and both["KKPITB"] == (1, CoopStatus.REGULAR)


async def test_first_and_last_follow_the_close_even_when_a_clock_closes_out_of_order(
    chat_round: Round, admin_reps: list[ChatUser], chat_clock: Clock
) -> None:
    """DT orders in round 1, closed on 5 Dec; then in round 2, closed with a clock set back to
    4 Dec: by close, round 2 is DT's first round and round 1 its last and the latest."""
    db = admin_reps[0].services.db
    await _dt_orders_sugar(db, chat_round, chat_clock)
    await steps.close_round(db, chat_round.id, chat_clock() + timedelta(days=4))
    second = await open_example_round(db, chat_clock(), ["GLP-50"], name="Putaran Kedua")
    await _dt_orders_sugar(db, second, chat_clock)
    await steps.close_round(db, second.id, chat_clock() + timedelta(days=3))

    report = await reports.coop_participation(db, last_rounds=1)
    dt = next(c for c in report.coops if c.code == "DT")
    assert [r.id for r in report.window] == [chat_round.id]
    assert dt.first is not None and dt.last is not None
    assert (dt.first.id, dt.last.id, dt.recent, dt.status) == (
        second.id, chat_round.id, 1, CoopStatus.REGULAR,
    )  # fmt: skip
    kept_by_the_closes = await _summaries(db)
    await _as_an_old_file(db)
    assert await _summaries(db) == kept_by_the_closes


async def _dt_orders_sugar(db: Database, round_: Round, clock: Clock) -> None:
    await steps.set_commitment(
        db, round_id=round_.id, coop_code="DT", product_code="GLP-50", quantity=6,
        actor="telegram:5101", via="telegram:5101", now=clock(),
    )  # fmt: skip
