"""Queued replies survive the trip through the outbox's JSON unchanged."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from messages.outbox_codec import decode_reply, encode_reply
from messages.replies import Option, Reply
from tests.support.builders import NOW, make_round


def test_a_reply_with_datetimes_nested_values_and_buttons_comes_back_equal() -> None:
    reply = Reply(
        "announce_round_opened",
        {"closes_at": NOW, "lines": [{"at": NOW, "n": 3}, "x", None], "ok": True, "share": 0.5},
        "en",
        (
            (Option("buttons/announce_catalog", {"page": 1}, payload="k:1:0"),),
            (Option("buttons/group_open_private", open_private_chat=True),),
        ),
        attachment=Path("rekap/putaran-1.xlsx"),
    )

    stored = json.loads(json.dumps(encode_reply(reply)))
    back = decode_reply(stored)

    assert back == reply
    closes_at = back.context["closes_at"]
    assert isinstance(closes_at, datetime) and closes_at.utcoffset() is not None


def test_a_context_that_is_not_plain_json_is_refused_when_queued() -> None:
    with pytest.raises(TypeError):
        encode_reply(Reply("announce_progress", {"round": make_round()}, "id"))
    with pytest.raises(TypeError):
        encode_reply(Reply("announce_progress", {"at": datetime(2026, 12, 1, 10)}, "id"))


def test_a_stored_payload_that_is_not_a_reply_is_reported() -> None:
    with pytest.raises(ValueError):
        decode_reply({"template": "x"})
