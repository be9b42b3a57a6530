"""Stories through the real PTB Application polling the fake Bot API, with a real SQLite file."""

from __future__ import annotations

from handlers.contract.services import Services
from storage.people import preferences
from tests.support.fake_telegram import FakeTelegram


async def test_a_newcomer_asks_for_help_and_gets_it_in_indonesian(
    fake_telegram: FakeTelegram,
    telegram_bot: str,
) -> None:
    siti = fake_telegram.user(1001, "Siti", language_code="id")

    await fake_telegram.send_text(siti, "/bantuan")
    help_message = await fake_telegram.wait_for_message(siti.id)

    assert help_message.text is not None
    assert help_message.text.startswith("Bantuan Belanja Bareng")
    assert "Minta kode undangan ke Dinas" in help_message.text
    assert help_message.entities[0] == {"type": "bold", "offset": 0, "length": 22}
    assert fake_telegram.errors == []


async def test_an_english_user_switches_language_with_a_button_and_the_message_is_edited(
    fake_telegram: FakeTelegram,
    telegram_bot: str,
    bot_services: Services,
) -> None:
    john = fake_telegram.user(1002, "John", language_code="en")
    await fake_telegram.send_text(john, "/bahasa")
    choice = await fake_telegram.wait_for_message(john.id)
    assert choice.text == "Choose a language:"

    press = await fake_telegram.press_button(
        john, choice, choice.callback_data_for("Bahasa Indonesia")
    )
    await fake_telegram.wait_for_call("editMessageText")
    await fake_telegram.wait_for_call("answerCallbackQuery")

    assert [m.text for m in fake_telegram.messages_to(john.id)] == [
        "Baik, saya akan berbahasa Indonesia."
    ]
    assert choice.versions[0].text == "Choose a language:"
    assert choice.buttons == []
    assert fake_telegram.callback_answer(press) is not None
    prefs = await preferences.get_prefs(bot_services.db, "telegram", str(john.id))
    assert prefs.language == "id"
    assert fake_telegram.errors == []


async def test_a_strangers_forged_button_gets_a_polite_answer_and_the_query_is_answered(
    fake_telegram: FakeTelegram,
    telegram_bot: str,
) -> None:
    stranger = fake_telegram.user(1003, "Mallory", language_code="id")
    await fake_telegram.send_text(stranger, "/bahasa")
    choice = await fake_telegram.wait_for_message(stranger.id)
    forged = fake_telegram.button_update(stranger, choice, choice.callback_data_for("English"))
    query = forged["callback_query"]
    assert isinstance(query, dict)
    query["data"] = "q:999:BRS5:+10"

    fake_telegram.mark()
    fake_telegram.state.updates.put(forged)
    answer = await fake_telegram.wait_for_message(stranger.id)
    await fake_telegram.wait_for_call("answerCallbackQuery")

    assert answer.text is not None and answer.text.startswith("Tombol itu sudah tidak berlaku")
    assert fake_telegram.callback_answer(forged) is not None
    assert len(fake_telegram.calls_to("answerCallbackQuery")) == 1
    assert choice.text == "Pilih bahasa:" and choice.versions == []
    assert fake_telegram.errors == []
