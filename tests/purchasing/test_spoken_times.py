"""Deadlines typed the way Dinas staff say them, read against a fixed "now" in the configured
zone: Tuesday 1 December 2026, 08:00 WIB (the conversation tests' story start)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from purchasing.spoken_times import parse_spoken_day, parse_spoken_time
from purchasing.times import DateWithoutTime, DayInvalid, TimeInvalid, TimeWithoutDate

JAKARTA = ZoneInfo("Asia/Jakarta")
NOW = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)  # Tuesday, 08:00 WIB
TODAY = date(2026, 12, 1)

READ_IN_JAKARTA = [
    ("Jumat 17.00", "2026-12-04 17:00"),
    ("jumat 17:00", "2026-12-04 17:00"),
    ("Jum'at jam 5 sore", "2026-12-04 17:00"),
    ("hari Jumat pukul 16.30", "2026-12-04 16:30"),
    ("besok jam 5 sore", "2026-12-02 17:00"),
    ("Besok 17.00", "2026-12-02 17:00"),
    ("besok, jam 17", "2026-12-02 17:00"),
    ("besok jam 1 siang", "2026-12-02 13:00"),
    ("besok jam 11 siang", "2026-12-02 11:00"),
    ("besok jam 8 malam", "2026-12-02 20:00"),
    ("besok jam 12 malam", "2026-12-03 00:00"),
    ("besok 17.00 sore", "2026-12-02 17:00"),
    ("lusa jam 10 pagi", "2026-12-03 10:00"),
    ("hari ini jam 5 sore", "2026-12-01 17:00"),
    ("hari ini 07.00", "2026-12-01 07:00"),  # past: the caller refuses it
    ("17 Desember 12.00", "2026-12-17 12:00"),
    ("17 des jam 12", "2026-12-17 12:00"),
    ("tanggal 17 Desember 2026 pukul 12.00", "2026-12-17 12:00"),
    ("Kamis, 17 Desember 12.00", "2026-12-17 12:00"),
    ("5 Januari 09.00", "2027-01-05 09:00"),  # a month behind us: next year
    ("1 Desember 07.00", "2026-12-01 07:00"),  # earlier this month stays: past
    ("30 November 09.00", "2027-11-30 09:00"),  # any month behind us is next year's
    ("senin depan 09.00", "2026-12-07 09:00"),
    ("jumat depan jam 3 sore", "2026-12-11 15:00"),
    ("Selasa 07.00", "2026-12-08 07:00"),  # today's 07.00 has gone: next week
    ("Selasa 17.00", "2026-12-01 17:00"),  # today's 17.00 is still ahead
    ("ahad depan 10.00", "2026-12-13 10:00"),
    ("2026-12-05 17:00", "2026-12-05 17:00"),
    ("05-12-2026 17.00", "2026-12-05 17:00"),
    ("05/12/2026 17:00", "2026-12-05 17:00"),
    ("besok 17.00 WIB", "2026-12-02 17:00"),
]


@pytest.mark.parametrize(("typed", "expected"), READ_IN_JAKARTA)
def test_a_deadline_typed_in_words_is_read_as_jakarta_wall_clock_time(
    typed: str, expected: str
) -> None:
    read = parse_spoken_time(typed, NOW, JAKARTA)

    assert read.tzinfo is UTC
    assert read.astimezone(JAKARTA).strftime("%Y-%m-%d %H:%M") == expected


@pytest.mark.parametrize(
    ("zone", "typed", "expected_utc"),
    [
        ("Asia/Makassar", "besok jam 5 sore", datetime(2026, 12, 2, 9, 0, tzinfo=UTC)),
        ("Asia/Jayapura", "besok jam 5 sore", datetime(2026, 12, 2, 8, 0, tzinfo=UTC)),
        ("Asia/Jayapura", "2026-12-05 17:00", datetime(2026, 12, 5, 8, 0, tzinfo=UTC)),
        # 08:00 WIB is already 10:00 WIT: "Selasa 09.00" in Jayapura is next week's
        ("Asia/Jayapura", "Selasa 09.00", datetime(2026, 12, 8, 0, 0, tzinfo=UTC)),
        ("Asia/Makassar", "Selasa 10.00", datetime(2026, 12, 1, 2, 0, tzinfo=UTC)),
        # a zone named in the text wins over the configured one
        ("Asia/Jakarta", "besok 17.00 WITA", datetime(2026, 12, 2, 9, 0, tzinfo=UTC)),
        ("Asia/Makassar", "besok 17.00 WIT", datetime(2026, 12, 2, 8, 0, tzinfo=UTC)),
    ],
)
def test_the_configured_zone_decides_the_wall_clock(
    zone: str, typed: str, expected_utc: datetime
) -> None:
    assert parse_spoken_time(typed, NOW, ZoneInfo(zone)) == expected_utc


def test_today_is_the_day_in_the_zone_not_in_utc() -> None:
    late_evening = datetime(2026, 12, 1, 18, 0, tzinfo=UTC)  # Wednesday 01:00 WIB

    read = parse_spoken_time("besok 17.00", late_evening, JAKARTA)

    assert read == datetime(2026, 12, 3, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ("besok", DateWithoutTime),
        ("17 Desember", DateWithoutTime),
        ("senin depan", DateWithoutTime),
        ("jam 5 sore", TimeWithoutDate),
        ("17.00", TimeWithoutDate),
        ("besok sore", TimeInvalid),  # which hour?
        ("besok 17", TimeInvalid),
        ("besok lusa 17.00", TimeInvalid),
        ("besok 17.00 18.00", TimeInvalid),
        ("Jumat, 17 Desember 12.00", TimeInvalid),  # 17 December is a Thursday
        ("minggu depan 09.00", TimeInvalid),  # next week, or next Sunday?
        ("31 November 12.00", TimeInvalid),
        ("besok 25.00", TimeInvalid),
        ("besok jam 17.75", TimeInvalid),
        ("besok 17.00 kira-kira", TimeInvalid),
        ("secepatnya", TimeInvalid),
        ("", TimeInvalid),
    ],
)
def test_text_that_cannot_be_read_one_way_is_refused(typed: str, error: type[TimeInvalid]) -> None:
    with pytest.raises(error) as raised:
        parse_spoken_time(typed, NOW, JAKARTA)

    assert type(raised.value) is error
    assert raised.value.params == {"text": typed}


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("besok", date(2026, 12, 2)),
        ("lusa", date(2026, 12, 3)),
        ("hari ini", date(2026, 12, 1)),
        ("Rabu", date(2026, 12, 2)),
        ("Selasa", date(2026, 12, 1)),  # today is Tuesday: the day is not over
        ("senin depan", date(2026, 12, 7)),
        ("9 Des", date(2026, 12, 9)),
        ("tanggal 9 Desember", date(2026, 12, 9)),
        ("9/12", date(2026, 12, 9)),
        ("9-12", date(2026, 12, 9)),
        ("5/1", date(2027, 1, 5)),  # a month behind us: next year
        ("Rabu, 9 Des", date(2026, 12, 9)),
        ("2026-12-10", date(2026, 12, 10)),
        ("10-12-2026", date(2026, 12, 10)),
        ("10/12/2026", date(2026, 12, 10)),
    ],
)
def test_a_delivery_day_is_read_from_the_same_words_as_a_deadline_without_a_time(
    typed: str, expected: date
) -> None:
    assert parse_spoken_day(typed, TODAY) == expected


@pytest.mark.parametrize(
    "typed",
    ["besok 17.00", "Kamis, 9 Des", "minggu depan", "31/11", "9/13", "besok lusa",
     "besok GLP-50 7", "secepatnya", ""],
)  # fmt: skip
def test_a_delivery_day_that_cannot_be_read_one_way_is_refused_with_its_text(typed: str) -> None:
    with pytest.raises(DayInvalid) as raised:
        parse_spoken_day(typed, TODAY)

    assert raised.value.params == {"text": typed}


def test_a_deadline_may_be_typed_as_day_and_month_too() -> None:
    read = parse_spoken_time("9/12 17.00", NOW, JAKARTA)

    assert read.astimezone(JAKARTA).strftime("%Y-%m-%d %H:%M") == "2026-12-09 17:00"
