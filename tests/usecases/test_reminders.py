"""Deadline reminders: when they are due, quiet hours, and what each treasurer is told."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import tests.support.use_case_steps as steps
from messages import Renderer
from purchasing.model import MoqPolicy, Rep
from purchasing.reminders import (
    QuietPeriod,
    ReminderPolicy,
    due_reminder,
    reminder_due_at,
    reminder_plan,
)
from purchasing.rounds import stop_orders
from purchasing.times import WIB
from storage.database import Database
from storage.delivery import outbox
from storage.delivery.outbox import DeliveryStatus
from storage.people import preferences, reps
from tests.support.builders import NOW, make_round
from tests.support.fixtures.schedule import (
    SUMMARY_PRODUCTS,
    Network,
    queued,
    rendered,
    seed_network,
)
from tests.support.storage_builders import database_at
from tests.support.use_case_steps import acting_at
from usecases.nudges import nudge_coops
from usecases.rounds import begin_closing
from usecases.sweeps import close_due_rounds, send_due_reminders

DAY = timedelta(days=1)
HOUR = timedelta(hours=1)


WITA = ZoneInfo("Asia/Makassar")


def wib(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment in March 2025, given as WIB wall-clock time."""
    return datetime(2025, 3, day, hour, minute, tzinfo=WIB).astimezone(UTC)


