"""A real `belanja-bareng run` process killed with SIGKILL between an admin's "Lunas" under a
treasurer's proof of transfer and the treasurer's notice, then started again on the same
database: the payment is recorded once and the treasurer hears "Pembayaran diterima" once
(docs/settlement.md, proof of transfer; docs/delivery.md, crashes).

The plug is pulled at a moment the test sees, not after a delay: the fake Bot API holds the
notice's sendMessage open without answering, so when the process dies the verification is
committed, the press is answered, and the notice is on its way but not delivered.
"""

from __future__ import annotations

import dataclasses
import signal
from datetime import UTC, datetime, timedelta
from pathlib import Path

import tests.support.use_case_steps as steps
from messages.buttons import decode
from purchasing.model import Rep
from purchasing.settlement import BillDue
from storage import payments
from storage.database import open_database
from storage.delivery import outbox
from storage.delivery.outbox import DeliveryStatus
from storage.people import reps
from tests.support.bot_process import BotProcess, write_config
from tests.support.fake_telegram import FakeTelegram, SentMessage
from tests.support.fake_telegram.recorder import CallPredicate
from tests.support.fixtures.schedule import queued
from tests.support.storage_builders import seed_open_round

ADMIN, TREASURER = 4242, 5002
PHOTO = b"\xff\xd8\xff\xe0 a photo of a transfer"
PATIENCE = 30.0  # seconds a process may take to start, close its files or answer


def to_chat(chat_id: int, caption: str = "") -> CallPredicate:
    return lambda call: (
        call.ok
        and call.params.get("chat_id") == chat_id
        and caption in str(call.params.get("caption", ""))
    )


def lunas(message: SentMessage) -> str:
    """The callback data of the button that marks the bill paid ("✅ Lunas Rp …")."""
    [data] = [b.callback_data for row in message.buttons for b in row
              if b.text.startswith("✅ Lunas") and b.callback_data]  # fmt: skip
    return data


def paid_notices(fake: FakeTelegram) -> list[SentMessage]:
    return [m for m in fake.messages_to(TREASURER) if "Pembayaran diterima" in (m.text or "")]


async def seed_bill(database: Path) -> BillDue:
    """KOP01's bill of a round closed an hour ago (the process runs on the real clock)."""
    opened = datetime.now(UTC) - timedelta(hours=2)
    closed = opened + timedelta(hours=1)
    async with open_database(database) as db:
        round_ = await seed_open_round(db, now=opened, closes_at=closed)
        await reps.add_rep(db, Rep("telegram", str(TREASURER), "KOP01"), opened)
        await steps.set_commitment(
            db, round_id=round_.id, coop_code="KOP01", product_code="GLP1", quantity=3,
            actor=f"telegram:{TREASURER}", via="telegram", now=opened,
        )  # fmt: skip
        await steps.close_round(db, round_.id, closed)
        [bill] = await payments.bills_due(db, round_.id)
    return bill


async def test_a_bot_killed_between_lunas_and_its_notice_tells_the_treasurer_once_after_restart(
    fake_telegram: FakeTelegram, tmp_path: Path
) -> None:
    database = tmp_path / "bot.sqlite3"
    bill = await seed_bill(database)
    config = write_config(fake_telegram, database, [f"telegram:{ADMIN}"])
    siti, rina = fake_telegram.user(TREASURER, "Siti"), fake_telegram.user(ADMIN, "Rina")

    async with await BotProcess.start(config, fake_telegram, tmp_path / "first.log") as first:
        await fake_telegram.wait_for_call("sendDocument", to_chat(TREASURER), timeout=PATIENCE)
        await fake_telegram.send_photo(siti, PHOTO)
        await fake_telegram.wait_for_message(TREASURER, timeout=PATIENCE)  # proof received
        await fake_telegram.wait_for_call(
            "sendPhoto", to_chat(ADMIN, "Bukti transfer"), timeout=PATIENCE
        )
        [proof] = [m for m in fake_telegram.messages_to(ADMIN) if m.document is not None and
                   m.document.content == PHOTO]  # fmt: skip
        as_shown = dataclasses.replace(proof)  # the admin's app still shows it after the edit
        fake_telegram.fail_next("sendMessage", "timeout")  # the notice: held, never answered
        await fake_telegram.press_button(rina, proof, lunas(proof))
        await fake_telegram.wait_for_call("answerCallbackQuery", timeout=PATIENCE)
        await fake_telegram.log.wait_for_in_flight("sendMessage", PATIENCE)
        assert await first.kill() == -signal.SIGKILL
    [held] = [call for call in fake_telegram.calls_to("sendMessage") if call.status is None]
    assert held.params["chat_id"] == TREASURER
    assert "Pembayaran diterima" in str(held.params["text"])
    assert proof.buttons == [] and paid_notices(fake_telegram) == []

    proof_id = decode(lunas(as_shown)).int_arg(0)
    notice_key = f"payment:proof:{proof_id}:telegram:{TREASURER}"
    async with open_database(database) as db:
        [after_kill] = await payments.bills_due(db, bill.round_id)
        recorded = await payments.recorded_keys(db, [f"proof:{proof_id}"])
        waiting = await queued(db)
    assert after_kill.paid == bill.total and recorded == {f"proof:{proof_id}"}
    assert [(m.dedupe_key, m.attempts) for m in waiting] == [(notice_key, 0)]

    since = fake_telegram.mark()
    async with await BotProcess.start(config, fake_telegram, tmp_path / "second.log") as second:
        notice = await fake_telegram.wait_for_message(TREASURER, timeout=PATIENCE, since=since)
        await fake_telegram.wait_for_call("deleteWebhook", timeout=PATIENCE, since=since)
        await fake_telegram.press_button(rina, as_shown, lunas(as_shown))  # the same button
        refused = await fake_telegram.wait_for_message(ADMIN, timeout=PATIENCE)
        assert await second.stop() == 0, second.log.read_text()

    assert notice.text is not None and "Pembayaran diterima" in notice.text
    assert refused.text is not None and "sudah diterima sebelumnya" in refused.text
    assert paid_notices(fake_telegram) == [notice]
    async with open_database(database) as db:
        [after] = await payments.bills_due(db, bill.round_id)
        statuses = await outbox.statuses_with_prefix(db, "payment:")
        assert await queued(db) == []
    assert after.paid == bill.total and after.balance == 0
    assert list(statuses.values()) == [DeliveryStatus.SENT]
    assert fake_telegram.errors == []
