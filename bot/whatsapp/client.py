"""Sending through the Cloud API with pywa's async client, in the sender's words.

`whatsapp_client` builds `pywa_async.WhatsApp` for sending only (the webhook is ours, see
`bot.whatsapp.webhook`), talking to the Graph API at the config's `api_url` and
`api_version` (`graph_base_url`): pywa has no setting for another address and always
points its HTTP client at graph.facebook.com, so the client's base URL is set again after
pywa is built. Tests may also hand in an `httpx.AsyncClient` whose transport is a fake
Graph API. `Messenger.send_reply` sends a
`Reply` as free-form messages (inside the 24-hour window) and remembers numbered options;
`send_template` sends an approved template. Failures leave here already translated
(`bot.whatsapp.errors`): `TransientDeliveryError`, `RecipientUnreachable`, `MessageRejected`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

import httpx
from pywa.types.callback import Button, Section, SectionList, SectionRow
from pywa_async.client import WhatsApp
from pywa_async.errors import WhatsAppError
from pywa_async.types.templates import TemplateLanguage

from bot.config import WhatsAppConfig
from bot.delivery.transport import MessageRejected
from bot.whatsapp.errors import delivery_error
from bot.whatsapp.rendering import OutgoingMessage, render_reply
from bot.whatsapp.template_messages import TemplateMessage
from messages.render import Renderer
from messages.replies import Reply
from storage.database import Database
from storage.delivery import whatsapp

GRAPH_TIMEOUT_SECONDS = 10.0
_LANGUAGE_CODES = frozenset(language.value for language in TemplateLanguage)


def whatsapp_client(config: WhatsAppConfig, session: httpx.AsyncClient | None = None) -> WhatsApp:
    """pywa's client for `config`'s number at `config`'s Graph API address and version;
    `session` (default: a new one) carries requests."""
    http = session or httpx.AsyncClient(timeout=GRAPH_TIMEOUT_SECONDS)
    client = WhatsApp(
        phone_id=config.phone_number_id,
        token=str(config.access_token),
        session=http,
        api_version=config.api_version.removeprefix("v"),
        # pywa answers no webhook here: bot.whatsapp.webhook does, checking signatures itself.
        validate_updates=False,
    )
    http.base_url = httpx.URL(graph_base_url(config))  # pywa set graph.facebook.com's
    return client


def graph_base_url(config: WhatsAppConfig) -> str:
    """Where every Graph API path starts: "https://graph.facebook.com/v26.0"."""
    return f"{config.api_url.rstrip('/')}/{config.api_version}"


@contextmanager
def translated() -> Iterator[None]:
    """Raise the sender's exception for a failed Graph API call."""
    try:
        yield
    except (WhatsAppError, httpx.HTTPError) as error:
        raise delivery_error(error) from error


class Messenger:
    def __init__(self, client: WhatsApp, renderer: Renderer, db: Database) -> None:
        self.client = client
        self.renderer = renderer
        self._db = db

    async def send_reply(self, user_id: str, reply: Reply, now: datetime) -> list[str]:
        """Send `reply` as free-form messages; their ids (wamids), in order."""
        rendered = render_reply(self.renderer, reply)
        sent: list[str] = []
        with translated():
            for message in rendered.messages:
                sent.append(await self._send(user_id, message))
        await whatsapp.set_numbered_options(self._db, user_id, list(rendered.numbered), now)
        return sent

    async def send_template(self, user_id: str, template: TemplateMessage) -> str:
        if template.language not in _LANGUAGE_CODES:
            raise MessageRejected(f"template language {template.language!r} is not Meta's")
        with translated():
            sent = await self.client.send_template(
                user_id,
                name=template.name,
                language=TemplateLanguage(template.language),
                params=list(template.components),
            )
        return sent.id

    async def _send(self, to: str, message: OutgoingMessage) -> str:
        if message.document is not None:
            document = await self.client.send_document(
                to, message.document, filename=message.document.name, caption=message.text or None
            )
            return document.id
        if message.buttons:
            buttons = [Button(choice.title, choice.payload) for choice in message.buttons]
            return (await self.client.send_message(to, message.text, buttons=buttons)).id
        if message.list_button is not None:
            rows = [SectionRow(c.title, c.payload, c.description) for c in message.rows]
            section = Section(message.list_button, rows)
            choices = SectionList(button_title=message.list_button, sections=[section])
            return (await self.client.send_message(to, message.text, buttons=choices)).id
        return (await self.client.send_message(to, message.text)).id
