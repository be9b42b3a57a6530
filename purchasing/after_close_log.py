"""What happened to a closed round after its close, step by step, with who did it and when.

The stages of `purchasing.settlement.AfterClose` (closed → ordered → delivered → settled) say
how far a round has come; this log says how it got there, for the people who check the books:
each supplier's confirmation, each coop's receipt, each change to a bill those made, each
proof of transfer sent and checked, each photo of goods that came short, each payment.

`in_order` lists the steps oldest first. Steps written in one transaction share their time,
so within one instant they follow `StepKind`'s order: a confirmation or receipt before the
bill changes it made, a proof's check before the payment it recorded.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum


class StepKind(StrEnum):
    """A kind of step after the close; listed in the order steps of one instant are shown."""

    SUPPLIER_CONFIRMED = "supplier_confirmed"  # party: the supplier
    COOP_RECEIVED = "coop_received"  # party: the coop (and so on below)
    BILL_CHANGED = "bill_changed"
    RECEIPT_PHOTO = "receipt_photo"
    PROOF_SENT = "proof_sent"
    PROOF_HANDLED = "proof_handled"
    PAYMENT = "payment"


_RANK = {kind: rank for rank, kind in enumerate(StepKind)}


@dataclass(frozen=True, slots=True)
class AfterCloseStep:
    """One step: when (aware UTC), what, whose (a supplier's or a coop's code), who did it
    (the actor as recorded, e.g. "telegram:9001"), and what the kind of step says."""

    at: datetime
    kind: StepKind
    party: str
    actor: str
    delivery_on: date | None = None  # a supplier's confirmation: the day it delivers
    short_lines: int = 0  # a confirmation or receipt: how many lines came short
    product_code: str = ""  # a bill change
    old: int = 0  # a bill change: the units before and after
    new: int = 0
    reason: str = ""  # a bill change: "shortage" or "receipt"
    amount: int | None = None  # a payment: whole Rupiah
    source: str = ""  # a payment: "statement" or "proof"
    paid_on: date | None = None  # a payment: the day of the transfer
    supplier_code: str = ""  # a payment or proof for a bill of a supplier paid directly
    proof_id: int | None = None  # a proof sent or checked
    status: str = ""  # a proof: "pending", "verified" or "rejected"
    note: str = ""  # as sent or typed: a transfer's text, a file's name, a rejection's reason


def in_order(steps: Iterable[AfterCloseStep]) -> list[AfterCloseStep]:
    """Oldest first; steps of one instant in `StepKind`'s order, else as given."""
    return sorted(steps, key=lambda step: (step.at, _RANK[step.kind]))
