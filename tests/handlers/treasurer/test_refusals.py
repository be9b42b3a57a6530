"""A refused order line reads exactly like the error on its own, in every language."""

from __future__ import annotations

import pytest

from handlers.treasurer.order_lines import Refusal
from messages import LANGUAGES, Renderer
from purchasing import errors
from tests.support.samples.purchasing import SAMPLES

ORDER_ERRORS = [
    errors.QuantityInvalid, errors.OverCoopMaximum, errors.UnknownProduct,
    errors.ProductNotInRound, errors.UnknownCoop, errors.UnitMismatch, errors.TooManyLines,
    errors.LineNotUnderstood, errors.DuplicateLine, errors.RoundNotOpen, errors.DeadlinePassed,
    errors.PurchasingError,
]  # fmt: skip


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("error", ORDER_ERRORS, ids=lambda error: error.key)
def test_a_refused_line_explains_its_error_like_the_error_template(
    chat_renderer: Renderer, error: type[errors.PurchasingError], lang: str
) -> None:
    params = SAMPLES[f"errors/{error.key}"]
    alone = chat_renderer.render(f"errors/{error.key}", lang, params)

    in_line = chat_renderer.render(
        "order_refusal", lang, {"refusal": Refusal(0, "", error.key, params)}
    )
    numbered = chat_renderer.render(
        "order_refusal", lang, {"refusal": Refusal(3, "x 1", error.key, params)}
    )

    assert in_line == alone
    assert numbered.endswith(alone) and "3" in numbered.removesuffix(alone)
