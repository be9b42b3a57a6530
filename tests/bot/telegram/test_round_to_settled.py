"""A whole round on Telegram, from the first order to `settled`, with `belanja-bareng run` as in
production: PTB long-polls the fake Bot API, the sender empties the outbox.

Bu Ani (DT) orders sugar from Bulog and noodles from Indofood, Pak Dedi (KKPITB) sugar only.
Bu Sari closes the round with its buttons. Bulog can ship 7 of the 10 sacks, tomorrow;
Indofood ships everything, tomorrow too (one tap). Pak Dedi gets 2 of his 3 sacks and says so with
/terima; Bu Ani taps "everything arrived" once both suppliers named their day. Both send a
picture of their transfer, Bu Sari presses "Lunas" under each, and the round is settled.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import os
import signal
from datetime import timedelta
from pathlib import Path

from bot.cli.context import CliContext
from bot.cli.run_command import run_bot
from bot.config import Admin
from messages.render import Renderer
from purchasing.model import Rep, RepRole
from purchasing.settlement import AfterClose
from storage import payments
from storage.database import open_database
from storage.people import reps
from storage.supply import settlement_progress
from tests.support.fake_telegram import FakeTelegram, FakeUser, SentMessage
from tests.support.fixtures.chat import STORY_START as NOW
from tests.support.fixtures.chat import load_examples, open_example_round
from tests.support.fixtures.telegram import config_for

ADMIN, ANI, DEDI, JOKO, LINA = 4242, 5101, 5102, 7001, 7002
SUGAR, NOODLES = 855_000, 122_000  # GLP-50 reached its 10-sack tier; IDM-GRG 5 cartons


async def said(fake: FakeTelegram, chat_id: int, words: str) -> SentMessage:
    """The first message to `chat_id` whose text holds `words` (waiting for it)."""
    return await _first(fake, "sendMessage", "text", chat_id, words)


async def file_to(fake: FakeTelegram, chat_id: int, caption: str) -> SentMessage:
    """The first file sent to `chat_id` whose caption holds `caption` (waiting for it)."""
    return await _first(fake, "sendDocument", "caption", chat_id, caption)


async def photo_to(fake: FakeTelegram, chat_id: int, caption: str) -> SentMessage:
    """The first picture sent to `chat_id` whose caption holds `caption` (waiting for it)."""
    return await _first(fake, "sendPhoto", "caption", chat_id, caption)


async def _first(
    fake: FakeTelegram, method: str, field: str, chat_id: int, words: str
) -> SentMessage:
    call = await fake.wait_for_call(
        method,
        lambda call: (
            call.ok
            and call.params.get("chat_id") == chat_id
            and words in str(call.params.get(field, ""))
        ),
        since=0,
    )
    assert isinstance(call.result, dict)
    message = fake.state.history.find(chat_id, int(call.result["message_id"]))
    assert message is not None
    return message


async def press(fake: FakeTelegram, user: FakeUser, message: SentMessage, data: str) -> None:
    """Press the (first) button of `message` whose callback data starts with `data`."""
    pressed, *_ = [b.callback_data for row in message.buttons for b in row
                   if b.callback_data and b.callback_data.startswith(data)]  # fmt: skip
    await fake.press_button(user, message, pressed)


async def test_a_round_on_telegram_goes_from_orders_to_settled(
    fake_telegram: FakeTelegram, tmp_path: Path
) -> None:
    database = tmp_path / "bot.sqlite3"
    async with open_database(database) as db:
        await load_examples(db)
        round_ = await open_example_round(db, NOW, ["GLP-50", "IDM-GRG"])
        for user_id, party, role in (
            (ANI, "DT", RepRole.TREASURER), (DEDI, "KKPITB", RepRole.TREASURER),
            (JOKO, "BULOG", RepRole.SUPPLIER), (LINA, "INDOFOOD", RepRole.SUPPLIER),
        ):  # fmt: skip
            await reps.add_rep(db, Rep("telegram", str(user_id), party, role), NOW)
    config = dataclasses.replace(
        config_for(fake_telegram, database), admins=(Admin("telegram", str(ADMIN)),)
    )
    today = NOW + timedelta(days=1)  # Wednesday 2 December 2026 in Bandung
    context = CliContext(config, "id", Renderer(), lambda: today, {})
    sari, ani, dedi = (fake_telegram.user(i, n) for i, n in ((ADMIN, "Sari"), (ANI, "Ani"),
                                                             (DEDI, "Dedi")))  # fmt: skip
    joko, lina = fake_telegram.user(JOKO, "Joko"), fake_telegram.user(LINA, "Lina")
    running = asyncio.create_task(run_bot(context, argparse.Namespace()))
    await fake_telegram.wait_until_polling()

    # Ordering, and the close by the admin's buttons.
    await fake_telegram.send_text(ani, "GLP-50 6\nIDM-GRG 5")
    await said(fake_telegram, ANI, "IDM-GRG")
    await fake_telegram.send_text(dedi, "GLP-50 4")
    await said(fake_telegram, DEDI, "GLP-50")
    await fake_telegram.send_text(sari, "/putaran")
    await press(fake_telegram, sari, await said(fake_telegram, ADMIN, "Putaran"), "am:")
    await press(fake_telegram, sari, await said(fake_telegram, ADMIN, "Tutup"), "aq:")
    await press(fake_telegram, sari, await said(fake_telegram, ADMIN, "Tutup <b>Putaran"), "ac:")
    order = await file_to(fake_telegram, JOKO, "")
    indofood_order = await file_to(fake_telegram, LINA, "")

    # The suppliers confirm: Bulog short, tomorrow (typed); Indofood in full, the day after
    # (one tap under its purchase order).
    await fake_telegram.send_text(joko, "/konfirmasi besok\nGLP-50 7")
    confirmed = await said(fake_telegram, JOKO, "dikonfirmasi")
    dedi_revised = await said(fake_telegram, DEDI, "berubah")
    ani_revised = await said(fake_telegram, ANI, "berubah")
    await press(fake_telegram, lina, indofood_order, "sc:")
    await said(fake_telegram, LINA, "dikonfirmasi")
    ani_days = await said(fake_telegram, ANI, "Semua pengiriman Anda")

    # Receipt: one sack of Pak Dedi's three did not arrive; Bu Ani taps the button.
    await fake_telegram.send_text(dedi, "/terima\nGLP-50 2")
    dedi_received = await said(fake_telegram, DEDI, "diterima 2 dari 3")
    await press(fake_telegram, ani, ani_days, "ra:")
    ani_received = await said(fake_telegram, ANI, "semua sesuai pesanan")

    # Payment: a picture of each transfer, "Lunas" under each.
    await fake_telegram.send_photo(ani, b"\xff\xd8\xff\xe0 transfer DT")
    await press(fake_telegram, sari, await photo_to(fake_telegram, ADMIN, "TG-001-DT"), "pa:")
    await said(fake_telegram, ANI, "Pembayaran diterima")
    await fake_telegram.send_photo(dedi, b"\xff\xd8\xff\xe0 transfer KKPITB")
    await press(fake_telegram, sari, await photo_to(fake_telegram, ADMIN, "TG-001-KKPITB"), "pa:")
    await said(fake_telegram, DEDI, "Pembayaran diterima")
    await fake_telegram.send_text(sari, "/putaran")
    await press(fake_telegram, sari, await said(fake_telegram, ADMIN, "Putaran terakhir"), "am:")
    menu = await said(fake_telegram, ADMIN, "Setelah ditutup")
    await fake_telegram.wait_for_call("deleteWebhook", since=0)  # Ctrl+C is handled from here
    os.kill(os.getpid(), signal.SIGINT)
    await asyncio.wait_for(running, timeout=10)

    assert order.document is not None and order.document.filename.endswith("BULOG.pdf")
    assert [b.text for row in order.buttons for b in row] == [
        "✅ Kirim semua besok",
        "✅ Kirim semua lusa",
    ]  # Bulog has a shortage, so Pak Joko types /konfirmasi instead
    assert confirmed.text is not None and "GLP-50: 7 dari 10" in confirmed.text
    assert dedi_revised.text is not None and "4 → 3" in dedi_revised.text
    assert dedi_revised.buttons != []  # all his goods come from Bulog: he can confirm at once
    assert ani_revised.text is not None and "6 → 4" in ani_revised.text
    assert ani_revised.buttons == []  # Indofood had not named its day yet
    assert ani_days.text is not None and "Kamis, 3 Des 2026" in ani_days.text  # tomorrow
    assert dedi_received.text is not None and ani_received.text is not None
    assert menu.text is not None and "Setelah ditutup: lunas" in menu.text
    async with open_database(database) as db:
        progress = await settlement_progress(db, round_.id)
        bills = {b.coop_code: (b.total, b.paid) for b in await payments.bills_due(db, round_.id)}
    assert progress.stage is AfterClose.SETTLED
    assert bills == {"DT": (4 * SUGAR + 5 * NOODLES,) * 2, "KKPITB": (2 * SUGAR,) * 2}
    assert fake_telegram.errors == []
