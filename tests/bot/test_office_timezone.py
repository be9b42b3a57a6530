"""An office in Makassar sets `timezone = "Asia/Makassar"`: the deadline its staff type is
their own 17.00 (WITA), every text says WITA, and the reminders fire by that deadline."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.config import Config, OfficeConfig
from bot.scheduler import reminder_policy
from bot.wiring import wire
from messages.formatting import clock_time, zone_name
from purchasing.model import Rep
from storage import rounds
from storage.database import Database
from storage.people import reps
from tests.support.clock import Clock
from tests.support.fixtures.chat import ChatUser
from tests.support.fixtures.schedule import queued, rendered
from usecases.sweeps import send_due_reminders

MAKASSAR = Config(
    timezone=ZoneInfo("Asia/Makassar"),
    office=OfficeConfig(name="Dinas Koperasi dan UKM Kota Makassar"),
)
FIVE_PM_WITA = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)  # 17.00 WITA is 16.00 WIB


async def test_a_makassar_round_closes_at_five_pm_wita_and_says_so(
    chat_db: Database, chat_clock: Clock
) -> None:
    wiring = wire(MAKASSAR, chat_db, chat_clock)
    services, renderer = wiring.services, wiring.renderer
    await reps.add_admin(chat_db, "telegram", "9001", "Pak Andi", "config", chat_clock())
    await reps.add_rep(chat_db, Rep("telegram", "5101", "DT", display_name="Bu Ani"), chat_clock())
    admin = ChatUser(services, renderer, "9001", "Pak Andi")

    await admin.send("/putaran baru Putaran Desember | 2026-12-05 17.00")

    [opened] = await rounds.list_rounds(chat_db)
    assert opened.closes_at == FIVE_PM_WITA
    assert "17.00 WITA" in admin.last_text
    [announcement] = [m for m in await queued(chat_db) if m.chat_id == "5101"]
    announced = rendered(announcement, renderer)
    assert "Sabtu, 5 Des 2026 17.00 WITA" in announced
    assert "WIB" not in announced

    policy = reminder_policy(MAKASSAR)  # 24 h and 2 h before the deadline
    two_hours_before = FIVE_PM_WITA - timedelta(hours=2)  # 15.00 WITA, 07.00 UTC
    assert await send_due_reminders(services, two_hours_before - timedelta(minutes=1), policy) == 1
    assert await send_due_reminders(services, two_hours_before, policy) == 1
    reminders = [m for m in await queued(chat_db, "reminder") if m.chat_id == "5101"]
    assert len(reminders) == 2
    assert "17.00 WITA" in rendered(reminders[-1], renderer)


async def test_an_extension_and_an_error_are_read_and_explained_in_the_office_zone(
    chat_db: Database, chat_clock: Clock
) -> None:
    wiring = wire(MAKASSAR, chat_db, chat_clock)
    await reps.add_admin(chat_db, "telegram", "9001", "Pak Andi", "config", chat_clock())
    admin = ChatUser(wiring.services, wiring.renderer, "9001", "Pak Andi")
    await admin.send("/putaran baru Putaran Desember | 2026-12-05 17.00")
    [opened] = await rounds.list_rounds(chat_db)

    await admin.send(f"/putaran perpanjang {opened.id} 2026-12-06 08.00")
    extended = await rounds.get_round(chat_db, opened.id)
    await admin.send(f"/putaran perpanjang {opened.id} kapan-kapan")

    assert extended is not None
    assert extended.closes_at == datetime(2026, 12, 6, 0, 0, tzinfo=UTC)
    assert "Tulis tanggal dan jam (WITA)" in admin.last_text


@pytest.mark.parametrize(
    ("zone", "name"),
    [("Asia/Jakarta", "WIB"), ("Asia/Pontianak", "WIB"), ("Asia/Makassar", "WITA"),
     ("Asia/Jayapura", "WIT"), ("Asia/Singapore", "UTC+8"), ("Asia/Kolkata", "UTC+05.30"),
     ("UTC", "UTC+0"), ("America/New_York", "UTC-5")],
)  # fmt: skip
def test_a_zone_is_named_as_people_in_indonesia_name_it(zone: str, name: str) -> None:
    assert zone_name(ZoneInfo(zone), datetime(2026, 12, 5, tzinfo=UTC)) == name


def test_a_zone_with_summer_time_is_named_by_its_offset_at_that_moment() -> None:
    new_york = ZoneInfo("America/New_York")
    assert zone_name(new_york, datetime(2026, 7, 1, tzinfo=UTC)) == "UTC-4"


def test_a_time_of_day_is_shown_in_the_office_zone_with_its_name() -> None:
    makassar = ZoneInfo("Asia/Makassar")
    assert clock_time(FIVE_PM_WITA, "id", makassar) == "17.00 WITA"
    assert clock_time(FIVE_PM_WITA, "en", makassar) == "17:00 WITA"
