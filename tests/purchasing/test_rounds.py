"""The round's state machine and the checks on a coop's commitment."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta

import pytest

from purchasing.errors import (
    ClosingNotCancelled,
    ClosingNotExtended,
    DeadlineNotLater,
    DeadlineNotReached,
    DeadlinePassed,
    ExtendHoursInvalid,
    InvalidTiers,
    InvalidTransition,
    OpenAfterDeadline,
    OverCoopMaximum,
    ProductNotInRound,
    QuantityInvalid,
    RoundClosing,
    RoundEmpty,
    RoundNotOpen,
    UnknownProduct,
)
from purchasing.model import MoqPolicy, RoundPlan, RoundStatus
from purchasing.rounds import (
    LEFT_CLOSING_AFTER,
    MAX_EXTEND_HOURS,
    MAX_QUANTITY,
    accepts_changes,
    can_move,
    cancel_round,
    check_commitment,
    check_plan,
    close_round,
    close_underway,
    extend_round,
    moq_extension,
    open_round,
    stop_orders,
)
from tests.support.builders import NOW, make_product, make_round, tiers

SUGAR = make_product("GLP1", max_per_coop=40)
RICE = make_product("BRS5", name="Beras medium 5 kg", unit="karung", market_price=70_000)
DEADLINE = NOW + timedelta(days=2)


def test_opening_a_draft_takes_todays_catalog_prices() -> None:
    round_ = make_round(SUGAR, RICE, status=RoundStatus.DRAFT, closes_at=DEADLINE)
    cheaper = replace(SUGAR, tiers=tiers((10, 700_000), (1, 740_000)))
    opened = open_round(round_, [RICE, cheaper], NOW + timedelta(hours=1))
    assert opened.status is RoundStatus.OPEN
    assert opened.opens_at == NOW + timedelta(hours=1)
    sugar = opened.item("GLP1")
    assert sugar is not None
    assert sugar.tiers == tiers((1, 740_000), (10, 700_000))
    assert [item.product_code for item in opened.items] == ["GLP1", "BRS5"]


def test_a_later_catalog_edit_does_not_change_an_open_round() -> None:
    opened = open_round(make_round(SUGAR, status=RoundStatus.DRAFT), [SUGAR], NOW)
    edited = replace(SUGAR, market_price=1)
    assert edited.market_price == 1
    item = opened.item("GLP1")
    assert item is not None and item.market_price == SUGAR.market_price


def test_a_round_cannot_open_without_every_product_in_the_catalog() -> None:
    round_ = make_round(SUGAR, RICE, status=RoundStatus.DRAFT)
    with pytest.raises(UnknownProduct) as caught:
        open_round(round_, [SUGAR], NOW)
    assert caught.value.params == {"product_code": "BRS5"}


def test_a_round_cannot_open_with_a_broken_price_list() -> None:
    broken = replace(SUGAR, tiers=tiers((1, 100), (5, 200)))
    with pytest.raises(InvalidTiers) as caught:
        open_round(make_round(SUGAR, status=RoundStatus.DRAFT), [broken], NOW)
    assert caught.value.params == {"reason": "price_rises", "min_total": 5, "product_code": "GLP1"}


def test_an_empty_round_cannot_open() -> None:
    round_ = replace(make_round(status=RoundStatus.DRAFT), items=())
    with pytest.raises(RoundEmpty):
        open_round(round_, [], NOW)


def test_a_round_whose_deadline_has_passed_cannot_open() -> None:
    round_ = make_round(SUGAR, status=RoundStatus.DRAFT, closes_at=NOW)
    with pytest.raises(OpenAfterDeadline):
        open_round(round_, [SUGAR], NOW)


def test_an_open_round_closes_at_its_deadline() -> None:
    closed = close_round(make_round(closes_at=DEADLINE), DEADLINE)
    assert closed.status is RoundStatus.CLOSED


def test_closing_early_needs_force() -> None:
    round_ = make_round(closes_at=DEADLINE)
    with pytest.raises(DeadlineNotReached):
        close_round(round_, DEADLINE - timedelta(seconds=1))
    assert close_round(round_, NOW, force=True).status is RoundStatus.CLOSED


def test_once_staff_start_closing_early_no_order_is_taken_and_it_closes_without_force() -> None:
    round_ = make_round(SUGAR, closes_at=DEADLINE)
    confirmed = NOW + timedelta(hours=1)

    closing = stop_orders(round_, confirmed)

    assert closing.status is RoundStatus.OPEN and closing.closing_since == confirmed
    assert closing.orders_ended_at == confirmed and not accepts_changes(closing, confirmed)
    with pytest.raises(RoundClosing) as caught:
        check_commitment(closing, "GLP1", 3, confirmed + timedelta(seconds=1))
    assert caught.value.params == {"round_name": round_.name, "closing_since": confirmed}
    with pytest.raises(ClosingNotExtended):
        extend_round(closing, DEADLINE + timedelta(days=1), confirmed)
    with pytest.raises(ClosingNotCancelled):
        cancel_round(closing, confirmed + timedelta(minutes=1))
    left_by_a_crash = confirmed + LEFT_CLOSING_AFTER
    assert cancel_round(closing, left_by_a_crash).status is RoundStatus.CANCELLED
    assert close_underway(closing, confirmed + timedelta(minutes=1)) and not close_underway(
        closing, confirmed + LEFT_CLOSING_AFTER
    )  # after that, its close died with a crash or a stopped child
    closed = close_round(closing, confirmed + timedelta(seconds=5))  # the close, seconds later
    assert closed.status is RoundStatus.CLOSED and closed.orders_ended_at == confirmed


def test_staff_closing_after_the_deadline_mark_it_closing_too() -> None:
    round_ = make_round(closes_at=DEADLINE)
    confirmed = DEADLINE + timedelta(minutes=1)  # before the sweep closed it

    late = stop_orders(round_, confirmed)

    assert late.closing_since == confirmed and late.orders_ended_at == DEADLINE
    with pytest.raises(DeadlinePassed):  # the deadline says it best
        check_commitment(late, "GLP1", 3, confirmed + timedelta(seconds=1))
    assert stop_orders(stop_orders(round_, NOW), NOW + timedelta(hours=1)).closing_since == NOW
    with pytest.raises(InvalidTransition):
        stop_orders(make_round(status=RoundStatus.CLOSED), NOW)


@pytest.mark.parametrize("status", [RoundStatus.DRAFT, RoundStatus.OPEN])
def test_a_draft_or_open_round_can_be_cancelled(status: RoundStatus) -> None:
    assert cancel_round(make_round(status=status), NOW).status is RoundStatus.CANCELLED


@pytest.mark.parametrize("final", [RoundStatus.CLOSED, RoundStatus.CANCELLED])
def test_closed_and_cancelled_are_final(final: RoundStatus) -> None:
    round_ = make_round(status=final)
    moves: list[Callable[[], object]] = [
        lambda: open_round(round_, [make_product()], NOW),
        lambda: close_round(round_, DEADLINE, force=True),
        lambda: cancel_round(round_, NOW),
    ]
    for move in moves:
        with pytest.raises(InvalidTransition) as caught:
            move()
        assert caught.value.params["from_status"] == final.value


def test_a_draft_cannot_close_and_an_open_round_cannot_reopen() -> None:
    with pytest.raises(InvalidTransition) as caught:
        close_round(make_round(status=RoundStatus.DRAFT), DEADLINE)
    assert caught.value.params == {"from_status": "draft", "to_status": "closed"}
    with pytest.raises(InvalidTransition):
        open_round(make_round(status=RoundStatus.OPEN), [make_product()], NOW)


def test_the_state_machine_allows_exactly_the_documented_moves() -> None:
    allowed = {(s, t) for s in RoundStatus for t in RoundStatus if can_move(s, t)}
    assert allowed == {
        (RoundStatus.DRAFT, RoundStatus.OPEN),
        (RoundStatus.DRAFT, RoundStatus.CANCELLED),
        (RoundStatus.OPEN, RoundStatus.CLOSED),
        (RoundStatus.OPEN, RoundStatus.CANCELLED),
    }


def test_an_open_round_can_be_given_a_later_deadline() -> None:
    later = DEADLINE + timedelta(hours=6)
    extended = extend_round(make_round(closes_at=DEADLINE), later, NOW)
    assert extended.closes_at == later and extended.extended_at == NOW
    assert not extended.extended


def test_a_deadline_can_only_move_later() -> None:
    with pytest.raises(DeadlineNotLater):
        extend_round(make_round(closes_at=DEADLINE), DEADLINE, NOW)


def test_only_an_open_round_can_be_extended() -> None:
    with pytest.raises(RoundNotOpen):
        extend_round(make_round(status=RoundStatus.CLOSED), DEADLINE + timedelta(days=1), NOW)


def test_a_round_short_of_moq_gets_its_one_extension() -> None:
    oil = make_product("MNY2", moq=50)
    round_ = make_round(oil, closes_at=DEADLINE, moq_policy=MoqPolicy.EXTEND, extend_hours=24)
    new_deadline = moq_extension(round_, {"MNY2": 20})
    assert new_deadline == DEADLINE + timedelta(hours=24)
    extended = extend_round(round_, new_deadline, DEADLINE, for_moq=True)
    assert moq_extension(extended, {"MNY2": 20}) is None
    assert moq_extension(round_, {"MNY2": 50}) is None
    assert moq_extension(round_, {}) is None
    assert moq_extension(replace(round_, moq_policy=MoqPolicy.DROP), {"MNY2": 20}) is None


def _plan(policy: MoqPolicy, hours: int) -> RoundPlan:
    return RoundPlan("Maret", NOW, DEADLINE, moq_policy=policy, extend_hours=hours)


@pytest.mark.parametrize(
    ("policy", "hours"),
    [(MoqPolicy.EXTEND, 0), (MoqPolicy.EXTEND, -5), (MoqPolicy.EXTEND, 721),
     (MoqPolicy.EXTEND, 100_000_000), (MoqPolicy.DROP, 24)],
)  # fmt: skip
def test_an_extension_of_nothing_too_long_or_for_a_round_that_drops_is_refused(
    policy: MoqPolicy, hours: int
) -> None:
    with pytest.raises(ExtendHoursInvalid) as refused:
        check_plan(_plan(policy, hours), NOW)
    assert refused.value.params["hours"] == hours
    assert (refused.value.params["minimum"], refused.value.params["maximum"]) == (1, 720)


@pytest.mark.parametrize(
    ("policy", "hours"), [(MoqPolicy.EXTEND, 1), (MoqPolicy.EXTEND, 720), (MoqPolicy.DROP, 0)]
)
def test_a_round_may_be_extended_from_one_hour_to_thirty_days(
    policy: MoqPolicy, hours: int
) -> None:
    check_plan(_plan(policy, hours), NOW)


def test_a_round_stored_with_a_longer_extension_before_the_limit_gets_thirty_days() -> None:
    oil = make_product("MNY2", moq=50)
    round_ = make_round(
        oil, closes_at=DEADLINE, moq_policy=MoqPolicy.EXTEND, extend_hours=100_000_000
    )
    assert moq_extension(round_, {"MNY2": 20}) == DEADLINE + timedelta(hours=MAX_EXTEND_HOURS)


def test_changes_are_accepted_only_while_open_and_before_the_deadline() -> None:
    round_ = make_round(closes_at=DEADLINE)
    assert accepts_changes(round_, DEADLINE - timedelta(seconds=1))
    assert not accepts_changes(round_, DEADLINE)
    assert not accepts_changes(make_round(status=RoundStatus.DRAFT), NOW)


def test_a_commitment_within_the_rules_returns_the_round_item() -> None:
    item = check_commitment(make_round(SUGAR), "GLP1", 40, NOW)
    assert item.product_code == "GLP1"
    assert check_commitment(make_round(SUGAR), "GLP1", 0, NOW) == item


def test_a_commitment_arriving_after_the_deadline_is_refused_by_the_server_clock() -> None:
    with pytest.raises(DeadlinePassed) as caught:
        check_commitment(make_round(closes_at=DEADLINE), "GLP1", 3, DEADLINE)
    assert caught.value.params == {"round_name": "Belanja Bareng Maret", "closes_at": DEADLINE}


def test_a_commitment_to_a_round_that_is_not_open_is_refused() -> None:
    with pytest.raises(RoundNotOpen):
        check_commitment(make_round(status=RoundStatus.DRAFT), "GLP1", 3, NOW)


def test_a_product_outside_the_round_is_refused() -> None:
    with pytest.raises(ProductNotInRound):
        check_commitment(make_round(SUGAR), "BRS5", 3, NOW)


@pytest.mark.parametrize("quantity", [-1, MAX_QUANTITY + 1])
def test_negative_or_absurd_quantities_are_refused(quantity: int) -> None:
    with pytest.raises(QuantityInvalid):
        check_commitment(make_round(), "GLP1", quantity, NOW)


def test_more_than_the_per_coop_maximum_is_refused() -> None:
    with pytest.raises(OverCoopMaximum) as caught:
        check_commitment(make_round(SUGAR), "GLP1", 41, NOW)
    assert caught.value.params["maximum"] == 40
