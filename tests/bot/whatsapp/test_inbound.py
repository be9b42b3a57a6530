"""Webhook bodies read into messages: texts, button presses, list choices, template buttons."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.whatsapp.inbound import InboundDocument, MalformedUpdate, parse_update
from handlers.contract.events import ChatKind
from tests.support.fake_graph import PHONE_NUMBER_ID, FakeUser, update_body

SITI = FakeUser("6281234500001", "Bu Siti", bsuid="ID.42")


def test_a_text_becomes_a_private_event_from_the_wa_id() -> None:
    at = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)

    (message,) = parse_update(update_body(SITI.text("BRS5 10", at=at)), PHONE_NUMBER_ID)

    assert (message.wa_id, message.bsuid, message.sent_at) == ("6281234500001", "ID.42", at)
    event = message.event("6281234500001")
    assert event is not None
    assert (event.platform, event.user_id, event.chat_id) == (
        "whatsapp",
        "6281234500001",
        "6281234500001",
    )
    assert (event.chat_kind, event.text, event.payload) == (ChatKind.PRIVATE, "BRS5 10", None)
    assert event.display_name == "Bu Siti" and event.message_id == message.message_id


@pytest.mark.parametrize(
    "value",
    [SITI.press("k:3:0"), SITI.press("k:3:0", as_list_row=True), SITI.quick_reply("k:3:0")],
    ids=["reply button", "list row", "template quick reply"],
)
def test_a_pressed_button_or_chosen_row_carries_its_payload(value: dict[str, object]) -> None:
    (message,) = parse_update(update_body(value), PHONE_NUMBER_ID)

    event = message.event("6281234500001")
    assert event is not None and (event.text, event.payload) == (None, "k:3:0")


def test_a_sticker_opens_the_window_but_gives_the_handlers_nothing() -> None:
    value = SITI.text("x")
    value["messages"][0] = {"id": "wamid.sticker", "type": "sticker", "sticker": {"id": "m1"}}

    (message,) = parse_update(update_body(value), PHONE_NUMBER_ID)

    assert message.event("6281234500001") is None


def test_a_picture_is_a_file_named_after_its_message_for_the_proof_of_payment() -> None:
    value = SITI.text("x")
    picture = {"id": "m1", "mime_type": "image/png", "sha256": "abc="}
    value["messages"][0] = {"id": "wamid.photo", "type": "image", "image": picture}

    (message,) = parse_update(update_body(value), PHONE_NUMBER_ID)

    assert message.document == InboundDocument("foto-wamid.photo.png", "m1", "abc=")
    event = message.event("6281234500001")
    assert event is not None and event.document is not None
    assert event.document.name == "foto-wamid.photo.png"


def test_every_message_of_a_batched_body_is_read_and_other_numbers_are_not() -> None:
    other = FakeUser("6281234500002", "Pak Budi", phone_number_id="999")
    body = update_body(SITI.text("a"), other.text("b"), SITI.text("c"))

    assert [m.text for m in parse_update(body, PHONE_NUMBER_ID)] == ["a", "c"]


@pytest.mark.parametrize("body", [b"{", b"[]", b'{"object": "x"}', b"\xff"])
def test_a_body_that_is_no_update_is_refused(body: bytes) -> None:
    with pytest.raises(MalformedUpdate):
        parse_update(body, PHONE_NUMBER_ID)
