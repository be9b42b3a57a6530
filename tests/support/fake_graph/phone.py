"""`Phone`: one person's WhatsApp in a story against the running bot and `FakeGraph`.

A story reads like people using their phones: `write` a message, `tap` a button of a
message they got (a reply button or a list row, as WhatsApp posts the press), `open` a
template by its quick-reply button, `send_picture`; each answers what arrived in that
person's chat since they last looked (`unread`), so a test never counts messages by index.
What the outbox sends later arrives on `RunningWhatsApp.drain`, and is read with `unread`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from tests.support.fake_graph.api import FakeGraph, Sent
from tests.support.fake_graph.bot import RunningWhatsApp
from tests.support.fake_graph.media import StoredMedia
from tests.support.fake_graph.updates import FakeUser


@dataclass
class Phone:
    user: FakeUser
    bot: RunningWhatsApp
    graph: FakeGraph
    _read: int = 0

    @property
    def chat(self) -> list[Sent]:
        """Every message the bot sent this person, oldest first."""
        return self.graph.messages_to(self.user.wa_id or self.user.bsuid or "")

    def unread(self) -> list[Sent]:
        """The messages that arrived since the last look; they count as read now."""
        chat = self.chat
        new, self._read = chat[self._read :], len(chat)
        return new

    async def write(self, text: str) -> list[Sent]:
        return await self._post(self.user.text(text))

    async def tap(self, message: Sent, title: str) -> list[Sent]:
        """Press the reply button or list row titled `title` under `message`."""
        assert title in message.choices, (title, list(message.choices))
        payload = message.choices[title]
        return await self._post(
            self.user.press(payload, as_list_row=message.interactive_type == "list")
        )

    async def open(self, template: Sent) -> list[Sent]:
        """Press the quick-reply button of the template message `template`."""
        [payload] = [
            parameter["payload"]
            for component in template.template["components"]
            if component["type"] == "button"
            for parameter in component["parameters"]
        ]
        return await self._post(self.user.quick_reply(str(payload)))

    async def send_picture(self, media: StoredMedia) -> list[Sent]:
        return await self._post(self.user.image(media))

    async def _post(self, value: dict[str, Any]) -> list[Sent]:
        status = await self.bot.send(value)
        assert status == 200, status
        return self.unread()


def carrying(messages: Sequence[Sent], title: str) -> Sent:
    """The one message among `messages` with a button or list row titled `title`."""
    found = [message for message in messages if title in message.choices]
    assert len(found) == 1, (title, [list(message.choices) for message in messages])
    return found[0]
