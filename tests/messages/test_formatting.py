"""Rupiah, numbers, WIB times and durations as treasurers read them, in id and en."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from messages.formatting import (
    duration,
    month_year,
    number,
    resolve_language,
    rupiah,
    rupiah_cents,
    wib,
    wib_date,
)

# 03:00 UTC is 10:00 in Jakarta (UTC+7).
SATURDAY_MORNING = datetime(2026, 11, 28, 3, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("amount", "lang", "shown"),
    [
        (1_250_000, "id", "Rp 1.250.000"),
        (1_250_000, "en", "Rp 1.250.000"),
        (0, "id", "Rp 0"),
        (999, "id", "Rp 999"),
        (-5_000, "id", "-Rp 5.000"),
    ],
)
def test_money_is_shown_in_whole_rupiah(amount: int, lang: str, shown: str) -> None:
    assert rupiah(amount, lang) == shown


def test_a_statement_amount_with_cents_shows_them_after_a_comma() -> None:
    assert rupiah_cents(123_456, "id") == "Rp 1.234,56"
    assert rupiah_cents(123_456, "en") == "Rp 1.234,56"
    assert rupiah_cents(50, "id") == "Rp 0,50"
    assert rupiah_cents(-24_691, "id") == "-Rp 246,91"
    assert rupiah_cents(125_000_000, "id") == "Rp 1.250.000"


def test_numbers_group_digits_with_dots_in_every_language() -> None:
    assert number(1_250_000, "id") == "1.250.000"
    assert number(1_250_000, "en") == "1.250.000"
    assert number(1_250_000) == "1.250.000"


@pytest.mark.parametrize("not_whole", [12.5, "1000", True])
def test_money_that_is_not_a_whole_number_is_a_bug(not_whole: object) -> None:
    with pytest.raises(TypeError):
        rupiah(not_whole, "id")  # type: ignore[arg-type]


def test_a_deadline_is_shown_in_jakarta_time_with_the_day_name() -> None:
    assert wib(SATURDAY_MORNING, "id") == "Sabtu, 28 Nov 2026 10.00 WIB"
    assert wib(SATURDAY_MORNING, "en") == "Sat, 28 Nov 2026 10:00 WIB"


def test_a_time_late_in_the_utc_day_falls_on_the_next_jakarta_day() -> None:
    late = datetime(2026, 8, 16, 20, 30, tzinfo=UTC)
    assert wib(late, "id") == "Senin, 17 Agu 2026 03.30 WIB"
    assert wib_date(late, "id") == "Senin, 17 Agu 2026"
    assert wib_date(late, "en") == "Mon, 17 Aug 2026"


def test_any_aware_timezone_is_converted_not_relabelled() -> None:
    singapore = timezone(timedelta(hours=8))
    assert wib(datetime(2026, 11, 28, 11, 0, tzinfo=singapore), "id") == (
        "Sabtu, 28 Nov 2026 10.00 WIB"
    )


def test_a_naive_datetime_is_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        wib(datetime(2026, 11, 28, 10, 0), "id")
    with pytest.raises(ValueError, match="naive"):
        wib_date(datetime(2026, 11, 28, 10, 0), "en")


@pytest.mark.parametrize(
    ("span", "indonesian", "english"),
    [
        (timedelta(days=2, hours=3, minutes=59), "2 hari 3 jam", "2 days 3 hours"),
        (timedelta(days=1), "1 hari", "1 day"),
        (timedelta(hours=5, minutes=10), "5 jam 10 menit", "5 hours 10 minutes"),
        (timedelta(hours=1), "1 jam", "1 hour"),
        (timedelta(minutes=15, seconds=40), "15 menit", "15 minutes"),
        (timedelta(seconds=30), "0 menit", "0 minutes"),
    ],
)
def test_time_left_is_shown_in_its_two_largest_units(
    span: timedelta, indonesian: str, english: str
) -> None:
    assert duration(span, "id") == indonesian
    assert duration(span, "en") == english


def test_a_negative_duration_is_a_bug() -> None:
    with pytest.raises(ValueError):
        duration(timedelta(minutes=-1), "id")


@pytest.mark.parametrize(
    ("code", "lang"),
    [("id", "id"), ("en", "en"), ("en-GB", "en"), ("EN_us", "en"), ("fr", "id"), (None, "id")],
)
def test_a_chat_client_language_maps_to_ours_or_indonesian(code: str | None, lang: str) -> None:
    assert resolve_language(code) == lang


def test_a_month_is_named_in_the_readers_language() -> None:
    assert month_year(date(2026, 12, 1), "id") == "Desember 2026"
    assert month_year(date(2027, 2, 1), "en") == "February 2027"
