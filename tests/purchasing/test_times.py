"""Deadlines typed by staff are read as WIB wall-clock time and kept in UTC."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from purchasing.errors import PurchasingError
from purchasing.times import (
    DateWithoutTime,
    TimeInvalid,
    TimeWithoutDate,
    parse_wib,
    wib_today,
)

FIVE_PM_WIB = datetime(2026, 12, 5, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "text",
    ["2026-12-05 17:00", "05-12-2026 17:00", "5/12/2026 17.00", " 2026-12-05T17:00 ",
     "2026-12-05  17:00"],
)  # fmt: skip
def test_both_date_orders_and_both_clock_marks_mean_the_same_wib_time(text: str) -> None:
    assert parse_wib(text) == FIVE_PM_WIB


def test_midnight_wib_is_the_previous_day_in_utc() -> None:
    assert parse_wib("2026-12-01 00:00") == datetime(2026, 11, 30, 17, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("17:00", TimeWithoutDate),
        ("17.00", TimeWithoutDate),
        ("2026-12-05", DateWithoutTime),
        ("05-12-2026", DateWithoutTime),
        ("2026-13-05 17:00", TimeInvalid),
        ("2026-12-05 25:00", TimeInvalid),
        ("12-05-26 17:00", TimeInvalid),
        ("", TimeInvalid),
        ("Sabtu sore", TimeInvalid),
    ],
)
def test_a_time_that_is_not_a_full_date_and_time_is_refused_with_its_text(
    text: str, error: type[PurchasingError]
) -> None:
    with pytest.raises(error) as raised:
        parse_wib(text)
    assert raised.value.params == {"text": text}


def test_a_deadline_typed_in_papua_is_read_in_the_office_zone() -> None:
    jayapura = ZoneInfo("Asia/Jayapura")  # WIT, UTC+9
    assert parse_wib("2026-12-05 17:00", jayapura) == datetime(2026, 12, 5, 8, 0, tzinfo=UTC)
    assert wib_today(datetime(2026, 12, 4, 15, 30, tzinfo=UTC), jayapura) == date(2026, 12, 5)
