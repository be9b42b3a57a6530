"""The day a supplier says it delivers, on the first line of `/konfirmasi`, read on Saturday
5 December 2026: from today up to 60 days ahead, and never guessed from a line that runs
the products on after the day."""

from __future__ import annotations

from datetime import date

import pytest

from purchasing.errors import DayWithProducts, DeliveryDayTooFar
from purchasing.supply import MAX_DELIVERY_DAYS, check_delivery_day, read_delivery_day
from purchasing.times import DayInvalid, DayPassed

TODAY = date(2026, 12, 5)  # Saturday


def test_a_day_said_the_way_people_say_it_is_the_delivery_day() -> None:
    read = {typed: read_delivery_day(typed, TODAY) for typed in ["Rabu", "9 Des", "9/12"]}

    assert read == {
        "Rabu": date(2026, 12, 9),
        "9 Des": date(2026, 12, 9),
        "9/12": date(2026, 12, 9),
    }


def test_products_typed_after_the_day_on_one_line_are_shown_on_lines_of_their_own() -> None:
    with pytest.raises(DayWithProducts) as raised:
        read_delivery_day("besok BRS-SPHP50 25 glp-50 7", TODAY)

    assert raised.value.params == {
        "text": "besok BRS-SPHP50 25 glp-50 7",
        "day": "besok",
        "lines": ["BRS-SPHP50 25", "glp-50 7"],
    }


@pytest.mark.parametrize("typed", ["besok 25", "besok GLP-50", "9 Des 2027x", "kapan-kapan"])
def test_a_line_that_is_neither_a_day_nor_a_day_and_products_is_not_understood(typed: str) -> None:
    with pytest.raises(DayInvalid) as raised:
        read_delivery_day(typed, TODAY)

    assert type(raised.value) is DayInvalid


def test_the_delivery_day_is_from_today_to_60_days_ahead() -> None:
    latest = date(2027, 2, 3)

    check_delivery_day(TODAY, TODAY)
    check_delivery_day(latest, TODAY)
    with pytest.raises(DayPassed):
        check_delivery_day(date(2026, 12, 4), TODAY)
    with pytest.raises(DeliveryDayTooFar) as too_far:
        check_delivery_day(date(2030, 1, 1), TODAY)

    assert MAX_DELIVERY_DAYS == 60
    assert too_far.value.params == {
        "day": date(2030, 1, 1), "today": TODAY, "latest": latest, "max_days": 60,
    }  # fmt: skip
