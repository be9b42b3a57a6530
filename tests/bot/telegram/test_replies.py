"""How replies reach Telegram: long texts split, edits that fail, answers that come too late."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from telegram import Bot

from bot.telegram.adapter import send_replies
from handlers.contract.services import Services
from messages.render import Renderer
from messages.replies import Option, Reply
from tests.support.fake_telegram import FakeTelegram

CHAT = 4001


@pytest.fixture
def renderer(tmp_path: Path) -> Renderer:
    for lang in ("id", "en"):
        (tmp_path / lang / "buttons").mkdir(parents=True)
        (tmp_path / lang / "long.j2").write_text(
            "{% for line in lines %}<b>{{ loop.index }}.</b> {{ line }}\n{% endfor %}"
        )
        (tmp_path / lang / "short.j2").write_text("<i>{{ word }}</i>")
        (tmp_path / lang / "buttons" / "more.j2").write_text("Lagi")
    return Renderer(template_dir=tmp_path)


@pytest.fixture
async def bot(fake_telegram: FakeTelegram) -> AsyncIterator[Bot]:
    async with fake_telegram.application_builder().build() as application:
        yield application.bot


MORE = ((Option("buttons/more", payload="k:1:2"),),)


async def test_a_text_over_4096_characters_arrives_split_at_line_ends(
    fake_telegram: FakeTelegram,
    bot: Bot,
    renderer: Renderer,
) -> None:
    lines = [f"Produk nomor {n} & <kode> {'x' * 40}" for n in range(150)]

    await send_replies(bot, renderer, CHAT, [Reply("long", {"lines": lines}, "id", MORE)])

    sent = fake_telegram.messages_to(CHAT)
    assert len(sent) > 1
    assert all(m.text is not None and len(m.text) <= 4096 for m in sent)
    shown = "\n".join(m.text or "" for m in sent).splitlines()
    assert shown == [f"{n + 1}. {line}" for n, line in enumerate(lines)]
    assert [m.buttons != [] for m in sent] == [False] * (len(sent) - 1) + [True]
    assert sent[-1].buttons[0][0].text == "Lagi"
    assert fake_telegram.errors == []


async def test_a_reply_that_replaces_a_document_is_sent_as_a_new_message(
    fake_telegram: FakeTelegram,
    bot: Bot,
    renderer: Renderer,
) -> None:
    document = await bot.send_document(CHAT, b"kode,jumlah\n", filename="rekap.csv")

    await send_replies(
        bot, renderer, CHAT, [Reply("short", {"word": "baru"}, "id", replace=True)], document
    )

    assert [m.text for m in fake_telegram.messages_to(CHAT)] == [None, "baru"]
    [refusal] = fake_telegram.bad_requests
    assert refusal.description == "Bad Request: there is no text in the message to edit"


async def test_replacing_a_message_by_the_same_content_changes_nothing(
    fake_telegram: FakeTelegram,
    bot: Bot,
    renderer: Renderer,
) -> None:
    same = Reply("short", {"word": "sama"}, "id", replace=True)
    await send_replies(bot, renderer, CHAT, [same])
    [shown] = fake_telegram.messages_to(CHAT)
    pressed = await bot.edit_message_text("lain", chat_id=CHAT, message_id=shown.message_id)
    assert not isinstance(pressed, bool)

    await send_replies(bot, renderer, CHAT, [same], pressed)
    await send_replies(bot, renderer, CHAT, [same], pressed)

    assert [m.text for m in fake_telegram.messages_to(CHAT)] == ["sama"]
    assert [e.description for e in fake_telegram.bad_requests] == [
        "Bad Request: message is not modified: specified new message content and reply markup "
        "are exactly the same as a current content and reply markup of the message"
    ]


async def test_an_attachment_goes_out_as_a_document_with_the_text_as_caption(
    fake_telegram: FakeTelegram,
    bot: Bot,
    renderer: Renderer,
    tmp_path: Path,
) -> None:
    bill = tmp_path / "tagihan-KOP01.csv"
    bill.write_bytes(b"kode,jumlah,harga\nBRS5,12,62000\n")

    await send_replies(
        bot, renderer, CHAT, [Reply("short", {"word": "tagihan"}, "id", attachment=bill)]
    )

    [sent] = fake_telegram.messages_to(CHAT)
    assert sent.document is not None
    assert (sent.document.filename, sent.document.content) == (bill.name, bill.read_bytes())
    assert sent.text == "tagihan" and sent.entities[0]["type"] == "italic"
    assert fake_telegram.errors == []


async def test_a_chart_goes_out_as_a_photo_shown_in_the_chat_with_its_caption(
    fake_telegram: FakeTelegram,
    bot: Bot,
    renderer: Renderer,
    tmp_path: Path,
) -> None:
    chart = tmp_path / "grafik-putaran-1.png"
    chart.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))

    await send_replies(
        bot,
        renderer,
        CHAT,
        [Reply("short", {"word": "kemajuan"}, "id", attachment=chart, picture=True)],
    )

    [sent] = fake_telegram.messages_to(CHAT)
    assert sent.photo and sent.document is not None
    assert sent.document.content == chart.read_bytes()
    assert sent.text == "kemajuan" and sent.entities[0]["type"] == "italic"
    assert fake_telegram.errors == []


async def test_a_button_answered_too_late_still_gets_its_reply(
    fake_telegram: FakeTelegram,
    telegram_bot: str,
) -> None:
    siti = fake_telegram.user(4002, "Siti")
    await fake_telegram.send_text(siti, "/bahasa")
    choice = await fake_telegram.wait_for_message(siti.id)
    late = fake_telegram.button_update(siti, choice, choice.callback_data_for("English"))
    query = late["callback_query"]
    assert isinstance(query, dict)
    query["id"] = "expired-query"

    fake_telegram.mark()
    fake_telegram.state.updates.put(late)
    await fake_telegram.wait_for_call("answerCallbackQuery")
    await fake_telegram.wait_for_call("editMessageText")

    assert choice.text == "OK, I will speak English."
    assert [e.description for e in fake_telegram.errors] == [
        "Bad Request: query is too old and response timeout expired or query ID is invalid"
    ]
    assert fake_telegram.messages_to(siti.id) == [choice]


async def test_a_failure_of_our_own_is_logged_with_ids_and_explained_politely(
    fake_telegram: FakeTelegram,
    telegram_bot: str,
    bot_services: Services,
    caplog: pytest.LogCaptureFixture,
) -> None:
    async with bot_services.db.transaction() as conn:
        await conn.execute("DROP TABLE processed_updates")
    siti = fake_telegram.user(4003, "Siti")

    update = await fake_telegram.send_text(siti, "/bantuan")
    answer = await fake_telegram.wait_for_message(siti.id)

    assert answer.text is not None and answer.text.startswith("Maaf, ada gangguan di sisi kami")
    assert "processed_updates" not in answer.text
    [record] = [r for r in caplog.records if r.name == "bot.telegram.application"]
    assert record.levelno == logging.ERROR
    assert f"update {update['update_id']} (chat 4003, user 4003)" in record.getMessage()
    assert record.exc_info is not None
