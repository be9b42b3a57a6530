"""The index of a round's product names is built once per round value, not once per
message, and a changed round (a new value from the round cache) gets an index of its own."""

from __future__ import annotations

from handlers.treasurer.ordering import matcher_for
from purchasing.product_match import MatchKind
from tests.support.builders import make_product, make_round

SUGAR = make_product("GLP1", name="Gula pasir 1 kg")
RICE = make_product("BRS5", name="Beras medium 5 kg")


def test_two_messages_in_one_round_share_its_name_index() -> None:
    round_ = make_round(SUGAR)

    assert matcher_for(round_) is matcher_for(round_)


def test_a_round_that_changed_is_read_with_its_own_products() -> None:
    before = make_round(SUGAR)
    after = make_round(SUGAR, RICE)  # the same round, a product added: a new value
    matcher_for(before)

    found = matcher_for(after).match("beras medium")

    assert matcher_for(after) is not matcher_for(before)
    assert found.kind is MatchKind.NAME and found.entry is not None
    assert found.entry.code == "BRS5"
    assert matcher_for(before).match("beras medium").kind is MatchKind.NONE
