"""A treasurer sends the photo of a transfer on Telegram (as a file or as a picture); the
Dinas admin sees it as a photo in the chat (sendPhoto) with two buttons, presses Lunas, and
the treasurer hears the bill is paid. `belanja-bareng run` as in production: PTB long-polls
the fake Bot API, the sender empties the outbox."""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import os
import signal
from datetime import timedelta
from pathlib import Path

import pytest

import tests.support.use_case_steps as steps
from bot.cli.context import CliContext
from bot.cli.run_command import run_bot
from bot.config import Admin
from messages.render import Renderer
from purchasing.model import Rep
from storage import payments
from storage.database import open_database
from storage.people import reps
from tests.support.builders import NOW
from tests.support.fake_telegram import FakeTelegram, SentMessage
from tests.support.fake_telegram.recorder import CallPredicate
from tests.support.fixtures.telegram import config_for
from tests.support.storage_builders import seed_open_round

ADMIN, TREASURER = 4242, 5002
PHOTO = b"\xff\xd8\xff\xe0 a photo of a transfer"


def to_chat(chat_id: int, caption: str = "") -> CallPredicate:
    return lambda call: (
        call.ok
        and call.params.get("chat_id") == chat_id
        and caption in str(call.params.get("caption", ""))
    )


def lunas(message: SentMessage) -> str:
    """The label of the button that marks the bill paid ("✅ Lunas Rp …")."""
    [label] = [b.text for row in message.buttons for b in row if b.text.startswith("✅ Lunas")]
    return label


@pytest.mark.parametrize("as_picture", [False, True], ids=["as a file", "as a picture"])
async def test_a_photo_of_the_transfer_reaches_the_admin_who_marks_the_bill_paid(
    fake_telegram: FakeTelegram, tmp_path: Path, as_picture: bool
) -> None:
    database = tmp_path / "bot.sqlite3"
    later = NOW + timedelta(days=3)
    async with open_database(database) as db:
        round_ = await seed_open_round(db, now=NOW)
        await reps.add_rep(db, Rep("telegram", str(TREASURER), "KOP01"), NOW)
        await steps.set_commitment(
            db, round_id=round_.id, coop_code="KOP01", product_code="GLP1", quantity=3,
            actor=f"telegram:{TREASURER}", via="telegram", now=NOW,
        )  # fmt: skip
        await steps.close_round(db, round_.id, later)
        [bill] = await payments.bills_due(db, round_.id)
    config = dataclasses.replace(
        config_for(fake_telegram, database), admins=(Admin("telegram", str(ADMIN)),)
    )
    context = CliContext(config, "id", Renderer(), lambda: later, {})
    siti, rina = fake_telegram.user(TREASURER, "Siti"), fake_telegram.user(ADMIN, "Rina")
    running = asyncio.create_task(run_bot(context, argparse.Namespace()))
    await fake_telegram.wait_for_call("sendDocument", to_chat(TREASURER), since=0)  # the bill

    if as_picture:
        await fake_telegram.send_photo(siti, PHOTO)
    else:
        await fake_telegram.send_document(siti, "bukti.jpg", PHOTO)
    received = await fake_telegram.wait_for_message(TREASURER)
    shown = await fake_telegram.wait_for_call("sendPhoto", to_chat(ADMIN, "Bukti transfer"))
    [proof] = [m for m in fake_telegram.messages_to(ADMIN) if m.document is not None and
               m.document.content == PHOTO]  # fmt: skip
    await fake_telegram.press_button(rina, proof, proof.callback_data_for(lunas(proof)))
    paid = await fake_telegram.wait_for_message(TREASURER)
    await fake_telegram.wait_for_call("deleteWebhook", since=0)  # Ctrl+C is handled from here
    os.kill(os.getpid(), signal.SIGINT)
    await asyncio.wait_for(running, timeout=10)

    assert received.text is not None and "Bukti transfer diterima" in received.text
    assert bill.number in str(shown.params["caption"])
    assert proof.photo  # a picture to look at, not a file to download and open
    assert paid.text is not None and "Pembayaran diterima" in paid.text
    assert proof.text is not None and proof.text.startswith("✅ Pembayaran dicatat")
    assert proof.buttons == [] and proof.document is not None  # the photo stays, no buttons
    async with open_database(database) as db:
        [after] = await payments.bills_due(db, round_.id)
    assert after.paid == bill.total and after.balance == 0
    assert fake_telegram.errors == []
