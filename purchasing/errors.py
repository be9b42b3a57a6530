"""Typed errors of the purchasing domain.

Each error carries a `key` (the name of the template under `messages/<lang>/errors/` that
explains it to a person) and `params` for that template. No sentences live here.
"""

from __future__ import annotations

from typing import ClassVar


class PurchasingError(Exception):
    key: ClassVar[str] = "purchasing_error"

    def __init__(self, **params: object) -> None:
        super().__init__(f"{self.key} {params}")
        self.params: dict[str, object] = params


class RoundNotOpen(PurchasingError):
    key = "round_not_open"


class DeadlinePassed(PurchasingError):
    key = "deadline_passed"


class InvalidTransition(PurchasingError):
    key = "invalid_transition"


class QuantityInvalid(PurchasingError):
    """Negative, fractional, non-numeric or absurdly large."""

    key = "quantity_invalid"


class OverCoopMaximum(PurchasingError):
    key = "over_coop_maximum"


class UnknownProduct(PurchasingError):
    key = "unknown_product"


class ProductNotInRound(PurchasingError):
    key = "product_not_in_round"


class UnknownCoop(PurchasingError):
    key = "unknown_coop"


class InvalidTiers(PurchasingError):
    key = "invalid_tiers"
