"""A reply Telegram refused for now, made ready to wait in the outbox.

A handler's context may hold domain values (a `Round`, a `CommitmentChange`) that a queued
row cannot store (`messages.outbox_codec` takes plain JSON values only), so the reply is
rendered first, as Telegram would have shown it, and queued as that text and those labels:
sending it later gives the very message the person would have had at once.
"""

from __future__ import annotations

from messages.render import Renderer
from messages.replies import Option, Reply
from messages.styles import TextStyle

RENDERED = "telegram/rendered"
LABEL = "telegram/label"


def frozen_reply(renderer: Renderer, reply: Reply) -> Reply:
    html = renderer.render(reply.template, reply.language, reply.context, TextStyle.TELEGRAM_HTML)
    options = tuple(
        tuple(
            Option(
                LABEL,
                {"label": renderer.render_label(o.label, reply.language, o.label_context)},
                o.payload,
                o.open_private_chat,
            )
            for o in row
        )
        for row in reply.options
    )
    return Reply(
        RENDERED,
        {"html": html},
        reply.language,
        options,
        attachment=reply.attachment,
        picture=reply.picture,
        replace=reply.replace,
    )
