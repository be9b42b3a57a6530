"""A reply Telegram refused for now waits in the outbox as the message it would have been,
even when its context holds domain values that a queued row cannot store."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.telegram.frozen import frozen_reply
from messages.buttons import Verb, encode
from messages.outbox_codec import decode_reply, encode_reply
from messages.render import Renderer
from messages.replies import Option, Reply
from messages.styles import TextStyle
from purchasing.model import Round, RoundStatus

ROUND = Round(
    id=7,
    name="Belanja <Bareng> & Desember",
    opens_at=datetime(2026, 12, 1, 1, 0, tzinfo=UTC),
    closes_at=datetime(2026, 12, 5, 10, 0, tzinfo=UTC),
    status=RoundStatus.OPEN,
    items=(),
)


def catalog_reply() -> Reply:
    order = Option("buttons/my_order_open", {}, encode(Verb.MY_ORDER, ROUND.id))
    return Reply("catalog_search_none", {"round": ROUND, "query": "beras <5>"}, "id", ((order,),))


def test_a_reply_holding_a_round_cannot_wait_in_the_outbox_as_it_is() -> None:
    with pytest.raises(TypeError, match="Round is not a JSON value"):
        encode_reply(catalog_reply())


def test_frozen_it_waits_and_is_sent_as_the_same_text_and_buttons() -> None:
    renderer = Renderer()
    reply = catalog_reply()

    stored = decode_reply(encode_reply(frozen_reply(renderer, reply)))

    html = renderer.render(stored.template, stored.language, stored.context)
    assert html == renderer.render(reply.template, reply.language, reply.context)
    assert "Belanja &lt;Bareng&gt; &amp; Desember" in html and "beras &lt;5&gt;" in html
    (button,) = stored.flat_options
    label = renderer.render_label(button.label, stored.language, button.label_context)
    assert label == renderer.render_label("buttons/my_order_open", "id")
    assert button.payload == f"o:{ROUND.id}"
    plain = renderer.render(stored.template, "id", stored.context, TextStyle.PLAIN)
    assert plain == renderer.render(reply.template, "id", reply.context, TextStyle.PLAIN)
