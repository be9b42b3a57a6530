"""The numbers and dates printed on the documents of a closed round.

- A coop's bill is "TG-<round>-<coop>" (round number with three digits); when each supplier
  is paid directly, a coop has one bill per supplier, "TG-<round>-<coop>-<supplier>". The
  number is also the transfer reference a coop writes with its payment, so each payment
  names its bill.
- A supplier's purchase order is "SP-<round>-<supplier>".
- Both are dated the day the round closed; a bill is due `due_days` later.
Stable: making a document again gives the same number and dates.
"""

from __future__ import annotations

from datetime import datetime, timedelta


def bill_number(round_id: int, coop_code: str, supplier_code: str = "") -> str:
    return f"TG-{round_id:03d}-{bill_reference(coop_code, supplier_code)}"


def bill_reference(coop_code: str, supplier_code: str = "") -> str:
    """What follows the round in a bill's number: the coop, and the supplier it pays."""
    return f"{coop_code}-{supplier_code}" if supplier_code else coop_code


def purchase_order_number(round_id: int, supplier_code: str) -> str:
    return f"SP-{round_id:03d}-{supplier_code}"


def due_date(issued_at: datetime, due_days: int) -> datetime:
    return issued_at + timedelta(days=due_days)
