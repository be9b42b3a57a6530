"""A treasurer's whole round on Telegram: invite → browse → order by buttons → by list → my order.

Everything runs for real: PTB long-polls the fake Bot API, the handlers use a SQLite file.
"""

from __future__ import annotations

import tests.support.use_case_steps as steps
from handlers.contract.services import Services
from storage.commitment_reads import audit_log, commitments_for_coop
from tests.support.builders import NOW, make_coop
from tests.support.fake_telegram import FakeTelegram, FakeUser, SentMessage
from tests.support.fixtures.telegram import bot_running, config_for
from tests.support.storage_builders import seed_open_round
from tests.support.use_case_steps import import_catalog

TRICKY_NAME = "Kop <Maju> & Jaya"


async def test_a_treasurer_joins_browses_and_orders_by_buttons_and_by_a_pasted_list(
    fake_telegram: FakeTelegram,
    bot_services: Services,
) -> None:
    round_ = await seed_open_round(bot_services.db)
    await import_catalog(bot_services.db, coops=[make_coop("KOP01", TRICKY_NAME)])
    invite = await steps.create_invite(bot_services.db, "KOP01", "telegram:4242", NOW)
    siti = fake_telegram.user(6001, "Siti", language_code="id")

    async with bot_running(config_for(fake_telegram, bot_services.db.path), bot_services):
        await fake_telegram.send_text(siti, f"/start {invite.code}")
        welcome = await fake_telegram.wait_for_message(siti.id)
        assert welcome.text is not None and TRICKY_NAME in welcome.text
        assert welcome.raw_text is not None and "Kop &lt;Maju&gt; &amp; Jaya" in welcome.raw_text

        await press(fake_telegram, siti, welcome, "Katalog")
        assert welcome.text is not None and "Beras medium 5 kg" in welcome.text
        await press(fake_telegram, siti, welcome, "BRS5")
        await press(fake_telegram, siti, welcome, "+5")
        await press(fake_telegram, siti, welcome, "+10")
        assert welcome.text is not None and f"Pesanan {TRICKY_NAME}: 15 karung" in welcome.text

        await fake_telegram.send_text(siti, "GLP1 3\nMIE1 2 karton\nKOPI9 4")
        result = await fake_telegram.wait_for_message(siti.id)
        await fake_telegram.send_text(siti, "/pesanan")
        my_order = await fake_telegram.wait_for_message(siti.id)

    assert result.text is not None
    assert "GLP1" in result.text and "0 → 3" in result.text and "KOPI9" in result.text
    assert result.text.startswith(f"Pesanan {TRICKY_NAME} (KOP01) — Putaran {round_.name}\n")
    assert f"Pesanan {TRICKY_NAME} sekarang 3 produk" in result.text
    assert result.raw_text is not None
    assert "<b>Pesanan Kop &lt;Maju&gt; &amp; Jaya</b> (KOP01)" in result.raw_text
    assert my_order.text is not None and my_order.text.startswith(
        f"Pesanan {TRICKY_NAME} (KOP01) — Putaran {round_.name}"
    )
    ordered = await commitments_for_coop(bot_services.db, round_.id, "KOP01")
    assert {c.product_code: c.quantity for c in ordered} == {"BRS5": 15, "GLP1": 3, "MIE1": 2}
    trail = await audit_log(bot_services.db, round_.id, "KOP01")
    assert {entry.actor for entry in trail} == {f"telegram:{siti.id}"}
    assert len(fake_telegram.messages_to(siti.id)) == 3  # welcome (edited in place), result, order
    assert fake_telegram.errors == []


async def press(fake: FakeTelegram, user: FakeUser, message: SentMessage, label: str) -> None:
    """Press the button `label` on `message` and wait until the bot has edited it."""
    edits = len(message.versions)
    await fake.press_button(user, message, message.callback_data_for(label))
    await fake.wait_for_call("answerCallbackQuery")
    assert len(message.versions) == edits + 1, f"{label!r} did not edit the message"


async def test_html_in_a_coop_name_arrives_escaped_and_shown_as_written(
    fake_telegram: FakeTelegram,
    bot_services: Services,
) -> None:
    await import_catalog(bot_services.db, coops=[make_coop("KOP02", "<b>Bold</b> & <i>Co</i>")])
    invite = await steps.create_invite(bot_services.db, "KOP02", "telegram:4242", NOW)
    budi = fake_telegram.user(6002, "Budi")

    async with bot_running(config_for(fake_telegram, bot_services.db.path), bot_services):
        await fake_telegram.send_text(budi, f"/start {invite.code}")
        welcome = await fake_telegram.wait_for_message(budi.id)

    assert welcome.text is not None and "<b>Bold</b> & <i>Co</i> (KOP02)" in welcome.text
    assert welcome.raw_text is not None
    assert "&lt;b&gt;Bold&lt;/b&gt; &amp; &lt;i&gt;Co&lt;/i&gt;" in welcome.raw_text
    assert fake_telegram.errors == []
