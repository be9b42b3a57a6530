"""A province's round is exported without holding it whole: its commitments are settled a
group of products at a time, and its audit log is read from the database while the files
are written. The Dinas gets the same bills, orders and change log as if the round had been
read at once."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from bot import exports
from bot.exports import export_outcome, load_round_export, sheet_words
from purchasing.model import Round
from storage.commitment_reads import audit_log
from storage.round_rows import AuditLog
from tests.support.clock import Clock
from tests.support.fixtures.after_close import order_then_close
from tests.support.fixtures.chat import ChatUser
from usecases.rounds import round_outcome
from usecases.supply import confirm_purchase_order

ID = sheet_words("id")
ORDERS = ["GLP-50 6\nIDM-GRG 3\nMKITA-1L 12", "GLP-50 4\nIDM-SOTO 2\nIDM-GRG 5"]


@pytest.fixture
async def shipped_short(admin_reps: list[ChatUser], chat_round: Round, chat_clock: Clock) -> Round:
    """DT and KKPITB order from Bulog and Indofood; the round closes; Bulog ships 7 of the
    10 sacks of sugar, so two coops' bills no longer stand as they did at the close."""
    closed = await order_then_close(admin_reps, ORDERS, chat_round, chat_clock)
    ctx = admin_reps[0].services
    await confirm_purchase_order(ctx, "BULOG", date(2026, 12, 10), {"GLP-50": 7}, "telegram:7001")
    return closed


async def test_settling_one_product_at_a_time_gives_the_round_its_bills_as_they_stand(
    shipped_short: Round, admin_reps: list[ChatUser], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = admin_reps[0].services.db
    monkeypatch.setattr(exports, "PRODUCTS_AT_A_TIME", 1)

    streamed = await export_outcome(db, shipped_short.id)

    assert streamed == await round_outcome(db, shipped_short.id)
    assert {bill.coop_code for bill in streamed.bills} == {"DT", "KKPITB"}
    assert len(streamed.purchase_orders) == 2


async def test_the_change_log_is_read_from_the_database_file_oldest_first_even_once_closed(
    shipped_short: Round, admin_reps: list[ChatUser], tmp_path: Path
) -> None:
    db = admin_reps[0].services.db
    export = await load_round_export(db, shipped_short.id)
    expected = sorted(await audit_log(db, shipped_short.id), key=lambda entry: entry.at)

    assert isinstance(export.audit, AuditLog)
    assert list(export.audit) == expected and len(expected) == 5  # 12 MKITA-1L is over its limit
    await db.close()  # `belanja-bareng export` writes the files after closing the database
    path = export.workbook(tmp_path)
    sheet = load_workbook(path, read_only=True)[ID.sheet_audit]
    products = [row[3] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert products == [entry.product_code for entry in expected]
