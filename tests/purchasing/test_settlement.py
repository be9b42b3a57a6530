"""Credits on a bank statement are matched to bills by their number, else by a unique amount,
and never by a guess."""

from __future__ import annotations

from datetime import date

from purchasing.settlement import BillDue, MatchKind, StatementLine, match_credits

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
