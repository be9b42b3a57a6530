"""Replies become what WhatsApp can show: buttons, a list, numbered text, split texts."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.whatsapp.rendering import (
    BODY_LIMIT,
    OutgoingMessage,
    frozen_reply,
    render_reply,
    shorten,
    size,
)
from messages.outbox_codec import decode_reply, encode_reply
from messages.render import Renderer
from messages.replies import Option, Reply

LONG_NAME = "Belanja Bareng Akhir Tahun Koperasi Pesantren"


@pytest.fixture(scope="module")
def renderer() -> Renderer:
    return Renderer()


def broadcast(text: str, *options: Option, language: str = "id") -> Reply:
    return Reply("announce_broadcast", {"text": text}, language, (tuple(options),))


def rounds(count: int) -> list[Option]:
    return [
        Option("buttons/admin_round", {"round_id": i, "name": f"Putaran {i}"}, f"am:{i}")
        for i in range(1, count + 1)
    ]


def test_a_reply_without_options_is_one_text_in_whatsapp_bold(renderer: Renderer) -> None:
    rendered = render_reply(renderer, broadcast("Rapat Kamis <jam 9> & makan"))

    assert rendered.messages == (
        OutgoingMessage("📢 *Pesan dari Dinas*\nRapat Kamis <jam 9> & makan"),
    )
    assert rendered.numbered == ()  # older numbered options no longer count


def test_a_text_longer_than_4096_characters_is_split_at_line_breaks(renderer: Renderer) -> None:
    text = "\n".join(f"Baris {i:04d} " + "x" * 40 for i in range(150))

    rendered = render_reply(renderer, broadcast(text))

    assert len(rendered.messages) == 2
    assert all(size(message.text) <= 4096 for message in rendered.messages)
    assert "\n".join(m.text for m in rendered.messages).endswith("Baris 0149 " + "x" * 40)


def test_up_to_three_options_are_reply_buttons_without_the_private_chat_link(
    renderer: Renderer,
) -> None:
    reply = broadcast(
        "Putaran baru",
        Option("buttons/announce_catalog", payload="k:3:0"),
        Option("buttons/group_open_private", open_private_chat=True),
        Option("buttons/my_order_open", payload="o:3"),
    )

    (message,) = render_reply(renderer, reply).messages

    assert [(b.title, b.payload) for b in message.buttons] == [
        ("Lihat katalog", "k:3:0"),
        ("Pesanan saya", "o:3"),
    ]


def test_a_button_title_over_20_characters_is_shortened_with_an_ellipsis(
    renderer: Renderer,
) -> None:
    option = Option("buttons/admin_round", {"round_id": 12, "name": LONG_NAME}, "am:12")

    (message,) = render_reply(renderer, broadcast("Pilih", option)).messages

    assert message.buttons[0].title == "#12 Belanja Bareng…"  # no space before the "…"


def test_buttons_whose_shortened_titles_collide_go_into_a_list(renderer: Renderer) -> None:
    options = [
        Option("buttons/admin_round", {"round_id": 1, "name": f"{LONG_NAME} {n}"}, f"am:{n}")
        for n in (1, 2)
    ]

    (message,) = render_reply(renderer, broadcast("Pilih", *options)).messages

    assert message.buttons == () and message.list_button == "Pilihan"
    assert [row.description for row in message.rows] == [f"#1 {LONG_NAME} 1", f"#1 {LONG_NAME} 2"]
    assert all(size(row.title) <= 24 for row in message.rows)


def test_four_to_ten_options_are_a_list_message(renderer: Renderer) -> None:
    rendered = render_reply(renderer, broadcast("Pilih putaran", *rounds(10), language="en"))

    (message,) = rendered.messages
    assert message.list_button == "Options"
    assert [row.payload for row in message.rows] == [f"am:{i}" for i in range(1, 11)]
    assert message.rows[0].title == "#1 Putaran 1" and message.rows[0].description is None
    assert rendered.numbered == ()


def test_more_than_ten_options_are_numbered_text_answered_by_number(renderer: Renderer) -> None:
    rendered = render_reply(renderer, broadcast("Pilih putaran", *rounds(12)))

    (message,) = rendered.messages
    assert message.buttons == () and message.list_button is None
    assert "*1*. #1 Putaran 1" in message.text and "*12*. #12 Putaran 12" in message.text
    assert "Balas dengan nomor pilihan Anda" in message.text
    assert rendered.numbered == tuple(f"am:{i}" for i in range(1, 13))


def test_a_body_over_1024_characters_goes_first_and_the_buttons_follow(
    renderer: Renderer,
) -> None:
    text = "\n".join("Baris panjang " + "y" * 50 for _ in range(30))
    reply = broadcast(text, Option("buttons/announce_catalog", payload="k:3:0"))

    first, second = render_reply(renderer, reply).messages

    assert size(first.text) > BODY_LIMIT and first.buttons == ()
    assert second.text == "Pilih salah satu:" and second.buttons[0].payload == "k:3:0"


def test_an_attachment_is_a_document_with_the_text_as_caption(renderer: Renderer) -> None:
    reply = Reply("announce_broadcast", {"text": "Rekap"}, "id", attachment=Path("rekap.xlsx"))

    (message,) = render_reply(renderer, reply).messages

    assert message.document == Path("rekap.xlsx") and "Rekap" in message.text


def test_a_frozen_reply_waits_in_the_outbox_and_renders_the_same(renderer: Renderer) -> None:
    reply = broadcast("Kop <Maju> & Jaya", *rounds(2))

    stored = decode_reply(encode_reply(frozen_reply(renderer, reply)))

    assert render_reply(renderer, stored) == render_reply(renderer, reply)


def products(count: int) -> list[Option]:
    return [
        Option(
            "buttons/catalog_product",
            {"code": f"BRS-{n}", "name": f"Beras {n} kg", "price": 64_000 * n, "unit": "karung"},
            f"p:1:BRS-{n}",
            detail="buttons/catalog_product_price",
        )
        for n in range(1, count + 1)
    ]


def test_a_list_row_shows_the_option_detail_as_its_description(renderer: Renderer) -> None:
    (message,) = render_reply(renderer, broadcast("Katalog", *products(4))).messages

    assert [row.description for row in message.rows] == [
        "Rp 64.000/karung", "Rp 128.000/karung", "Rp 192.000/karung", "Rp 256.000/karung",
    ]  # fmt: skip


def test_a_frozen_reply_keeps_the_option_details(renderer: Renderer) -> None:
    reply = broadcast("Katalog", *products(5))

    stored = decode_reply(encode_reply(frozen_reply(renderer, reply)))

    assert render_reply(renderer, stored) == render_reply(renderer, reply)
    assert render_reply(renderer, stored).messages[0].rows[4].description == "Rp 320.000/karung"


def test_shorten_counts_an_emoji_twice_and_keeps_one_line() -> None:
    assert shorten("🛒 Katalog\nbaru", 20) == "🛒 Katalog baru"
    assert shorten("🛒" * 12, 20) == "🛒" * 9 + "…"
