"""A treasurer sends a photo of the transfer; the Dinas sees it with two buttons and verifies
it (or part of it, or rejects it); the treasurer is told; a second press changes nothing."""

from __future__ import annotations

import asyncio
import os
from dataclasses import replace
from datetime import datetime, time, timedelta
from pathlib import Path

import pytest

import tests.support.use_case_steps as steps
from handlers.admin.catalog_upload import MAX_UPLOAD_BYTES
from handlers.contract.events import ChatKind, IncomingDocument, IncomingEvent
from handlers.router import handle
from messages.outbox_codec import decode_reply
from messages.replies import Reply
from purchasing.model import Round
from purchasing.times import WIB
from storage import payments
from storage.delivery import outbox
from tests.support.clock import Clock
from tests.support.fixtures.chat import ChatUser, render_reply

TOTAL = 6 * 870_000  # GLP-50 × 6 at the first tier


async def send_file(user: ChatUser, path: Path) -> tuple[list[Reply], str]:
    replies = await handle(user.services, await file_event(user, path))
    return replies, "\n".join(render_reply(user.renderer, reply) for reply in replies)


async def file_event(user: ChatUser, path: Path) -> IncomingEvent:
    size = await asyncio.to_thread(os.path.getsize, path)
    return IncomingEvent(
        platform=user.platform, user_id=user.user_id, display_name=user.display_name,
        chat_id=user.user_id, chat_kind=ChatKind.PRIVATE, language_hint="id",
        document=IncomingDocument(path.name, size, path), message_id="77",
    )  # fmt: skip


@pytest.fixture
async def closed(chat_treasurer: ChatUser, chat_round: Round, chat_clock: Clock) -> Round:
    await chat_treasurer.send("GLP-50 6")
    chat_clock.advance(timedelta(days=4))
    await steps.close_round(chat_treasurer.services.db, chat_round.id, chat_clock())
    return chat_round


@pytest.fixture
def photo(tmp_path: Path) -> Path:
    path = tmp_path / "sent" / "bukti transfer.jpg"
    path.parent.mkdir()
    path.write_bytes(b"\xff\xd8\xff\xe0 a photo of a transfer of Rp 5.220.000")
    return path


async def paid(user: ChatUser, round_: Round) -> int:
    [bill] = await payments.bills_due(user.services.db, round_.id)
    return bill.paid


async def test_the_dinas_verifies_a_photo_of_the_transfer_with_one_press(
    chat_treasurer: ChatUser, chat_admin: ChatUser, closed: Round, photo: Path, chat_clock: Clock
) -> None:
    db = chat_admin.services.db
    replies, text = await send_file(chat_treasurer, photo)
    again, _ = await send_file(chat_treasurer, photo)
    [shown] = [
        m for m in await outbox.due_messages(db, chat_clock()) if m.kind == "payment_proof_received"
    ]
    notice = decode_reply(shown.payload)
    accept = notice.options[0][0].payload

    verified = await chat_admin.press(accept)
    pressed_again = await chat_admin.press(accept)

    assert [r.template for r in replies + again] == ["proof_received", "proof_again"]
    assert f"TG-{closed.id:03d}-DT" in text and "sisa Rp 5.220.000" in text
    assert notice.attachment is not None and notice.attachment.is_file()
    assert notice.attachment.parent.name == "bukti" and notice.attachment.suffix == ".jpg"
    assert notice.picture  # the admin sees the photo itself in the chat, not a file to open
    assert [r.template for r in verified] == ["admin_proof_verified"]
    assert [r.template for r in pressed_again] == ["errors/proof_handled"]
    assert await paid(chat_admin, closed) == TOTAL
    [told] = [
        m for m in await outbox.due_messages(db, chat_clock()) if m.kind == "payment_received"
    ]
    assert told.chat_id == chat_treasurer.user_id
    assert decode_reply(told.payload).context["balance"] == 0


