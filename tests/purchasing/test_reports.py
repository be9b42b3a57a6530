"""Reports across closed rounds, computed by hand: savings per round, month and in total;
each coop's status over the last N rounds."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from purchasing.model import Rep
from purchasing.reports import (
    ClosedRoundLines,
    ClosedRoundRef,
    CoopHistory,
    CoopStatus,
    MonthSavings,
    ReportLine,
    Savings,
    coop_activity,
    savings_report,
    status_of,
)

# Closes in WIB: R1 Mon 30 Nov 2026 18:00 UTC is already Tue 1 Dec 01:00 WIB (a December
# round); R2 Fri 18 Dec 2026 10:00 WIB; R3 Mon 4 Jan 2027 10:00 WIB.
R1 = ClosedRoundRef(1, "Akhir November", datetime(2026, 11, 30, 18, 0, tzinfo=UTC))
R2 = ClosedRoundRef(2, "Desember", datetime(2026, 12, 18, 3, 0, tzinfo=UTC))
R3 = ClosedRoundRef(3, "Januari", datetime(2027, 1, 4, 3, 0, tzinfo=UTC))

ROUNDS = [
    # R1: A buys 10 at 90.000 (market 100.000), B 5 at 45.000 (market 50.000);
    # B's 3 of another product missed the MOQ (no price: counts as ordering, not as value).
    # order 10×90.000 + 5×45.000 = 900.000 + 225.000 = 1.125.000
    # market 10×100.000 + 5×50.000 = 1.000.000 + 250.000 = 1.250.000
    # saving 125.000 = 10,0 % of 1.250.000; 2 of 5 coops ordered.
    ClosedRoundLines(
        R1, 5,
        (
            ReportLine("A", 10, 90_000, 100_000),
            ReportLine("B", 5, 45_000, 50_000),
            ReportLine("B", 0, None, 70_000),
        ),
    ),
    # R2: C buys 3 at 60.000 (market 61.000): order 180.000, market 183.000,
    # saving 3.000 = 1,639..% → 1,6 %; 1 of 5.
    ClosedRoundLines(R2, 5, (ReportLine("C", 3, 60_000, 61_000),)),
    # R3: A buys 1 at 21.000 above its market 20.000: saving -1.000 = -5,0 %; 1 of 6.
    ClosedRoundLines(R3, 6, (ReportLine("A", 1, 21_000, 20_000),)),
]  # fmt: skip


def test_savings_per_round_month_and_total_are_the_hand_figures() -> None:
    report = savings_report(reversed(ROUNDS))

    assert [(r.round.id, r.savings, r.coops_ordered, r.coops_invited) for r in report.rounds] == [
        (1, Savings(1_125_000, 1_250_000), 2, 5),
        (2, Savings(180_000, 183_000), 1, 5),
        (3, Savings(21_000, 20_000), 1, 6),
    ]
    assert [r.savings.saving for r in report.rounds] == [125_000, 3_000, -1_000]
    assert [r.savings.saving_tenths for r in report.rounds] == [100, 16, -50]
    # December 2026 (R1 and R2, R1 by its WIB date): order 1.125.000 + 180.000 = 1.305.000,
    # market 1.250.000 + 183.000 = 1.433.000, saving 128.000 = 8,932..% → 8,9 %.
    assert report.months == (
        MonthSavings(2026, 12, 2, Savings(1_305_000, 1_433_000)),
        MonthSavings(2027, 1, 1, Savings(21_000, 20_000)),
    )
    assert report.months[0].savings.saving_tenths == 89
    # Total: order 1.305.000 + 21.000 = 1.326.000, market 1.433.000 + 20.000 = 1.453.000,
    # saving 127.000 = 8,740..% → 8,7 %.
    assert report.total == Savings(1_326_000, 1_453_000)
    assert (report.total.saving, report.total.saving_tenths) == (127_000, 87)


def test_no_closed_rounds_is_an_empty_report() -> None:
    report = savings_report([])
    assert (report.rounds, report.months, report.total) == ((), (), Savings(0, 0))
    assert report.total.saving_tenths == 0


def test_a_round_where_every_product_missed_its_moq_saves_nothing() -> None:
    lines = ClosedRoundLines(R1, 3, (ReportLine("A", 0, None, 50_000),))
    (only,) = savings_report([lines]).rounds
    assert (only.savings, only.savings.saving_tenths, only.coops_ordered) == (
        Savings(0, 0), 0, 1,
    )  # fmt: skip


def test_a_saving_rounds_half_a_tenth_up() -> None:
    # 1 of 800 = 0,125 % → 0,1 %; 1 of 400 = 0,25 % → 0,3 %; -1 of 400 = -0,25 % → -0,2 %.
    assert Savings(799, 800).saving_tenths == 1
    assert Savings(399, 400).saving_tenths == 3
    assert Savings(401, 400).saving_tenths == -2


R4 = ClosedRoundRef(4, "Februari", datetime(2027, 2, 1, 3, 0, tzinfo=UTC))
REP = Rep("telegram", "555", "A", display_name="Rina")


def test_coop_status_over_the_last_three_rounds() -> None:
    # Window of the last 3 closed rounds: R4, R3, R2 (R1 is older).
    coops = [
        CoopHistory("A", "Kop A", frozenset({1, 2, 3}), (REP,), "0812"),  # R2, R3: 2 of 3
        CoopHistory("B", "Kop B", frozenset({1})),  # none of R2..R4: lapsed
        CoopHistory("C", "Kop C", frozenset({1, 3})),  # R3 only: 1 of 3
        CoopHistory("D", "Kop D", frozenset({4})),  # first order in the latest round
        CoopHistory("E", "Kop E", frozenset()),  # never
        CoopHistory("F", "Kop F", frozenset({2, 4})),  # 2 of 3
        CoopHistory("G", "Kop G", frozenset({9})),  # round 9 is not closed: never
    ]
    report = coop_activity([R1, R2, R3, R4], reversed(coops), last_rounds=3)

    assert report.window == (R4, R3, R2)
    assert [(c.status, c.code, c.recent) for c in report.coops] == [
        (CoopStatus.NEW, "D", 1),
        (CoopStatus.REGULAR, "A", 2),
        (CoopStatus.REGULAR, "F", 2),
        (CoopStatus.OCCASIONAL, "C", 1),
        (CoopStatus.LAPSED, "B", 0),
        (CoopStatus.NEVER, "E", 0),
        (CoopStatus.NEVER, "G", 0),
    ]
    first_last = {c.code: (c.first, c.last) for c in report.coops}
    assert first_last["A"] == (R1, R3)
    assert first_last["B"] == (R1, R1)
    assert first_last["D"] == (R4, R4)
    assert first_last["E"] == (None, None)
    a = next(c for c in report.coops if c.code == "A")
    assert (a.reps, a.contact) == ((REP,), "0812")


def test_a_window_longer_than_the_history_counts_only_the_closed_rounds() -> None:
    # Default N = 4 but only R1, R2 closed: 1 of 2 is half, so regular.
    coops = [CoopHistory("A", "A", frozenset({1})), CoopHistory("B", "B", frozenset({2}))]
    report = coop_activity([R2, R1], coops)
    assert report.last_rounds == 4 and report.window == (R2, R1)
    assert [(c.code, c.status) for c in report.coops] == [
        ("B", CoopStatus.NEW),
        ("A", CoopStatus.REGULAR),
    ]


def test_a_coop_that_ordered_only_in_the_one_closed_round_is_new() -> None:
    report = coop_activity([R1], [CoopHistory("A", "A", frozenset({1}))], last_rounds=1)
    assert report.coops[0].status is CoopStatus.NEW


@pytest.mark.parametrize(
    ("recent", "window", "status"),
    [(2, 4, CoopStatus.REGULAR), (1, 4, CoopStatus.OCCASIONAL), (0, 4, CoopStatus.LAPSED)],
)
def test_half_of_the_window_is_regular(recent: int, window: int, status: CoopStatus) -> None:
    assert status_of(recent, window, first_is_latest=False, ever=True) is status


def test_the_window_is_at_least_one_round() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        coop_activity([R1], [], last_rounds=0)
