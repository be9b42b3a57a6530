"""The Dinas's reports of prices, suppliers and payments, computed by hand: the price reached
per product over rounds and its change; each supplier's units ordered, confirmed and
delivered and its days late; each coop's bills paid on time, late, or outstanding."""

from __future__ import annotations

from datetime import UTC, date, datetime

from purchasing.reports import ClosedRoundRef
from purchasing.round_reports import (
    BillStanding,
    CoopPayments,
    Paid,
    PriceLine,
    SupplyLine,
    bill_standing,
    payment_report,
    price_report,
    supplier_report,
)
from purchasing.settlement import BillDue

# R1 closes Tue 1 Dec 2026 10:00 WIB, R2 Fri 18 Dec 2026 10:00 WIB, R3 Mon 4 Jan 2027 10:00 WIB.
R1 = ClosedRoundRef(1, "Desember", datetime(2026, 12, 1, 3, 0, tzinfo=UTC))
R2 = ClosedRoundRef(2, "Akhir Desember", datetime(2026, 12, 18, 3, 0, tzinfo=UTC))
R3 = ClosedRoundRef(3, "Januari", datetime(2027, 1, 4, 3, 0, tzinfo=UTC))


def test_each_products_price_is_followed_over_rounds_with_its_change() -> None:
    # Beras: 630.000 (R1), then below its MOQ (R2: no price, no change), then 640.000 (R3):
    # +10.000 against R1, the last round it reached a price. Gula only in R2 and R3:
    # 780.000 then 770.000, -10.000. Lines arrive in any order.
    report = price_report([
        PriceLine(R3, "BRS", "Beras SPHP 50 kg", "karung", 640_000, 680_000, 20),
        PriceLine(R1, "BRS", "Beras SPHP", "karung", 630_000, 675_000, 55),
        PriceLine(R2, "GLP", "Gula 50 kg", "karung", 780_000, 800_000, 12),
        PriceLine(R2, "BRS", "Beras SPHP", "karung", None, 675_000, 0),
        PriceLine(R3, "GLP", "Gula 50 kg", "karung", 770_000, 800_000, 30),
    ])  # fmt: skip

    assert report.rounds == (R1, R2, R3)
    beras, gula = report.products
    assert (beras.code, beras.name, beras.unit) == ("BRS", "Beras SPHP 50 kg", "karung")
    points = [(p.round.id, p.unit_price, p.market_price, p.change, p.units) for p in beras.points]
    assert points == [
        (1, 630_000, 675_000, None, 55),
        (2, None, 675_000, None, 0),
        (3, 640_000, 680_000, 10_000, 20),
    ]  # fmt: skip
    assert [(p.round.id, p.unit_price, p.change) for p in gula.points] == [
        (2, 780_000, None),
        (3, 770_000, -10_000),
    ]


def test_no_closed_round_gives_no_prices() -> None:
    assert price_report([]).products == ()


def test_a_price_with_nothing_bought_counts_as_none_reached() -> None:
    # Nobody ordered minyak in R1 (its first tier's price is no price reached); 28.000 in R2
    # has no earlier price to change from.
    report = price_report([
        PriceLine(R1, "MNY", "Minyak 2 L", "karton", 30_000, 32_000, 0),
        PriceLine(R2, "MNY", "Minyak 2 L", "karton", 28_000, 32_000, 4),
    ])  # fmt: skip

    [oil] = report.products
    assert [(p.unit_price, p.change) for p in oil.points] == [(None, None), (28_000, None)]


def _supply(
    round_: ClosedRoundRef,
    supplier: str,
    coop: str,
    allocated: int,
    shortage: int = 0,
    not_received: int = 0,
    delivery_on: date | None = None,
    received_at: datetime | None = None,
) -> SupplyLine:
    return SupplyLine(round_, supplier, supplier.title(), coop, allocated, shortage,
                      not_received, delivery_on, received_at)  # fmt: skip


def test_a_supplier_that_shipped_short_and_late_shows_it() -> None:
    # R1, BULOG: DT ordered 20 and KKPITB 20 (40). Bulog confirmed delivery on Mon 7 Dec
    # with 4 short (DT -2, KKPITB -2): 36 confirmed. DT got all 18 and confirmed on Wed 9 Dec
    # 09:00 WIB; KKPITB said 3 of its 18 did not arrive (15 now) on Thu 10 Dec 23:30 WIB
    # (Thu 16:30 UTC; in WIB still Thursday). Delivered 18 + 15 = 33; last receipt Thu 10 Dec,
    # 3 days after Mon 7 Dec.
    # R1, IDF: DT 12, confirmed for 7 Dec, no shortage; nobody confirmed receipt yet:
    # delivered 0, days late unknown.
    # R2, BULOG: FATHULHUDA 5, the supplier has not confirmed: confirmed and days unknown.
    # R3, IDF: DT 6, confirmed for 5 Jan, received on 4 Jan (early): 0 days late.
    monday = date(2026, 12, 7)
    report = supplier_report([
        _supply(R1, "BULOG", "DT", 18, 2, 0, monday, datetime(2026, 12, 9, 2, 0, tzinfo=UTC)),
        _supply(R1, "BULOG", "KKPITB", 15, 2, 3, monday,
                datetime(2026, 12, 10, 16, 30, tzinfo=UTC)),
        _supply(R1, "IDF", "DT", 12, 0, 0, monday),
        _supply(R2, "BULOG", "FATHULHUDA", 5),
        _supply(R3, "IDF", "DT", 6, 0, 0, date(2027, 1, 5),
                datetime(2027, 1, 4, 9, 0, tzinfo=UTC)),
    ])  # fmt: skip

    figures = [
        (s.round.id, s.supplier_code, s.ordered, s.confirmed, s.delivered, s.coops_received,
         s.coops, s.last_received_on, s.days_late)
        for s in report.rounds
    ]  # fmt: skip
    assert figures == [
        (1, "BULOG", 40, 36, 33, 2, 2, date(2026, 12, 10), 3),
        (1, "IDF", 12, 12, 0, 0, 1, None, None),
        (2, "BULOG", 5, None, 0, 0, 1, None, None),
        (3, "IDF", 6, 6, 6, 1, 1, date(2027, 1, 4), 0),
    ]
    assert report.rounds[0].supplier_name == "Bulog"
    assert report.rounds[0].delivery_on == monday


