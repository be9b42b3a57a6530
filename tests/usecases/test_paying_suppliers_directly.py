"""Where the coops pay each supplier directly (`[office] payee = "supplier"`), a coop gets
one bill per supplier: its own number, its own total, the supplier's account. Bu Ani (DT)
bought sugar from Bulog and noodles from Indofood, so she has two bills; Pak Dedi (KKPITB)
bought sugar only, so one. Transfers name their bill, a proof is verified against the
supplier the money went to, and the round is settled once all three are paid.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from handlers.contract.events import ChatKind, IncomingDocument, IncomingEvent
from handlers.router import handle
from messages.outbox_codec import decode_reply, file_request_of
from messages.replies import FileKind, FileRequest, Reply
from purchasing.model import Round
from purchasing.settlement import (
    AfterClose,
    MatchKind,
    Payee,
    StatementLine,
    match_credits,
)
from storage import payments
from storage.delivery import outbox
from storage.supply import settlement_progress
from tests.support.clock import Clock
from tests.support.fixtures.after_close import order_then_close
from tests.support.fixtures.chat import ChatUser, render_reply
from usecases.payments import verify_proof
from usecases.reports import payment_discipline

SUGAR, NOODLES = 855_000, 122_000  # GLP-50 reached its 10-sack tier; IDM-GRG 5 cartons
BULOG_ACCOUNT = "BRI 0000-01-000201-30-1 a.n. Perum Bulog Kanwil Jawa Barat"


async def send_file(user: ChatUser, path: Path, size: int) -> tuple[list[Reply], str]:
    """`user` sends the file at `path` (of `size` bytes) in their private chat."""
    event = IncomingEvent(
        platform=user.platform, user_id=user.user_id, display_name=user.display_name,
        chat_id=user.user_id, chat_kind=ChatKind.PRIVATE, language_hint="id",
        document=IncomingDocument(path.name, size, path), message_id="77",
    )  # fmt: skip
    replies = await handle(user.services, event)
    return replies, "\n".join(render_reply(user.renderer, reply) for reply in replies)


@pytest.fixture
async def closed(admin_reps: list[ChatUser], chat_round: Round, chat_clock: Clock) -> Round:
    """DT ordered sugar and noodles, KKPITB sugar; the round closed paying suppliers."""
    orders = ["GLP-50 6\nIDM-GRG 5", "GLP-50 4"]
    return await order_then_close(admin_reps, orders, chat_round, chat_clock, Payee.SUPPLIER)


async def test_each_coop_has_one_bill_per_supplier_with_its_own_number(
    chat_admin: ChatUser, closed: Round, chat_clock: Clock, admin_reps: list[ChatUser]
) -> None:
    bills = await payments.bills_due(chat_admin.services.db, closed.id)
    queued = await outbox.due_messages(chat_admin.services.db, chat_clock())
    to_ani = [m for m in queued if m.chat_id == admin_reps[0].user_id]

    assert {bill.number: bill.total for bill in bills} == {
        "TG-001-DT-BULOG": 6 * SUGAR,
        "TG-001-DT-INDOFOOD": 5 * NOODLES,
        "TG-001-KKPITB-BULOG": 4 * SUGAR,
    }
    [summary] = [decode_reply(m.payload) for m in to_ani if m.kind == "summary_bill"]
    parts = summary.context["supplier_bills"]
    assert isinstance(parts, list)
    assert [(part["number"], part["total"]) for part in parts] == [
        ("TG-001-DT-BULOG", 6 * SUGAR),
        ("TG-001-DT-INDOFOOD", 5 * NOODLES),
    ]
    assert parts[0]["account"] == BULOG_ACCOUNT
    files = [file_request_of(m.payload) for m in to_ani if m.kind == "bill_to_supplier"]
    assert files == [
        FileRequest(FileKind.BILL, closed.id, "DT", "BULOG"),
        FileRequest(FileKind.BILL, closed.id, "DT", "INDOFOOD"),
    ]


async def test_the_treasurer_sees_each_bill_and_where_to_pay_it(
    admin_reps: list[ChatUser], closed: Round
) -> None:
    dt = admin_reps[0]

    how = await dt.send("/bayar")
    how_text = dt.last_text
    bills = await dt.send("/tagihan")
    bills_text = dt.last_text

    assert [reply.template for reply in how] == ["how_to_pay"]
    assert "TG-001-DT-BULOG" in how_text and "TG-001-DT-INDOFOOD" in how_text
    assert [reply.template for reply in bills] == [
        "summary_bill",
        "bill_to_supplier",
        "bill_to_supplier",
    ]
    assert f"rekening {BULOG_ACCOUNT}" in bills_text
    assert f"Rp {5 * 122:,}.000".replace(",", ".") in bills_text


async def test_a_transfer_naming_a_supplier_bill_pays_that_bill_only(
    chat_admin: ChatUser, closed: Round
) -> None:
    bills = await payments.bills_due(chat_admin.services.db, closed.id)
    in_office_style = StatementLine(3, date(2026, 12, 7), "TRSF TG-001-DT", 1_000)
    credit = StatementLine(4, date(2026, 12, 7), "TRSF TG-001-DT-INDOFOOD BU ANI", 5 * NOODLES)

    [unclear, paid] = match_credits([in_office_style, credit], bills)

    # "TG-001-DT" does not say which of Bu Ani's two bills it pays
    assert unclear.kind is MatchKind.NO_SUPPLIER and unclear.bill is None
    assert [bill.number for bill in unclear.candidates] == [
        "TG-001-DT-BULOG", "TG-001-DT-INDOFOOD"
    ]  # fmt: skip
    assert paid.bill is not None and paid.bill.number == "TG-001-DT-INDOFOOD"
    assert paid.bill.settled


async def test_the_admin_verifies_a_proof_against_the_supplier_the_money_went_to(
    chat_admin: ChatUser,
    closed: Round,
    chat_clock: Clock,
    admin_reps: list[ChatUser],
    tmp_path: Path,
) -> None:
    dt = admin_reps[0]
    db = chat_admin.services.db
    photo = tmp_path / "bukti-indofood.jpg"
    content = b"\xff\xd8\xff\xe0 transfer to Indofood Rp 610.000"
    photo.write_bytes(content)
    received, received_text = await send_file(dt, photo, len(content))
    [notice] = [
        decode_reply(m.payload)
        for m in await outbox.due_messages(db, chat_clock())
        if m.kind == "payment_proof_received"
    ]
    proof_id = notice.context["proof_id"]

    forged = await chat_admin.press(f"pa:{proof_id}:UNILEVER")
    verified = await chat_admin.press(f"pa:{proof_id}:INDOFOOD")
    owing = {b.number: b.balance for b in await payments.bills_due(db, closed.id)}

    assert [reply.template for reply in received] == ["proof_received"]
    assert "tagihan pemasok yang menerima transfer itu" in received_text
    assert [option.payload for option in notice.flat_options] == [
        f"pa:{proof_id}:BULOG",
        f"pa:{proof_id}:INDOFOOD",
        f"pr:{proof_id}",
    ]
    assert [reply.template for reply in forged] == ["errors/unknown_proof"]
    assert [reply.template for reply in verified] == ["admin_proof_verified"]
    assert owing == {
        "TG-001-DT-BULOG": 6 * SUGAR,
        "TG-001-DT-INDOFOOD": 0,
        "TG-001-KKPITB-BULOG": 4 * SUGAR,
    }


async def test_a_rejected_proof_names_the_coops_open_bills_not_one_chosen_for_it(
    chat_admin: ChatUser,
    closed: Round,
    chat_clock: Clock,
    admin_reps: list[ChatUser],
    tmp_path: Path,
) -> None:
    dt = admin_reps[0]
    db = chat_admin.services.db
    photo = tmp_path / "bukti-transfer-dt.png"
    photo.write_bytes(b"\x89PNG a blurred transfer")
    await send_file(dt, photo, 25)

    rejected = await chat_admin.send("/tolak 1 nominal tidak terbaca")

    assert [reply.template for reply in rejected] == ["admin_proof_rejected"]
    [told] = [
        decode_reply(m.payload)
        for m in await outbox.due_messages(db, chat_clock())
        if m.kind == "payment_proof_rejected"
    ]
    text = render_reply(dt.renderer, told)
    assert "Bukti transfer Kopontren Daarut Tauhid untuk Putaran Belanja Bareng Desember" in text
    assert "Alasannya: nominal tidak terbaca" in text
    assert "• TG-001-DT-BULOG Perum Bulog Kanwil Jawa Barat: Rp 5.130.000" in text
    assert "• TG-001-DT-INDOFOOD PT Indofood Sukses Makmur" in text
    assert "untuk tagihan TG-001-DT-BULOG" not in text
    assert "nomor tagihan pemasok yang Anda bayar" in text


async def test_a_part_payment_of_a_coop_owing_two_suppliers_names_the_supplier(
    chat_admin: ChatUser,
    closed: Round,
    admin_reps: list[ChatUser],
    tmp_path: Path,
) -> None:
    db = chat_admin.services.db
    photo = tmp_path / "bukti-transfer-dt.png"
    photo.write_bytes(b"\x89PNG a transfer of Rp 100.000")
    await send_file(admin_reps[0], photo, 25)

    unnamed = await chat_admin.send("/verifikasi 1 100.000")
    unnamed_text = chat_admin.last_text
    unpaid = {b.number: b.paid for b in await payments.bills_due(db, closed.id)}
    named = await chat_admin.send("/verifikasi 1 100.000 INDOFOOD")

    assert [reply.template for reply in unnamed] == ["errors/supplier_not_named"]
    assert "tulis kode pemasok yang menerima transfer itu" in unnamed_text
    assert "/verifikasi 1 100.000 BULOG" in unnamed_text
    assert "TG-001-DT-BULOG Perum Bulog Kanwil Jawa Barat (BULOG)" in unnamed_text
    assert "TG-001-DT-INDOFOOD" in unnamed_text
    assert set(unpaid.values()) == {0}
    assert [reply.template for reply in named] == ["admin_proof_verified"]
    paid = {b.number: b.paid for b in await payments.bills_due(db, closed.id)}
    assert paid["TG-001-DT-INDOFOOD"] == 100_000 and paid["TG-001-DT-BULOG"] == 0


async def test_once_bulog_is_paid_an_unnamed_verification_pays_the_one_bill_left(
    chat_admin: ChatUser,
    closed: Round,
    chat_clock: Clock,
    admin_reps: list[ChatUser],
    tmp_path: Path,
) -> None:
    db = chat_admin.services.db
    photo = tmp_path / "bukti-transfer-dt.png"
    photo.write_bytes(b"\x89PNG a transfer of Rp 100.000")
    await send_file(admin_reps[0], photo, 25)  # proof 1, filed while DT owed both
    [bulog] = [b for b in await payments.bills_due(db, closed.id) if b.number.endswith("DT-BULOG")]
    services = replace(chat_admin.services, payee=Payee.SUPPLIER)
    paid_by_another = await payments.add_proof(db, bulog, "lunas.jpg", "x", "t", chat_clock())
    assert paid_by_another is not None
    await verify_proof(services, paid_by_another.id, "telegram:9001", None, "BULOG")

    pressed = await chat_admin.press("pa:1:BULOG")  # the Lunas button shown before
    pressed_text = chat_admin.last_text
    before = {b.number: b.paid for b in await payments.bills_due(db, closed.id)}
    verified = await chat_admin.send("/verifikasi 1 100.000")

    assert [reply.template for reply in pressed] == ["errors/bill_already_paid"]
    assert "TG-001-DT-BULOG sudah lunas" in pressed_text
    assert before["TG-001-DT-INDOFOOD"] == 0 and before["TG-001-DT-BULOG"] == 6 * SUGAR
    assert [reply.template for reply in verified] == ["admin_proof_verified"]
    paid = {b.number: b.paid for b in await payments.bills_due(db, closed.id)}
    assert paid["TG-001-DT-INDOFOOD"] == 100_000 and paid["TG-001-DT-BULOG"] == 6 * SUGAR


async def test_every_supplier_bill_counts_towards_settling_the_round(
    chat_admin: ChatUser, closed: Round, chat_clock: Clock
) -> None:
    db = chat_admin.services.db
    services = replace(chat_admin.services, payee=Payee.SUPPLIER)
    unpaid = await settlement_progress(db, closed.id)
    for bill in await payments.bills_due(db, closed.id):
        sent = f"{bill.number}.jpg"
        proof = await payments.add_proof(db, bill, sent, bill.number, "t", chat_clock())
        assert proof is not None
        await verify_proof(services, proof.id, "telegram:9001", None, bill.supplier_code)
    paid = await settlement_progress(db, closed.id)

    assert (unpaid.bills, unpaid.bills_paid) == (3, 0)
    assert (paid.bills, paid.bills_paid) == (3, 3)
    assert paid.stage is AfterClose.CLOSED  # paid, but not yet confirmed by the suppliers


async def test_the_payments_report_counts_each_supplier_bill(
    chat_admin: ChatUser, closed: Round, chat_clock: Clock
) -> None:
    report = await payment_discipline(chat_admin.services.db, chat_clock(), 7)

    owed = {(coop.code, coop.bills, coop.outstanding, coop.owed) for coop in report.coops}
    assert owed == {("DT", 2, 2, 6 * SUGAR + 5 * NOODLES), ("KKPITB", 1, 1, 4 * SUGAR)}
