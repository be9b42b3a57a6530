"""Credits on a bank statement are matched to bills by their number, else by a unique amount,
and never by a guess."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from purchasing.settlement import (
    AfterClose,
    BillDue,
    MatchKind,
    SettlementProgress,
    StatementLine,
    match_credits,
)

DT = BillDue(7, "November", "DT", "Kopontren Daarut Tauhid", 1_250_000)
KKP = BillDue(7, "November", "KKPITB", "KKP ITB", 500_000)
ATQ = BillDue(7, "November", "ATTAQWA", "Kojamas At-Taqwa", 500_000)
ON = date(2026, 12, 7)


def credit(line_no: int, description: str, amount: int) -> StatementLine:
    return StatementLine(line_no, ON, description, amount)


def test_a_transfer_naming_its_bill_pays_it_even_in_two_parts() -> None:
    first, second = match_credits(
        [credit(1, "TRSF E-BANKING TG-007-DT BU SITI", 1_000_000), credit(2, "tg-7-dt", 250_000)],
        [DT, KKP],
    )

    assert first.kind is MatchKind.PAID and first.bill is not None and first.bill.balance == 250_000
    assert second.kind is MatchKind.PAID and second.bill is not None and second.bill.settled


def test_a_bill_number_glued_to_the_amount_as_bca_writes_it_is_still_found() -> None:
    [match] = match_credits([credit(1, "TRSF E-BANKING CR 500000.00TG-007-KKPITB", 700_000)],
                            [DT, KKP, ATQ])  # fmt: skip

    assert match.kind is MatchKind.PAID and match.bill is not None
    assert match.bill.coop_code == "KKPITB"


def test_a_transfer_of_the_exact_amount_of_one_bill_pays_it_without_a_reference() -> None:
    [match] = match_credits([credit(1, "SETORAN TUNAI", 1_250_000)], [DT, KKP, ATQ])

    assert match.kind is MatchKind.PAID and match.bill is not None
    assert (match.bill.coop_code, match.bill.balance) == ("DT", 0)


def test_an_amount_several_bills_owe_is_ambiguous_and_nothing_is_guessed() -> None:
    [match] = match_credits([credit(1, "TRANSFER", 500_000)], [DT, KKP, ATQ])

    assert match.kind is MatchKind.AMBIGUOUS and match.bill is None
    assert {bill.coop_code for bill in match.candidates} == {"KKPITB", "ATTAQWA"}


def test_unknown_transfers_are_unmatched_and_debits_are_not_payments() -> None:
    matches = match_credits(
        [credit(1, "BUNGA", 1_234), credit(2, "BIAYA ADM TG-007-DT", -5_000)], [DT]
    )

    assert [(m.line.line_no, m.kind) for m in matches] == [(1, MatchKind.UNMATCHED)]


def test_a_transfer_to_a_bill_already_paid_is_reported_not_recorded() -> None:
    paid = BillDue(7, "November", "DT", "Kopontren Daarut Tauhid", 1_250_000, 1_250_000)

    [match] = match_credits([credit(1, "TG-007-DT lagi", 1_250_000)], [paid])

    assert match.kind is MatchKind.ALREADY_PAID and match.bill == paid


def test_once_paid_by_one_line_a_bill_no_longer_takes_the_same_amount() -> None:
    first, second = match_credits(
        [credit(1, "TRANSFER", 1_250_000), credit(2, "TRANSFER", 1_250_000)], [DT]
    )

    assert (first.kind, second.kind) == (MatchKind.PAID, MatchKind.UNMATCHED)


def test_a_transfer_naming_two_bills_is_left_for_a_person_never_booked_to_the_first() -> None:
    [both, twice] = match_credits(
        [credit(1, "BAYAR TG-007-KKPITB DAN TG-007-DT", 1_750_000),
         credit(2, "TG-007-DT BU SITI (TG-007-DT)", 1_250_000)],
        [DT, KKP, ATQ],
    )  # fmt: skip

    assert both.kind is MatchKind.SEVERAL and both.bill is None
    assert [bill.coop_code for bill in both.candidates] == ["KKPITB", "DT"]
    assert twice.kind is MatchKind.PAID and twice.bill is not None and twice.bill.settled


def test_a_transfer_naming_a_bill_number_no_bill_has_is_not_matched_by_its_amount() -> None:
    [match] = match_credits([credit(1, "TRSF TG-007-KOPERTIS4 DEDI", 1_250_000)], [DT, KKP])

    assert match.kind is MatchKind.UNMATCHED and match.bill is None


DT_BULOG = BillDue(8, "Desember", "DT", "Kopontren Daarut Tauhid", 5_130_000,
                   supplier_code="BULOG", supplier_name="Perum Bulog")  # fmt: skip
DT_INDOFOOD = BillDue(8, "Desember", "DT", "Kopontren Daarut Tauhid", 610_000,
                      supplier_code="INDOFOOD", supplier_name="PT Indofood")  # fmt: skip
KKP_BULOG = BillDue(8, "Desember", "KKPITB", "KKP ITB", 610_000,
                    supplier_code="BULOG", supplier_name="Perum Bulog")  # fmt: skip


def test_paying_suppliers_the_coops_part_alone_names_its_one_bill_still_owing() -> None:
    [both_owing, glued, one_left, bulog_left] = match_credits(
        [credit(1, "TRF TG-008-DT", 610_000), credit(2, "TRF TG-008-KKPITB-SITI", 600_000),
         credit(3, "TG-008-DT-INDOFOOD", 610_000), credit(4, "TRF TG-008-DT", 130_000)],
        [DT_BULOG, DT_INDOFOOD, KKP_BULOG],
    )  # fmt: skip
    [no_such_bill] = match_credits(
        [credit(5, "TG-008-KKPITB-INDOFOOD", 610_000)], [DT_BULOG, DT_INDOFOOD, KKP_BULOG]
    )

    assert both_owing.kind is MatchKind.NO_SUPPLIER and both_owing.bill is None
    assert [bill.number for bill in both_owing.candidates] == [
        "TG-008-DT-BULOG", "TG-008-DT-INDOFOOD"
    ]  # fmt: skip
    assert glued.bill is not None and glued.bill.number == "TG-008-KKPITB-BULOG"
    assert one_left.bill is not None and one_left.bill.settled
    assert bulog_left.bill is not None and bulog_left.bill.number == "TG-008-DT-BULOG"
    assert bulog_left.bill.balance == 5_000_000
    # KKPITB bought nothing from Indofood: not its Bulog bill, not DT's Rp 610.000 either.
    assert no_such_bill.kind is MatchKind.UNMATCHED


def test_the_coops_part_beside_its_full_number_is_one_bill_and_paid_bills_are_reported() -> None:
    paid_both = [replace(DT_BULOG, paid=DT_BULOG.total), replace(DT_INDOFOOD, paid=610_000)]

    [full_and_part] = match_credits(
        [credit(1, "TG-008-DT-INDOFOOD (TG-008-DT)", 610_000)], [DT_BULOG, DT_INDOFOOD]
    )
    [again] = match_credits([credit(2, "TG-008-DT", 610_000)], paid_both)

    assert full_and_part.bill is not None and full_and_part.bill.number == "TG-008-DT-INDOFOOD"
    assert again.kind is MatchKind.ALREADY_PAID
    assert [bill.number for bill in again.bills] == ["TG-008-DT-BULOG", "TG-008-DT-INDOFOOD"]


def test_a_credit_with_cents_is_no_bills_payment_and_a_debit_with_cents_is_skipped() -> None:
    interest = StatementLine.of_cents(1, ON, "BUNGA TG-007-DT", 125_000_056)
    tax = StatementLine.of_cents(2, ON, "PAJAK BUNGA", -24_691)

    [match] = match_credits([interest, tax], [DT])

    assert (interest.amount, interest.cents, tax.amount, tax.cents) == (1_250_000, 56, -246, -91)
    assert match.kind is MatchKind.UNMATCHED and match.line is interest


def test_a_close_that_bought_nothing_is_not_settled_but_nothing_bought() -> None:
    nothing = SettlementProgress(0, 0, 0, 0, 0, 0)
    paid = SettlementProgress(1, 1, 2, 2, 2, 2)
    waiting = SettlementProgress(1, 0, 2, 0, 2, 0)

    assert nothing.stage is AfterClose.NOTHING_BOUGHT
    assert (paid.stage, waiting.stage) == (AfterClose.SETTLED, AfterClose.CLOSED)
