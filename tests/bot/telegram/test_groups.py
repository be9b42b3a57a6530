"""In a group the bot answers only commands meant for it, and says nothing private there."""

from __future__ import annotations

from tests.support.fake_telegram import FakeTelegram


async def test_chatter_and_other_bots_commands_are_ignored_in_a_group(
    fake_telegram: FakeTelegram,
    telegram_bot: str,
) -> None:
    group = fake_telegram.group(-100500, "JUK Bandung")
    siti = fake_telegram.user(3001, "Siti")

    await fake_telegram.send_text(siti, "halo semua, BRS5 10", chat=group)
    await fake_telegram.send_text(siti, "/bantuan@other_bot", chat=group)
    await fake_telegram.send_text(siti, f"/bantuan@{telegram_bot}", chat=group)
    answer = await fake_telegram.wait_for_message(group.id)

    assert answer.text is not None
    assert "Di grup saya hanya mengumumkan putaran" in answer.text
    assert len(fake_telegram.messages_to(group.id)) == 1
    assert fake_telegram.messages_to(siti.id) == []
    assert fake_telegram.errors == []


async def test_a_plain_command_in_a_group_is_answered_in_the_group(
    fake_telegram: FakeTelegram,
    telegram_bot: str,
) -> None:
    group = fake_telegram.group(-100501)
    john = fake_telegram.user(3002, "John", language_code="en")

    await fake_telegram.send_text(john, "/help", chat=group)
    answer = await fake_telegram.wait_for_message(group.id)

    assert answer.text is not None and answer.text.startswith("Belanja Bareng help")
    assert fake_telegram.errors == []
