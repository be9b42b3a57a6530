"""The log of a closed round after its close (`purchasing.after_close_log`), read from the
tables each step writes: supplier_confirmations and bill_changes (migration 0010),
coop_receipts (0011), payment_proofs (0012, 0013, 0015), payments (0009, 0015) and
receipt_photos (0016). SQL only: every row becomes an `AfterCloseStep`, times as aware UTC.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Protocol

from purchasing.after_close_log import AfterCloseStep, StepKind, in_order
from storage.database import Connection, Row
from storage.encoding import from_db_time

_CONFIRMATIONS = (
    "SELECT supplier_code, delivery_on, short_lines, confirmed_by, confirmed_at "
    "FROM supplier_confirmations WHERE round_id = ? ORDER BY confirmed_at, supplier_code"
)
_RECEIPTS = (
    "SELECT coop_code, short_lines, confirmed_by, confirmed_at "
    "FROM coop_receipts WHERE round_id = ? ORDER BY confirmed_at, coop_code"
)
_BILL_CHANGES = (
    "SELECT coop_code, product_code, old_allocated, new_allocated, reason, actor, at "
    "FROM bill_changes WHERE round_id = ? ORDER BY id"
)
_PHOTOS = (
    "SELECT coop_code, file, sent_by, sent_at FROM receipt_photos WHERE round_id = ? ORDER BY id"
)
_PROOFS = (
    "SELECT id, coop_code, supplier_code, status, reason, submitted_by, submitted_at, "
    "handled_by, handled_at FROM payment_proofs WHERE round_id = ? ORDER BY id"
)
_PAYMENTS = (
    "SELECT coop_code, supplier_code, amount, paid_on, description, source, recorded_by, "
    "recorded_at FROM payments WHERE round_id = ? ORDER BY id"
)


async def after_close_steps(conn: Connection, round_id: int) -> list[AfterCloseStep]:
    """Every step taken in the round since its close, oldest first (none: nothing yet)."""
    steps: list[AfterCloseStep] = []
    for sql, read in _READS:
        for row in await conn.fetch_all(sql, (round_id,)):
            steps.extend(read(row))
    return in_order(steps)


def _confirmation(row: Row) -> Iterator[AfterCloseStep]:
    yield AfterCloseStep(
        from_db_time(row["confirmed_at"]), StepKind.SUPPLIER_CONFIRMED, row["supplier_code"],
        row["confirmed_by"], delivery_on=date.fromisoformat(row["delivery_on"]),
        short_lines=int(row["short_lines"]),
    )  # fmt: skip


def _receipt(row: Row) -> Iterator[AfterCloseStep]:
    yield AfterCloseStep(
        from_db_time(row["confirmed_at"]), StepKind.COOP_RECEIVED, row["coop_code"],
        row["confirmed_by"], short_lines=int(row["short_lines"]),
    )  # fmt: skip


def _bill_change(row: Row) -> Iterator[AfterCloseStep]:
    yield AfterCloseStep(
        from_db_time(row["at"]), StepKind.BILL_CHANGED, row["coop_code"], row["actor"],
        product_code=row["product_code"], old=int(row["old_allocated"]),
        new=int(row["new_allocated"]), reason=row["reason"],
    )  # fmt: skip


def _photo(row: Row) -> Iterator[AfterCloseStep]:
    yield AfterCloseStep(
        from_db_time(row["sent_at"]), StepKind.RECEIPT_PHOTO, row["coop_code"], row["sent_by"],
        note=row["file"],
    )  # fmt: skip


def _proof(row: Row) -> Iterator[AfterCloseStep]:
    """Its sending, by the treasurer; and its check, by the admin, once it was checked."""
    yield AfterCloseStep(
        from_db_time(row["submitted_at"]), StepKind.PROOF_SENT, row["coop_code"],
        row["submitted_by"], supplier_code=row["supplier_code"], proof_id=int(row["id"]),
        status=row["status"],
    )  # fmt: skip
    if row["handled_at"] is not None:
        yield AfterCloseStep(
            from_db_time(row["handled_at"]), StepKind.PROOF_HANDLED, row["coop_code"],
            row["handled_by"] or "", supplier_code=row["supplier_code"],
            proof_id=int(row["id"]), status=row["status"], note=row["reason"] or "",
        )  # fmt: skip


def _payment(row: Row) -> Iterator[AfterCloseStep]:
    yield AfterCloseStep(
        from_db_time(row["recorded_at"]), StepKind.PAYMENT, row["coop_code"],
        row["recorded_by"], amount=int(row["amount"]), source=row["source"],
        paid_on=date.fromisoformat(row["paid_on"]), supplier_code=row["supplier_code"],
        note=row["description"],
    )  # fmt: skip


class _RowSteps(Protocol):
    """How one table's rows become steps."""

    def __call__(self, row: Row, /) -> Iterator[AfterCloseStep]: ...


_READS: tuple[tuple[str, _RowSteps], ...] = (
    (_CONFIRMATIONS, _confirmation),
    (_RECEIPTS, _receipt),
    (_BILL_CHANGES, _bill_change),
    (_PHOTOS, _photo),
    (_PROOFS, _proof),
    (_PAYMENTS, _payment),
)
