"""The fake Bot API behaves like Telegram towards the real python-telegram-bot Application."""

import socket
from collections.abc import AsyncIterator
from typing import Any

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import (
    BadRequest,
    EndPointNotFound,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TimedOut,
)
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    ExtBot,
    JobQueue,
    MessageHandler,
    filters,
)

from tests.support.fake_telegram import FakeTelegram
from tests.support.fake_telegram.fixtures import fake_telegram  # noqa: F401 (until conftest imports it)
from tests.support.fake_telegram.html_text import parse_html
from tests.support.fake_telegram.wire import ApiError

BotApp = Application[
    ExtBot[None],
    ContextTypes.DEFAULT_TYPE,
    dict[Any, Any],
    dict[Any, Any],
    dict[Any, Any],
    JobQueue[ContextTypes.DEFAULT_TYPE],
]


class SteppedClock:
    """Monotonic seconds that move only when the test says so."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(autouse=True)
def timedelta_retry_after(monkeypatch: pytest.MonkeyPatch) -> None:
    # PTB 22 warns (an error here) when RetryAfter is built unless this opt-in is set.
    monkeypatch.setenv("PTB_TIMEDELTA", "1")


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.message is not None and update.message.text is not None
    await update.message.reply_text(update.message.text)


async def show_menu(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.message is not None
    keyboard = [[InlineKeyboardButton("Beras 5 kg", callback_data="product:7")]]
    await update.message.reply_text(
        "<b>Pilih produk</b>", parse_mode="HTML", reply_markup=InlineKeyboardMarkup(keyboard)
    )


async def on_press(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None
    await query.answer("Dipilih")
    await query.edit_message_text(f"Anda memilih {query.data}")


@pytest.fixture
async def running_bot(fake_telegram: FakeTelegram) -> AsyncIterator[BotApp]:  # noqa: F811
    app = fake_telegram.application_builder().build()
    app.add_handler(CommandHandler("menu", show_menu))
    app.add_handler(CallbackQueryHandler(on_press))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    assert app.updater is not None
    async with app:
        await app.start()
        await app.updater.start_polling(poll_interval=0, timeout=30)
        yield app
        await app.updater.stop()
        await app.stop()


async def test_a_user_message_is_echoed_back_through_long_polling(
    fake_telegram: FakeTelegram,  # noqa: F811
    running_bot: BotApp,
) -> None:
    siti = fake_telegram.user(501, "Siti")
    await fake_telegram.wait_until_polling()
    await fake_telegram.send_text(siti, "halo bot")

    reply = await fake_telegram.wait_for_message(siti.id, timeout=1.5)

    assert reply.text == "halo bot"
    assert [m.text for m in fake_telegram.chat_history(siti.id)] == ["halo bot", "halo bot"]
    assert fake_telegram.errors == []


async def test_pressing_a_button_is_answered_and_the_message_edited(
    fake_telegram: FakeTelegram,  # noqa: F811
    running_bot: BotApp,
) -> None:
    siti = fake_telegram.user(502, "Siti")
    await fake_telegram.send_text(siti, "/menu")
    menu = await fake_telegram.wait_for_message(siti.id, timeout=1.5)
    assert menu.text == "Pilih produk"
    assert menu.entities == [{"type": "bold", "offset": 0, "length": 12}]

    press = await fake_telegram.press_button(siti, menu, menu.callback_data_for("Beras 5 kg"))
    await fake_telegram.wait_for_call("editMessageText", timeout=1.5)

    assert fake_telegram.callback_answer(press) is not None
    assert fake_telegram.messages_to(siti.id)[0].text == "Anda memilih product:7"
    assert menu.versions[0].text == "Pilih produk"
    assert menu.buttons == []
    assert fake_telegram.errors == []


async def test_malformed_html_is_refused_and_ptb_raises_bad_request(
    fake_telegram: FakeTelegram,  # noqa: F811
    running_bot: BotApp,
) -> None:
    with pytest.raises(BadRequest, match="Can't parse entities"):
        await running_bot.bot.send_message(501, "<b>tebal", parse_mode="HTML")

    [refusal] = fake_telegram.bad_requests
    assert refusal.description == (
        "Bad Request: can't parse entities: Can't find end tag corresponding to start tag \"b\""
    )


async def test_callback_data_longer_than_64_bytes_is_refused(
    fake_telegram: FakeTelegram,  # noqa: F811
    running_bot: BotApp,
) -> None:
    fits = InlineKeyboardButton("ok", callback_data="é" * 32)  # 64 bytes
    too_long = InlineKeyboardButton("no", callback_data="x" * 65)
    await running_bot.bot.send_message(501, "fits", reply_markup=InlineKeyboardMarkup([[fits]]))

    with pytest.raises(BadRequest, match="Button_data_invalid"):
        await running_bot.bot.send_message(
            501, "too long", reply_markup=InlineKeyboardMarkup([[too_long]])
        )
    assert [e.description for e in fake_telegram.errors] == ["Bad Request: BUTTON_DATA_INVALID"]


async def test_flooding_one_chat_surfaces_as_retry_after_until_time_passes() -> None:
    clock = SteppedClock()
    async with FakeTelegram(clock=clock) as fake:
        fake.rate_limits.enable(per_chat_burst=2)
        app = fake.application_builder().build()
        async with app:
            await app.bot.send_message(501, "satu")
            await app.bot.send_message(501, "dua")
            with pytest.raises(RetryAfter) as refused:
                await app.bot.send_message(501, "tiga")
            await app.bot.send_message(502, "other chats are not held back")
            clock.now += 1.0
            await app.bot.send_message(501, "tiga")

    assert refused.value.retry_after.total_seconds() == 1  # type: ignore[union-attr]
    assert fake.too_many_requests == 1
    assert fake.errors[0].description == "Too Many Requests: retry after 1"


async def test_a_group_gets_twenty_messages_a_minute() -> None:
    clock = SteppedClock()
    async with FakeTelegram(clock=clock) as fake:
        fake.rate_limits.enable(per_chat_burst=100)
        app = fake.application_builder().build()
        async with app:
            for n in range(20):
                await app.bot.send_message(-100, f"pesan {n}")
            with pytest.raises(RetryAfter) as refused:
                await app.bot.send_message(-100, "one too many")

    assert refused.value.retry_after.total_seconds() == 3  # type: ignore[union-attr]


async def test_all_chats_together_get_thirty_messages_a_second() -> None:
    clock = SteppedClock()
    async with FakeTelegram(clock=clock) as fake:
        fake.rate_limits.enable()
        app = fake.application_builder().build()
        async with app:
            for chat_id in range(1, 31):
                await app.bot.send_message(chat_id, "pengumuman")
            with pytest.raises(RetryAfter):
                await app.bot.send_message(31, "pengumuman")
            clock.now += 0.1
            await app.bot.send_message(31, "pengumuman")

    assert fake.too_many_requests == 1


async def test_waiting_for_a_reply_that_never_comes_fails_the_test(
    fake_telegram: FakeTelegram,  # noqa: F811
    running_bot: BotApp,
) -> None:
    siti = fake_telegram.user(505, "Siti")
    await fake_telegram.send_text(siti, "/unknown_command")

    with pytest.raises(AssertionError, match="no answered sendMessage call"):
        await fake_telegram.wait_for_message(siti.id, timeout=0.3)


async def test_a_blocked_user_surfaces_as_forbidden(
    fake_telegram: FakeTelegram,  # noqa: F811
    running_bot: BotApp,
) -> None:
    fake_telegram.block_chat(777)

    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await running_bot.bot.send_message(777, "halo")
    await running_bot.bot.send_message(778, "others still get messages")


async def test_planned_faults_hit_only_the_next_call(
    fake_telegram: FakeTelegram,  # noqa: F811
    running_bot: BotApp,
) -> None:
    fake_telegram.fail_next("sendMessage", "server_error")
    fake_telegram.fail_next("sendMessage", "chat_not_found")
    fake_telegram.fail_next("sendMessage", "timeout")
    fake_telegram.fail_next("sendMessage", "blocked")

    with pytest.raises(NetworkError, match="Bad Gateway"):
        await running_bot.bot.send_message(501, "a")
    with pytest.raises(BadRequest, match="Chat not found"):
        await running_bot.bot.send_message(501, "b")
    with pytest.raises(TimedOut):
        await running_bot.bot.send_message(501, "c", read_timeout=0.2)
    with pytest.raises(Forbidden):
        await running_bot.bot.send_message(501, "c")
    await running_bot.bot.send_message(501, "d")

    assert [m.text for m in fake_telegram.messages_to(501)] == ["d"]


async def test_editing_to_the_same_content_is_not_modified(
    fake_telegram: FakeTelegram,  # noqa: F811
    running_bot: BotApp,
) -> None:
    sent = await running_bot.bot.send_message(501, "<i>total</i>", parse_mode="HTML")

    with pytest.raises(BadRequest, match="Message is not modified"):
        await running_bot.bot.edit_message_text(
            "<i>total</i>", chat_id=501, message_id=sent.message_id, parse_mode="HTML"
        )
    with pytest.raises(BadRequest, match="Message to edit not found"):
        await running_bot.bot.edit_message_text("x", chat_id=501, message_id=99)
    edited = await running_bot.bot.edit_message_text(
        "total", chat_id=501, message_id=sent.message_id
    )

    assert not isinstance(edited, bool)
    assert edited.text == "total" and edited.edit_date is not None


async def test_a_document_is_recorded_with_its_name_and_bytes(
    fake_telegram: FakeTelegram,  # noqa: F811
    running_bot: BotApp,
) -> None:
    await running_bot.bot.send_document(501, b"kode,jumlah\n", filename="rekap.csv")

    call = await fake_telegram.wait_for_call("sendDocument", since=0)
    document = call.files["document"]
    assert (document.filename, document.content) == ("rekap.csv", b"kode,jumlah\n")
    assert fake_telegram.messages_to(501)[0].document == document


async def test_command_menus_are_checked_and_kept_per_language(
    fake_telegram: FakeTelegram,  # noqa: F811
    running_bot: BotApp,
) -> None:
    await running_bot.bot.set_my_commands([("pesan", "Pesan barang")], language_code="id")

    with pytest.raises(BadRequest, match="Bot_command_invalid"):
        await running_bot.bot.set_my_commands([("Pesan", "Huruf besar")])
    assert fake_telegram.commands(language_code="id") == [
        {"command": "pesan", "description": "Pesan barang"}
    ]
    assert fake_telegram.commands() == []


async def test_callback_answers_and_keyboards_have_telegrams_limits(
    fake_telegram: FakeTelegram,  # noqa: F811
    running_bot: BotApp,
) -> None:
    row = [InlineKeyboardButton(str(n), callback_data=str(n)) for n in range(9)]
    with pytest.raises(BadRequest, match="Reply markup is too long"):
        await running_bot.bot.send_message(501, "x", reply_markup=InlineKeyboardMarkup([row]))
    with pytest.raises(BadRequest, match="Message_too_long"):
        await running_bot.bot.answer_callback_query("1", text="x" * 201)
    with pytest.raises(BadRequest, match="Query is too old"):
        await running_bot.bot.answer_callback_query("unknown")
    with pytest.raises(BadRequest, match="Message is too long"):
        await running_bot.bot.send_message(501, "x" * 4097)
    await running_bot.bot.send_message(501, "<b>x</b>" + "y" * 4095, parse_mode="HTML")


async def test_a_wrong_token_is_unauthorized_and_an_unknown_method_not_found(
    fake_telegram: FakeTelegram,  # noqa: F811
) -> None:
    impostor = Bot("999:wrong", base_url=fake_telegram.base_url)
    with pytest.raises(InvalidToken, match="rejected by the server"):
        async with impostor:
            pass
    assert [(e.status, e.description) for e in fake_telegram.errors] == [(401, "Unauthorized")]

    async with fake_telegram.application_builder().build() as app:
        with pytest.raises(EndPointNotFound, match="sendTelepathy"):
            await app.bot.do_api_request("sendTelepathy")
    assert fake_telegram.errors[-1].description == "Not Found"


async def test_an_update_posted_to_the_webhook_reaches_the_bot(
    fake_telegram: FakeTelegram,  # noqa: F811
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    app = fake_telegram.application_builder().build()
    app.add_handler(MessageHandler(filters.TEXT, echo))
    assert app.updater is not None
    async with app:
        await app.start()
        await app.updater.start_webhook(
            listen="127.0.0.1",
            port=port,
            url_path="hook",
            webhook_url=f"http://127.0.0.1:{port}/hook",
            secret_token="rahasia",
        )
        siti = fake_telegram.user(503, "Siti")
        status = await fake_telegram.deliver_to_webhook(fake_telegram.text_update(siti, "lewat"))
        reply = await fake_telegram.wait_for_message(siti.id, timeout=1.5)
        await app.updater.stop()
        await app.stop()

    assert status == 200
    assert reply.text == "lewat"
    assert fake_telegram.webhook.secret_token == "rahasia"


async def test_get_updates_forgets_updates_below_the_offset(
    fake_telegram: FakeTelegram,  # noqa: F811
) -> None:
    siti = fake_telegram.user(504, "Siti")
    first = await fake_telegram.send_text(siti, "satu")
    await fake_telegram.send_text(siti, "dua")
    async with fake_telegram.application_builder().build() as app:
        both = await app.bot.get_updates()
        later = await app.bot.get_updates(offset=int(str(first["update_id"])) + 1)

    assert [u.message.text for u in both if u.message] == ["satu", "dua"]
    assert [u.message.text for u in later if u.message] == ["dua"]


@pytest.mark.parametrize(
    ("html", "visible"),
    [
        ("<b>Rp 1.250.000</b> &amp; &lt;ok&gt; &#39;x&#39;", "Rp 1.250.000 & <ok> 'x'"),
        ('<a href="https://x.id/?a=1&amp;b=2">tautan</a>', "tautan"),
        ('<span class="tg-spoiler">rahasia</span>', "rahasia"),
        ("<blockquote><code>kode</code></blockquote> &nbsp;", "kode &nbsp;"),
    ],
)
def test_supported_html_is_shown_without_tags(html: str, visible: str) -> None:
    assert parse_html(html).text == visible


@pytest.mark.parametrize(
    ("html", "reason"),
    [
        ("<p>x</p>", 'Unsupported start tag "p" at byte offset 0'),
        ("a < b", 'Unsupported start tag "" at byte offset 2'),
        ("<b>x</i>", 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        ("é<span>x</span>", 'Tag "span" must have class "tg-spoiler" at byte offset 2'),
        ("<b", "Unclosed start tag at byte offset 0"),
    ],
)
def test_broken_html_is_refused_with_telegrams_reason(html: str, reason: str) -> None:
    with pytest.raises(ApiError) as refused:
        parse_html(html)
    assert refused.value.description == f"Bad Request: can't parse entities: {reason}"
