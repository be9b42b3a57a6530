"""Sharing out a supply cap fairly and deterministically among the coops that asked.

The rule (also in docs/rules.md): each coop first gets the whole-unit floor of its pro-rata
share `quantity * cap // total`; the units left over go one each to the coops with the largest
fractional part (`quantity * cap % total`), ties broken by the earliest `created_at`, then by
coop code. Integer arithmetic only, so the result never depends on float rounding.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class AllocationRequest:
    """One coop's ask for one product; `created_at` is when it ordered it (a change keeps
    it; an order removed and placed again has the new order's time)."""

    coop_code: str
    quantity: int
    created_at: datetime


def allocate(cap: int | None, requests: Sequence[AllocationRequest]) -> dict[str, int]:
    """Units allocated per coop code (keys sorted by coop code).

    Nobody gets more than asked; the units handed out sum to `min(cap, total asked)`;
    without a cap (or with enough supply) everyone gets what they asked. The result does
    not depend on the order of `requests`. Raises ValueError on a negative cap or quantity
    or a coop code that appears twice (those are bugs of the caller, not user input).
    """
    _check(cap, requests)
    total = sum(request.quantity for request in requests)
    ordered = sorted(requests, key=lambda request: request.coop_code)
    if cap is None or total <= cap:
        return {request.coop_code: request.quantity for request in ordered}
    shares = {request.coop_code: request.quantity * cap // total for request in ordered}
    left_over = cap - sum(shares.values())
    by_remainder = sorted(
        requests,
        key=lambda request: (
            -(request.quantity * cap % total),
            request.created_at,
            request.coop_code,
        ),
    )
    for request in by_remainder[:left_over]:
        shares[request.coop_code] += 1
    return shares


def _check(cap: int | None, requests: Sequence[AllocationRequest]) -> None:
    if cap is not None and cap < 0:
        raise ValueError(f"negative supply cap {cap}")
    seen: set[str] = set()
    for request in requests:
        if request.quantity < 0:
            raise ValueError(f"negative quantity for {request.coop_code}")
        if request.coop_code in seen:
            raise ValueError(f"coop {request.coop_code} asked twice")
        seen.add(request.coop_code)