async def test_a_part_payment_is_typed_and_a_wrong_proof_is_rejected(
    chat_treasurer: ChatUser, chat_admin: ChatUser, closed: Round, photo: Path, tmp_path: Path
) -> None:
    await send_file(chat_treasurer, photo)
    part = await chat_admin.send("/verifikasi 1 2.000.000")
    second = tmp_path / "sent" / "bukti2.pdf"
    second.write_bytes(b"%PDF-1.4 another transfer")
    await send_file(chat_treasurer, second)
    rejected = await chat_admin.press("pr:2")
    bad_amount = await chat_admin.send("/verifikasi 2 dua juta")
    third = tmp_path / "sent" / "bukti3.png"
    third.write_bytes(b"\x89PNG a third transfer")
    await send_file(chat_treasurer, third)
    too_much = await chat_admin.send("/verifikasi 3 9.000.000")  # 3.220.000 is left
    no_number = await chat_admin.send("/tolak nominal tidak terbaca")
    refused = await chat_admin.send("/tolak 3 nominal <tidak> terbaca")

    assert [r.template for r in part + rejected] == ["admin_proof_verified", "admin_proof_rejected"]
    assert "sisa Rp 3.220.000" in render_reply(chat_admin.renderer, part[0])
    assert [r.template for r in bad_amount] == ["errors/amount_invalid"]
    assert [r.template for r in too_much] == ["errors/amount_over_balance"]
    assert [r.template for r in no_number + refused] == [
        "admin_reject_usage",
        "admin_proof_rejected",
    ]
    db = chat_admin.services.db
    [told] = [
        m for m in await outbox.due_messages(db, chat_admin.services.now())
        if m.kind == "payment_proof_rejected" and m.dedupe_key.startswith("proof_rejected:3")
    ]  # fmt: skip
    assert decode_reply(told.payload).context["reason"] == "nominal <tidak> terbaca"
    assert await paid(chat_admin, closed) == 2_000_000
    shown = {
        m.dedupe_key.split(":")[1]: decode_reply(m.payload)
        for m in await outbox.due_messages(db, chat_admin.services.now())
        if m.kind == "payment_proof_received"
    }
    # The PDF stays a file to open; the JPG and the PNG are shown as pictures.
    assert {proof: notice.picture for proof, notice in shown.items()} == {
        "1": True, "2": False, "3": True,
    }  # fmt: skip


async def test_a_proof_that_is_no_photo_or_pdf_or_from_a_coop_owing_nothing_is_refused(
    chat_treasurer: ChatUser, chat_admin: ChatUser, chat_round: Round, tmp_path: Path, photo: Path
) -> None:
    word = tmp_path / "sent" / "bukti.docx"
    word.write_bytes(b"PK not a photo")

    wrong, wrong_text = await send_file(chat_treasurer, word)
    nothing_owed, _ = await send_file(chat_treasurer, photo)  # no round has closed yet
    huge = replace(
        await file_event(chat_treasurer, photo),
        document=IncomingDocument("scan.pdf", MAX_UPLOAD_BYTES + 1),
    )  # announced too big: never fetched, no path
    too_big = await handle(chat_treasurer.services, huge)

    assert [r.template for r in wrong] == ["errors/proof_wrong_type"]
    assert "Kirim foto (JPG atau PNG) atau PDF" in wrong_text
    assert [r.template for r in nothing_owed] == ["errors/no_bill_to_pay"]
    assert [r.template for r in too_big] == ["errors/proof_too_big"]
    assert not (chat_admin.services.db.path.parent / "bukti").exists()


async def test_bayar_says_what_is_left_the_number_to_write_and_how_to_send_the_proof(
    chat_treasurer: ChatUser, chat_round: Round, chat_clock: Clock
) -> None:
    before = await chat_treasurer.send("/bayar")  # the round is still open: nothing to pay
    assert "tidak ada yang perlu dibayar sekarang" in chat_treasurer.last_text
    assert "bukti transfer tidak dicatat" not in chat_treasurer.last_text
    await chat_treasurer.send("GLP-50 6")
    chat_clock.advance(timedelta(days=4))
    await steps.close_round(chat_treasurer.services.db, chat_round.id, chat_clock())

    after = await chat_treasurer.send("/bayar")

    assert [r.template for r in before] == ["errors/no_bill_to_pay"]
    [reply] = after
    text = render_reply(chat_treasurer.renderer, reply)
    assert "sisa Rp 5.220.000" in text and f"TG-{chat_round.id:03d}-" in text
    assert "kirim foto atau PDF bukti transfer" in text


async def test_a_proof_verified_early_in_the_morning_is_dated_the_offices_day_not_utcs(
    chat_treasurer: ChatUser, chat_admin: ChatUser, closed: Round, photo: Path, chat_clock: Clock
) -> None:
    await send_file(chat_treasurer, photo)
    db = chat_admin.services.db
    [shown] = [
        m for m in await outbox.due_messages(db, chat_clock()) if m.kind == "payment_proof_received"
    ]
    local = chat_clock().astimezone(WIB)
    morning = datetime.combine(local.date() + timedelta(days=1), time(6, 30), tzinfo=WIB)
    chat_clock.advance(morning - chat_clock())  # 06.30 WIB is still yesterday in UTC

    await chat_admin.press(decode_reply(shown.payload).options[0][0].payload)

    [told] = [
        m for m in await outbox.due_messages(db, chat_clock()) if m.kind == "payment_received"
    ]
    assert decode_reply(told.payload).context["paid_on"] == morning.date().isoformat()