def _bill(round_: ClosedRoundRef, coop: str, total: int, paid: int) -> BillDue:
    return BillDue(round_.id, round_.name, coop, f"Koperasi {coop}", total, paid, round_.closed_at)


def test_a_bill_paid_in_full_by_its_due_day_is_on_time() -> None:
    # R1 closed Tue 1 Dec 10:00 WIB; due 7 days later, Tue 8 Dec 10:00 WIB: the day is 8 Dec.
    bill = _bill(R1, "DT", 1_000_000, 1_000_000)
    half = [Paid(1, "DT", "", 500_000, date(2026, 12, 3))]

    assert bill_standing(bill, [*half, Paid(1, "DT", "", 500_000, date(2026, 12, 8))], 7) is (
        BillStanding.ON_TIME
    )
    assert bill_standing(bill, [*half, Paid(1, "DT", "", 500_000, date(2026, 12, 9))], 7) is (
        BillStanding.LATE
    )
    assert bill_standing(_bill(R1, "DT", 1_000_000, 999_999), half, 7) is BillStanding.OUTSTANDING


def test_each_coop_has_its_bills_on_time_late_and_outstanding_counted() -> None:
    # Due 7 days after the close: R1's bills on 8 Dec, R2's on 25 Dec, R3's on 11 Jan.
    # DT: R1 1.000.000 paid 5 Dec (on time); R2 400.000 paid 300.000 on 20 Dec and 100.000
    #     on 28 Dec (late: covered on 28 Dec); R3 250.000, nothing paid (outstanding, not
    #     yet due on 6 Jan).
    # KKPITB: R1 800.000, 200.000 paid (outstanding 600.000, past due); R2 150.000 paid
    #     24 Dec (on time).
    # ATTAQWA: R3 90.000, paid 100.000 on 5 Jan (overpaid: on time).
    now = datetime(2027, 1, 6, 3, 0, tzinfo=UTC)
    bills = [
        _bill(R1, "DT", 1_000_000, 1_000_000),
        _bill(R2, "DT", 400_000, 400_000),
        _bill(R3, "DT", 250_000, 0),
        _bill(R1, "KKPITB", 800_000, 200_000),
        _bill(R2, "KKPITB", 150_000, 150_000),
        _bill(R3, "ATTAQWA", 90_000, 100_000),
    ]
    paid = [
        Paid(1, "DT", "", 1_000_000, date(2026, 12, 5)),
        Paid(2, "DT", "", 100_000, date(2026, 12, 28)),
        Paid(2, "DT", "", 300_000, date(2026, 12, 20)),
        Paid(1, "KKPITB", "", 200_000, date(2026, 12, 2)),
        Paid(2, "KKPITB", "", 150_000, date(2026, 12, 24)),
        Paid(3, "ATTAQWA", "", 100_000, date(2027, 1, 5)),
    ]

    report = payment_report(bills, paid, 7, now)

    # Most owed first: KKPITB 600.000, DT 250.000, ATTAQWA 0.
    assert report.coops == (
        CoopPayments("KKPITB", "Koperasi KKPITB", 2, 1, 0, 1, 600_000, 1),
        CoopPayments("DT", "Koperasi DT", 3, 1, 1, 1, 250_000, 0),
        CoopPayments("ATTAQWA", "Koperasi ATTAQWA", 1, 1, 0, 0, 0, 0),
    )
    assert report.total == CoopPayments("", "", 6, 3, 1, 2, 850_000, 1)
    assert report.due_days == 7


def test_bills_paid_to_suppliers_are_told_apart_by_supplier() -> None:
    # R1 paid to each supplier directly: DT owes Bulog 300.000 (paid 3 Dec, on time) and
    # Indofood 100.000 (paid 10 Dec, after the due day 8 Dec: late).
    bills = [
        BillDue(1, "Desember", "DT", "Koperasi DT", 300_000, 300_000, R1.closed_at, "BULOG"),
        BillDue(1, "Desember", "DT", "Koperasi DT", 100_000, 100_000, R1.closed_at, "IDF"),
    ]
    paid = [
        Paid(1, "DT", "BULOG", 300_000, date(2026, 12, 3)),
        Paid(1, "DT", "IDF", 100_000, date(2026, 12, 10)),
    ]

    report = payment_report(bills, paid, 7, datetime(2027, 1, 6, tzinfo=UTC))

    assert report.coops == (CoopPayments("DT", "Koperasi DT", 2, 1, 1, 0, 0, 0),)


def test_no_bills_give_an_empty_report() -> None:
    report = payment_report([], [], 7, datetime(2027, 1, 6, tzinfo=UTC))
    assert report.coops == () and report.total == CoopPayments("", "", 0, 0, 0, 0, 0, 0)
