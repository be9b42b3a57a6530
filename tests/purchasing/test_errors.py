"""Every domain error explains itself in both languages, with the params it is raised with."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

import messages
from messages import LANGUAGES, Renderer, TextStyle
from purchasing import errors
from purchasing.errors import TIER_PROBLEMS, InvalidTiers, InvalidTransition, PurchasingError
from purchasing.membership import (
    check_coop_current,
    check_invite_has_uses,
    check_invite_open,
    check_not_last_admin,
    find_admin,
)
from purchasing.model import Admin, Invite, RoundPlan, RoundStatus
from purchasing.order_text import parse_count_lines, parse_order_lines, parse_quantity
from purchasing.product_match import CatalogEntry
from purchasing.rounds import (
    cancel_round,
    check_commitment,
    check_draft_can_open,
    check_none_open,
    check_plan,
    close_round,
    extend_round,
    offered_products,
    open_round,
    stop_orders,
)
from purchasing.settlement import (
    BillDue,
    bill_to_pay,
    check_pending,
    check_still_owing,
    check_supplier_named,
    check_within_balance,
    parse_amount,
)
from purchasing.supply import (
    Delivery,
    check_confirmation,
    check_deliveries_scheduled,
    check_delivery_day,
    check_receipt,
    check_shortfall_reported,
    read_delivery_day,
)
from tests.support.builders import NOW, make_product, make_round, tiers
from tests.support.samples.purchasing import SAMPLES

TEMPLATES = Path(messages.__file__).resolve().parent / "templates"


def error_classes() -> list[type[PurchasingError]]:
    found: list[type[PurchasingError]] = []
    pending: list[type[PurchasingError]] = [PurchasingError]
    while pending:
        cls = pending.pop()
        found.append(cls)
        pending.extend(cls.__subclasses__())
    return [cls for cls in found if cls.__module__ == errors.__name__]


@pytest.mark.parametrize("cls", error_classes(), ids=lambda cls: cls.key)
def test_every_error_has_a_template_in_each_language_and_a_sample(
    cls: type[PurchasingError],
) -> None:
    for lang in LANGUAGES:
        assert (TEMPLATES / lang / "errors" / f"{cls.key}.j2").is_file(), (lang, cls.key)
    assert f"errors/{cls.key}" in SAMPLES


def test_error_keys_are_unique() -> None:
    keys = [cls.key for cls in error_classes()]
    assert len(keys) == len(set(keys))


def order_problem(text: str) -> PurchasingError:
    catalog = [CatalogEntry("MNY2", "Minyak goreng 2 L", "karton")]
    return parse_order_lines(text, {"MNY2": "karton"}, catalog).problems[-1].error


PRODUCT = make_product("GLP1", max_per_coop=40)
OPEN = make_round(PRODUCT)
DRAFT = make_round(PRODUCT, status=RoundStatus.DRAFT)
ADMIN = Admin("telegram", "9001", "Mbak Rina", "config", NOW)
INVITE = Invite("kode", "KOP01", 3, 0, NOW + timedelta(days=7), "telegram:9001", NOW)
RAISERS: list[Callable[[], object]] = [
    lambda: check_commitment(make_round(status=RoundStatus.CLOSED), "GLP1", 1, NOW),
    lambda: check_commitment(OPEN, "GLP1", 1, OPEN.closes_at),
    lambda: check_commitment(stop_orders(OPEN, NOW), "GLP1", 1, NOW),
    lambda: extend_round(stop_orders(OPEN, NOW), OPEN.closes_at + timedelta(days=1), NOW),
    lambda: cancel_round(stop_orders(OPEN, NOW), NOW + timedelta(minutes=1)),
    lambda: open_round(replace(DRAFT, closes_at=NOW), [PRODUCT], NOW),
    lambda: close_round(make_round(status=RoundStatus.CANCELLED), NOW),
    lambda: check_commitment(OPEN, "GLP1", -1, NOW),
    lambda: check_commitment(OPEN, "GLP1", 41, NOW),
    lambda: open_round(DRAFT, [], NOW),
    lambda: check_commitment(OPEN, "BRS5", 1, NOW),
    lambda: open_round(DRAFT, [replace(PRODUCT, tiers=tiers((1, 5), (9, 6)))], NOW),
    lambda: close_round(OPEN, NOW),
    lambda: extend_round(OPEN, OPEN.closes_at - timedelta(hours=1), NOW),
    lambda: open_round(replace(DRAFT, items=()), [], NOW),
    lambda: parse_quantity("1,5"),
    lambda: parse_count_lines("GLP1 -1", "shipped"),
    lambda: parse_count_lines("GLP1 5\nGLP1 2", "received"),
    lambda: check_plan(RoundPlan("Maret", NOW + timedelta(days=2), NOW + timedelta(days=1)), NOW),
    lambda: check_plan(RoundPlan("Maret", NOW, NOW + timedelta(days=1), extend_hours=24), NOW),
    lambda: check_plan(RoundPlan("  ", NOW, NOW + timedelta(days=1)), NOW),
    lambda: check_none_open([OPEN]),
    lambda: check_draft_can_open(RoundPlan("April", NOW, OPEN.closes_at), [OPEN]),
    lambda: check_coop_current("KOPWAN", exists=True, retired=True),
    lambda: offered_products(["GLP1"], [PRODUCT], retired={"GLP1"}),
    lambda: check_coop_current("KOP99", exists=False, retired=False),
    lambda: check_invite_open(INVITE, INVITE.created_at + timedelta(days=8)),
    lambda: check_invite_has_uses(replace(INVITE, uses=3)),
    lambda: find_admin([ADMIN], "telegram:999", "telegram"),
    lambda: check_not_last_admin([ADMIN], ADMIN),
    lambda: check_confirmation({"GLP1": 5}, {}, "Bulog", NOW.date(), "Maret"),
    lambda: check_confirmation({"GLP1": 5}, {"MIE1": 1}, "Bulog", None, "Maret"),
    lambda: check_confirmation({"GLP1": 5}, {"GLP1": 6}, "Bulog", None, "Maret"),
    lambda: check_delivery_day(NOW.date() + timedelta(days=61), NOW.date()),
    lambda: read_delivery_day("besok GLP1 3", NOW.date()),
    lambda: check_receipt({"GLP1": 5}, {}, "DT", True, "Maret"),
    lambda: check_receipt({"GLP1": 5}, {"MIE1": 1}, "DT", False, "Maret"),
    lambda: check_receipt({"GLP1": 5}, {"GLP1": 6}, "DT", False, "Maret"),
    lambda: check_deliveries_scheduled([Delivery("IDF", "Indofood", None)], "DT", "Maret"),
    lambda: check_shortfall_reported([], "DT", "Maret"),
    lambda: bill_to_pay([], "DT"),
    lambda: check_pending(4, "verified"),
    lambda: parse_amount("satu juta"),
    lambda: parse_amount("Rp 125.000.000.000.000"),
    lambda: check_within_balance(BillDue(1, "Maret", "DT", "Kopontren DT", 900, paid=800), 250),
    lambda: check_still_owing(BillDue(1, "Maret", "DT", "Kopontren DT", 900, paid=900), 4),
    lambda: check_supplier_named(
        4,
        [BillDue(1, "Maret", "DT", "Kopontren DT", 900, supplier_code=code) for code in "AB"],
        None,
        100,
    ),
]
PARSE_PROBLEMS = [
    "MNY2 3 karung",
    "X 1\n" * 201,
    "Halo",
    "MNY2 1\nMNY2 2",
    "susu 3",
    "MNY2 2 lusin",
]


def raised(raiser: Callable[[], object]) -> PurchasingError:
    with pytest.raises(PurchasingError) as caught:
        raiser()
    return caught.value


@pytest.mark.parametrize(
    "error",
    [raised(r) for r in RAISERS] + [order_problem(text) for text in PARSE_PROBLEMS],
    ids=lambda error: error.key,
)
def test_the_sample_context_has_exactly_the_params_the_error_is_raised_with(
    error: PurchasingError,
) -> None:
    assert set(error.params) == set(SAMPLES[f"errors/{error.key}"])


def test_the_errors_of_the_domain_are_all_covered_by_real_raises() -> None:
    keys = {raised(r).key for r in RAISERS} | {order_problem(t).key for t in PARSE_PROBLEMS}
    untested = {cls.key for cls in error_classes()} - keys
    # usecases.supply and usecases.receipts raise these
    assert untested == {"purchasing_error", "no_purchase_order", "nothing_to_receive"}


@pytest.fixture(scope="module")
def renderer() -> Renderer:
    return Renderer()


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("reason", TIER_PROBLEMS)
def test_every_tier_problem_is_explained_in_words(
    renderer: Renderer, lang: str, reason: str
) -> None:
    text = renderer.render_error(InvalidTiers(reason=reason, min_total=50), lang)
    assert reason not in text
    assert "<code>1:125000; 50:120000; 100:118000</code>" in text


def test_an_amount_typed_with_zeros_too_many_is_told_it_is_too_large_with_the_maximum(
    renderer: Renderer,
) -> None:
    too_large = raised(lambda: parse_amount("Rp 125.000.000.000.000"))

    text = renderer.render_error(too_large, "id", TextStyle.PLAIN)
    english = renderer.render_error(too_large, "en", TextStyle.PLAIN)

    assert text.startswith(
        "Rp 125.000.000.000.000 terlalu besar: paling banyak Rp 1.000.000.000.000"
    )
    assert "bukan jumlah uang" not in text
    assert english.startswith("Rp 125.000.000.000.000 is too large: at most Rp 1.000.000.000.000")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_refused_move_is_explained_in_words(renderer: Renderer, lang: str) -> None:
    texts = {
        renderer.render_error(InvalidTransition(from_status=a.value, to_status=b.value), lang)
        for a in RoundStatus
        for b in RoundStatus
    }
    assert len(texts) == len(RoundStatus) ** 2
    assert all("/putaran" in text for text in texts)
    if lang == "id":
        assert not {"draft", "open", "closed", "cancelled"} & set(" ".join(texts).split())
