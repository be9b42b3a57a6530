"""Pak Dedi's sugar came torn: he confirms 3 of his 4 sacks with /terima, taps "send photos"
and sends a picture. The Dinas and Bulog's rep get it; the photo is kept next to the
database; his next file, a transfer, is a proof of payment again."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from handlers.contract.events import ChatKind, IncomingDocument, IncomingEvent
from handlers.router import handle
from messages.outbox_codec import decode_reply
from messages.replies import Reply
from purchasing.model import Rep, RepRole, Round
from storage.delivery import outbox
from storage.people import reps
from tests.support.clock import Clock
from tests.support.fixtures.chat import ChatUser

PHOTO = b"\xff\xd8\xff\xe0 two torn sacks of sugar"


async def send_file(user: ChatUser, path: Path, content: bytes) -> list[Reply]:
    """`user` sends `content` as the file `path` in their private chat."""
    await asyncio.to_thread(path.write_bytes, content)
    event = IncomingEvent(
        platform=user.platform, user_id=user.user_id, display_name=user.display_name,
        chat_id=user.user_id, chat_kind=ChatKind.PRIVATE, language_hint="id",
        document=IncomingDocument(path.name, len(content), path), message_id="88",
    )  # fmt: skip
    return await handle(user.services, event)


@pytest.fixture
async def received_short(
    after_close_sugar: Round, chat_clock: Clock, chat_admin: ChatUser
) -> Round:
    """KKPITB ordered 4 sacks of sugar; Bulog confirms it ships all."""
    db = chat_admin.services.db
    await reps.add_rep(db, Rep("telegram", "7001", "BULOG", RepRole.SUPPLIER), chat_clock())
    bulog = ChatUser(chat_admin.services, chat_admin.renderer, "7001", "Pak Joko")
    await bulog.send("/konfirmasi besok")
    return after_close_sugar


async def test_a_treasurer_sends_a_photo_of_torn_sacks_and_the_dinas_and_bulog_see_it(
    admin_reps: list[ChatUser], received_short: Round, chat_clock: Clock, tmp_path: Path
) -> None:
    kkpitb = admin_reps[1]
    db = kkpitb.services.db
    [receipt] = await kkpitb.send("/terima\nGLP-50 3")
    [tap] = [option.payload for option in receipt.flat_options]

    asked = await kkpitb.press(tap)
    sent = await send_file(kkpitb, tmp_path / "karung sobek.jpg", PHOTO)
    proof = await send_file(kkpitb, tmp_path / "bukti.jpg", b"\xff\xd8 a transfer")
    shown = [
        (m.chat_id, decode_reply(m.payload))
        for m in await outbox.due_messages(db, chat_clock())
        if m.kind == "receipt_photo"
    ]

    assert tap == f"rp:{received_short.id}:KKPITB"
    assert [r.template for r in asked + sent + proof] == [
        "receipt_photo_ask",
        "receipt_photo_received",
        "proof_received",  # asked for one photo: the next file is a transfer again
    ]
    assert sorted(chat_id for chat_id, _ in shown) == ["7001", "9001"]  # Bulog, the Dinas
    [(_, notice), _] = shown
    assert notice.context["products"] == ["Gula pasir kristal putih 50 kg"]
    assert notice.attachment is not None and notice.attachment.read_bytes() == PHOTO
    assert notice.picture  # shown in the chat as a photo, not as a file to download
    assert notice.attachment.parent == db.path.parent / "bukti"


async def test_a_treasurer_who_asked_to_send_a_photo_then_types_bayar_sends_a_transfer(
    admin_reps: list[ChatUser], received_short: Round, chat_clock: Clock, tmp_path: Path
) -> None:
    kkpitb = admin_reps[1]
    [receipt] = await kkpitb.send("/terima\nGLP-50 3")
    await kkpitb.press(receipt.flat_options[0].payload)  # 📷, then changes their mind

    await kkpitb.send("/bayar")
    proof = await send_file(kkpitb, tmp_path / "bukti-transfer.png", b"\x89PNG a transfer")

    assert [r.template for r in proof] == ["proof_received"]
    queued = await outbox.due_messages(kkpitb.services.db, chat_clock())
    assert [m for m in queued if m.kind == "receipt_photo"] == []  # nothing went to Bulog


async def test_a_photo_is_refused_for_a_coop_whose_goods_all_arrived_or_someone_else(
    admin_reps: list[ChatUser], received_short: Round, tmp_path: Path
) -> None:
    dt, kkpitb, _ = admin_reps
    await dt.send("/terima")
    await kkpitb.send("/terima\nGLP-50 3")
    tap_for_dt = f"rp:{received_short.id}:DT"

    stranger = await kkpitb.press(tap_for_dt)
    nothing_short = await dt.press(tap_for_dt)
    photo = await send_file(dt, tmp_path / "foto.jpg", PHOTO)

    assert [r.template for r in stranger] == ["errors/stale_button"]
    assert [r.template for r in nothing_short] == ["receipt_photo_ask"]
    assert [r.template for r in photo] == ["errors/nothing_short_received"]