def wita(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment in March 2025, given as WITA (Makassar) wall-clock time."""
    return datetime(2025, 3, day, hour, minute, tzinfo=WITA).astimezone(UTC)


def test_a_reminder_outside_quiet_hours_is_due_offset_before_the_deadline() -> None:
    round_ = make_round(opens_at=wib(3, 10), closes_at=wib(5, 17))

    assert reminder_due_at(round_, 24 * HOUR, QuietPeriod()) == wib(4, 17)
    assert reminder_due_at(round_, 2 * HOUR, QuietPeriod()) == wib(5, 15)


def test_a_reminder_falling_in_quiet_hours_moves_to_their_end() -> None:
    round_ = make_round(opens_at=wib(3, 10), closes_at=wib(5, 23))

    assert reminder_due_at(round_, 24 * HOUR, QuietPeriod()) == wib(5, 6)
    # 21:00 is quiet, and the quiet period ends after the deadline: skipped
    assert reminder_due_at(round_, 2 * HOUR, QuietPeriod()) is None


def test_a_reminder_before_the_round_opened_is_skipped() -> None:
    round_ = make_round(opens_at=wib(5, 8), closes_at=wib(5, 17))

    assert reminder_due_at(round_, 24 * HOUR, QuietPeriod()) is None
    assert reminder_plan(round_, ReminderPolicy()) == [(2 * HOUR, wib(5, 15))]


def test_after_downtime_only_the_latest_due_reminder_is_sent() -> None:
    round_ = make_round(opens_at=wib(3, 10), closes_at=wib(5, 17))
    policy = ReminderPolicy()

    assert due_reminder(round_, wib(4, 16, 59), policy) is None
    assert due_reminder(round_, wib(4, 17), policy) == 24 * HOUR
    assert due_reminder(round_, wib(5, 16), policy) == 2 * HOUR
    assert due_reminder(round_, wib(5, 17), policy) is None  # closed: no more reminders
    closing = stop_orders(round_, wib(5, 15))  # staff are closing it early
    assert due_reminder(closing, wib(5, 16), policy) is None


def test_a_reminder_due_while_the_bot_was_down_waits_for_the_end_of_quiet_hours() -> None:
    round_ = make_round(opens_at=wib(3, 10), closes_at=wib(5, 17))
    policy = ReminderPolicy()

    assert due_reminder(round_, wib(5, 3), policy) is None  # due at 17:00 yesterday: quiet now
    assert due_reminder(round_, wib(5, 5, 59), policy) is None
    assert due_reminder(round_, wib(5, 6), policy) == 24 * HOUR
    early = make_round(opens_at=wib(3, 10), closes_at=wib(5, 5))
    assert due_reminder(early, wib(5, 3), policy) is None  # and at 06:00 it is closed


def test_a_reminder_planned_before_the_last_extension_is_skipped() -> None:
    extended = replace(
        make_round(opens_at=wib(3, 10), closes_at=wib(5, 18)), extended_at=wib(5, 16)
    )  # at 16:00 staff moved 17:00 to 18:00

    assert reminder_due_at(extended, 2 * HOUR, QuietPeriod()) is None  # 16:00: the notice says it
    assert reminder_due_at(extended, timedelta(minutes=90), QuietPeriod()) == wib(5, 16, 30)
    assert reminder_plan(extended, ReminderPolicy()) == []


def test_quiet_hours_within_one_day_and_never_quiet() -> None:
    lunch = QuietPeriod(start=time(12, 0), end=time(13, 0))
    assert lunch.contains(wib(3, 12, 30)) and not lunch.contains(wib(3, 13))
    assert lunch.end_after(wib(3, 12, 30)) == wib(3, 13)
    assert not QuietPeriod(start=time(6, 0), end=time(6, 0)).contains(wib(3, 6))


async def test_a_reminder_due_at_23_wib_goes_at_06(tmp_path: Path) -> None:
    async with database_at(tmp_path) as db:
        network = await seed_network(db, closes_at=wib(5, 23))
        services = network.services

        assert await send_due_reminders(services, wib(4, 23)) == 0
        assert await send_due_reminders(services, wib(5, 5, 59)) == 0
        assert await send_due_reminders(services, wib(5, 6)) == 2
        assert await send_due_reminders(services, wib(5, 6, 1)) == 0
        assert await send_due_reminders(services, wib(5, 21, 30)) == 0  # 2 h one: skipped

        keys = sorted(message.dedupe_key for message in await queued(db, "reminder"))
        reminder = f"reminder:{network.round.id}:{network.round.closes_at:%Y%m%dT%H%M}:1440"
        assert keys == [f"{reminder}:telegram:101", f"{reminder}:telegram:102"]
        assert all(message.created_at == wib(5, 6) for message in await queued(db, "reminder"))


async def test_back_at_3_wib_after_being_down_since_17_the_reminder_goes_at_06(
    tmp_path: Path,
) -> None:
    async with database_at(tmp_path) as db:
        network = await seed_network(db, closes_at=wib(5, 17))
        services = network.services  # its 24-hour reminder is due at 17:00 on the 4th

        assert await send_due_reminders(services, wib(5, 3)) == 0  # the bot is back at 03:00
        assert await send_due_reminders(services, wib(5, 5, 59)) == 0
        assert await send_due_reminders(services, wib(5, 6)) == 2

        assert {message.created_at for message in await queued(db, "reminder")} == {wib(5, 6)}


async def test_quiet_hours_are_kept_in_the_configured_zone_wita(tmp_path: Path) -> None:
    async with database_at(tmp_path) as db:
        network = await seed_network(db, closes_at=wita(5, 17))
        policy = ReminderPolicy(quiet=QuietPeriod(zone=WITA))

        assert await send_due_reminders(network.services, wita(5, 3), policy) == 0
        assert await send_due_reminders(network.services, wita(5, 5, 59), policy) == 0
        assert await send_due_reminders(network.services, wita(5, 6), policy) == 2


async def test_staff_extending_at_22_30_wib_reminds_nobody_before_06(tmp_path: Path) -> None:
    async with database_at(tmp_path) as db:
        network = await seed_network(db, closes_at=wib(5, 23))
        services = network.services

        await steps.extend_round(db, network.round.id, wib(6, 12), now=wib(5, 22, 30))

        assert await send_due_reminders(services, wib(5, 22, 30)) == 0
        assert await send_due_reminders(services, wib(6, 6)) == 0  # 24 h one: before the notice
        assert await send_due_reminders(services, wib(6, 10)) == 2  # 2 hours before 12:00


async def test_a_moq_extension_at_a_22_00_deadline_reminds_nobody_at_22(tmp_path: Path) -> None:
    async with database_at(tmp_path) as db:
        network = await seed_network(
            db, products=SUMMARY_PRODUCTS, product_codes=("GLP1", "MNY2"),
            closes_at=wib(5, 22), moq_policy=MoqPolicy.EXTEND, extend_hours=12,
        )  # fmt: skip
        await network.order("KOP01", "MNY2", 10)  # 10 of the 50 cartons needed

        assert await close_due_rounds(network.services, wib(5, 22)) == []  # extended to 10:00
        assert await send_due_reminders(network.services, wib(5, 22)) == 0
        assert await send_due_reminders(network.services, wib(6, 5, 59)) == 0
        assert await send_due_reminders(network.services, wib(6, 6)) == 0  # no "24 jam lagi"
        assert await send_due_reminders(network.services, wib(6, 8)) == 2  # "2 jam lagi"


async def test_an_extended_round_reminds_again_before_its_new_deadline(tmp_path: Path) -> None:
    async with database_at(tmp_path) as db:
        network = await seed_network(db, closes_at=wib(5, 17))
        services = network.services
        assert await send_due_reminders(services, wib(4, 18)) == 2  # a day before 17:00

        await steps.extend_round(db, network.round.id, wib(6, 17), now=wib(4, 18, 30))

        assert await send_due_reminders(services, wib(5, 18)) == 2  # 24 h before the new one
        assert await send_due_reminders(services, wib(5, 18, 1)) == 0


async def test_extended_by_an_hour_nobody_gets_a_second_2_hour_reminder_at_once(
    tmp_path: Path,
) -> None:
    async with database_at(tmp_path) as db:
        network = await seed_network(db, closes_at=wib(5, 17))
        services = network.services
        assert await send_due_reminders(services, wib(5, 15)) == 2  # 2 hours before 17:00

        await steps.extend_round(db, network.round.id, wib(5, 18), now=wib(5, 16))

        # its 2-hour reminder was due at 16:00: the extension notice says "until 18:00"
        assert await send_due_reminders(services, wib(5, 16)) == 0
        assert await send_due_reminders(services, wib(5, 17, 59)) == 0
        assert [m.kind for m in await queued(db, "announce")] == ["announce_round_extended"] * 3


async def test_extended_at_15_30_by_an_hour_the_2_hour_reminder_comes_at_16(
    tmp_path: Path,
) -> None:
    async with database_at(tmp_path) as db:
        network = await seed_network(db, closes_at=wib(5, 17))
        services = network.services
        assert await send_due_reminders(services, wib(5, 15)) == 2

        await steps.extend_round(db, network.round.id, wib(5, 18), now=wib(5, 15, 30))

        assert await send_due_reminders(services, wib(5, 15, 59)) == 0
        assert await send_due_reminders(services, wib(5, 16)) == 2  # planned after the notice


async def test_coop_that_ordered_gets_its_order_as_reminder_coop_that_didnt_gets_a_nudge(
    tmp_path: Path,
) -> None:
    async with database_at(tmp_path) as db:
        network = await seed_network(db)
        await reps.add_rep(db, Rep("telegram", "101", "KOP03"), NOW)  # Bu Siti: two coops
        await preferences.set_language(db, "telegram", "102", "en")
        await network.order("KOP01", "GLP1", 60)
        await network.order("KOP04", "GLP1", 5)  # a coop without a rep: nobody to remind
        due = network.round.closes_at - 2 * HOUR

        queued_now = await send_due_reminders(network.services, due)
        assert await send_due_reminders(network.services, due + HOUR) == 0

        assert queued_now == 2
        by_chat = {message.chat_id: message for message in await queued(db, "reminder")}
        assert set(by_chat) == {"101", "102"}
        assert by_chat["101"].payload["template"] == "reminder_order"
        assert by_chat["102"].payload["template"] == "reminder_nudge"
        assert by_chat["102"].payload["language"] == "en"

        renderer = Renderer()
        siti = rendered(by_chat["101"], renderer)
        # 65 sacks ordered in all reach the 50-sack price of Rp 720.000
        assert "GLP1 Gula pasir 50 kg: 60 karung × Rp 720.000 = Rp 43.200.000" in siti
        assert "Perkiraan total: Rp 43.200.000" in siti
        assert "Koperasi KOP03\nBelum memesan." in siti
        asep = rendered(by_chat["102"], renderer)
        assert "Koperasi KOP02 has not ordered yet." in asep
        assert by_chat["101"].payload["options"][0][0]["payload"] == f"k:{network.round.id}:0"


async def test_no_reminder_once_the_deadline_has_come(tmp_path: Path) -> None:
    async with database_at(tmp_path) as db:
        network = await seed_network(db)
        closes_at = network.round.closes_at

        assert await send_due_reminders(network.services, closes_at) == 0
        assert await queued(db, "reminder") == []


async def test_a_reminder_says_what_is_sure_and_what_is_at_risk(tmp_path: Path) -> None:
    async with database_at(tmp_path) as db:
        network = await seed_network(
            db, products=SUMMARY_PRODUCTS, product_codes=("GLP1", "BRS5", "MNY2"),
            moq_policy=MoqPolicy.EXTEND, extend_hours=24,
        )  # fmt: skip
        await preferences.set_language(db, "telegram", "102", "en")
        await network.order("KOP01", "GLP1", 60)  # sure: 60 × 720.000
        await network.order("KOP01", "BRS5", 20)
        await network.order("KOP02", "BRS5", 20)  # 40 asked of 30: 15 each, at Rp 750.000
        await network.order("KOP01", "MNY2", 10)  # 10 of the 50 needed, at Rp 380.000

        await send_due_reminders(network.services, network.round.closes_at - 2 * HOUR)

        by_chat = {message.chat_id: message for message in await queued(db, "reminder")}
        siti = rendered(by_chat["101"], Renderer())
        assert "Pasti: Rp 43.200.000 · Belum pasti: Rp 18.800.000" in siti  # 15 jt + 3,8 jt
        assert (
            "MNY2 Minyak goreng 2 L, 10 karton (Rp 3.800.000): minimal pesanan bersama 50 karton "
            "belum tercapai, pesanan semua koperasi masih kurang 40 karton. Bila saat batas "
            "waktu masih kurang, putaran diperpanjang sampai "
        ) in siti
        assert (
            "BRS5 Beras medium 5 kg, 20 karung: semua koperasi memesan 40 karung, pasokan "
            "hanya 30 karung, jadi dibagi sebanding dengan besar pesanan. Dengan total saat ini "
            "Anda mendapat 15 dari 20 karung (Rp 11.250.000)."
        ) in siti
        assert "tagihan Anda: Rp 54.450.000." in siti  # 43.200.000 + 11.250.000
        asep = rendered(by_chat["102"], Renderer())
        assert "Sure: Rp 0 · Not yet sure: Rp 15.000.000" in asep
        assert "If the round closed with today's totals, your bill would be Rp 11.250.000." in asep


async def withdrawn(network: Network) -> dict[str, str]:
    """The round's reminders and nudges that were withdrawn, by dedupe key: why."""
    round_id = network.round.id
    found = {}
    for prefix in (f"reminder:{round_id}:", f"nudge:{round_id}:"):
        for row_id, status in (await outbox.statuses_with_prefix(network.db, prefix)).items():
            row = await outbox.get_message(network.db, row_id)
            if row is not None and status is DeliveryStatus.WITHDRAWN:
                found[row.dedupe_key] = row.last_error
    return found


async def reminded_two_hours_before(db: Database) -> Network:
    """The round's 2-hour reminder is queued, and not sent yet (a backlog, a bot down)."""
    network = await seed_network(db)
    await network.order("KOP01", "GLP1", 10)
    assert await send_due_reminders(network.services, network.round.closes_at - 2 * HOUR) == 2
    return network


async def test_a_reminder_still_queued_at_the_close_is_withdrawn_the_bill_goes(
    tmp_path: Path,
) -> None:
    async with database_at(tmp_path) as db:
        network = await reminded_two_hours_before(db)

        await close_due_rounds(network.services, network.round.closes_at + HOUR)  # back late

        assert await queued(db, "reminder") == []
        assert set((await withdrawn(network)).values()) == {"round_closed"}
        assert len(await withdrawn(network)) == 2
        assert {message.kind for message in await queued(db)} >= {"summary_bill"}


async def test_staff_cancelling_withdraw_the_queued_reminders_before_the_notice(
    tmp_path: Path,
) -> None:
    async with database_at(tmp_path) as db:
        network = await reminded_two_hours_before(db)

        await steps.cancel_round(db, network.round.id, now=network.round.closes_at - HOUR)

        assert [message.kind for message in await queued(db)] == ["announce_round_cancelled"] * 3
        assert set((await withdrawn(network)).values()) == {"round_cancelled"}


async def test_staff_closing_early_withdraw_the_queued_reminders(tmp_path: Path) -> None:
    async with database_at(tmp_path) as db:
        network = await reminded_two_hours_before(db)
        closing = acting_at(db, network.round.closes_at - HOUR)

        assert await begin_closing(closing, network.round.id, closing.now())

        assert await queued(db, "reminder") == []
        assert set((await withdrawn(network)).values()) == {"round_closing"}


async def test_a_later_deadline_withdraws_the_reminders_naming_the_old_one(
    tmp_path: Path,
) -> None:
    async with database_at(tmp_path) as db:
        network = await reminded_two_hours_before(db)
        later = network.round.closes_at + DAY

        await steps.extend_round(db, network.round.id, later, now=later - DAY - HOUR)

        assert await queued(db, "reminder") == []
        assert set((await withdrawn(network)).values()) == {"deadline_moved"}


async def test_the_moq_extension_withdraws_the_reminders_naming_the_old_deadline(
    tmp_path: Path,
) -> None:
    async with database_at(tmp_path) as db:
        network = await seed_network(
            db, products=SUMMARY_PRODUCTS, product_codes=("GLP1", "MNY2"),
            moq_policy=MoqPolicy.EXTEND, extend_hours=24,
        )  # fmt: skip
        await network.order("KOP01", "MNY2", 10)  # 10 of the 50 cartons needed
        await send_due_reminders(network.services, network.round.closes_at - 2 * HOUR)

        assert await close_due_rounds(network.services, network.round.closes_at) == []

        assert [message.kind for message in await queued(db, "reminder")] == []
        assert set((await withdrawn(network)).values()) == {"deadline_moved"}


async def test_an_admins_nudge_still_queued_at_the_close_is_withdrawn(tmp_path: Path) -> None:
    async with database_at(tmp_path) as db:
        network = await seed_network(db)
        admin = acting_at(db, network.round.closes_at - HOUR)
        nudged = await nudge_coops(admin, "telegram:901")
        assert nudged.treasurers == 2

        await close_due_rounds(network.services, network.round.closes_at)

        assert await queued(db, "nudge") == []
        assert set((await withdrawn(network)).values()) == {"round_closed"}
