"""Webhook calls as Meta makes them: update bodies, their signature, and the HTTP POST.

`FakeUser` plays one WhatsApp user: `text`, `press` (a reply button or a list row),
`quick_reply` (a template's button) and `document` (a file kept in `FakeMedia`) build the
update body Meta would post; `post` sends it
for real to the bot's webhook on 127.0.0.1, signed with the app secret (or not, or wrongly).
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import aiohttp

from tests.support.fake_graph.api import DISPLAY_PHONE_NUMBER, PHONE_NUMBER_ID
from tests.support.fake_graph.media import StoredMedia

APP_SECRET = "fake-app-secret"
VERIFY_TOKEN = "fake-verify-token"
_message_ids = itertools.count(1)


def sign(body: bytes, secret: str = APP_SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def update_body(*values: dict[str, Any]) -> bytes:
    """A webhook body with one change per value (Meta may batch several)."""
    changes = [{"field": "messages", "value": value} for value in values]
    return json.dumps(
        {"object": "whatsapp_business_account", "entry": [{"id": "WABA1", "changes": changes}]}
    ).encode()


@dataclass
class FakeUser:
    wa_id: str | None
    name: str
    bsuid: str | None = None
    phone_number_id: str = PHONE_NUMBER_ID
    sent_ids: list[str] = field(default_factory=list)

    def text(self, text: str, at: datetime | None = None) -> dict[str, Any]:
        return self._value({"type": "text", "text": {"body": text}}, at)

    def press(self, payload: str, *, as_list_row: bool = False) -> dict[str, Any]:
        kind = "list_reply" if as_list_row else "button_reply"
        interactive = {"type": kind, kind: {"id": payload, "title": "…"}}
        return self._value({"type": "interactive", "interactive": interactive}, None)

    def quick_reply(self, payload: str) -> dict[str, Any]:
        return self._value({"type": "button", "button": {"payload": payload, "text": "…"}}, None)

    def document(
        self, media: StoredMedia, filename: str, *, sha256: str | None = None
    ) -> dict[str, Any]:
        """Send the stored file `media` as `filename`; `sha256` replaces its true hash."""
        document = {
            "id": media.id,
            "filename": filename,
            "mime_type": media.mime_type,
            "sha256": media.sha256_base64 if sha256 is None else sha256,
        }
        return self._value({"type": "document", "document": document}, None)

    def image(self, media: StoredMedia) -> dict[str, Any]:
        """Send the stored picture `media` (as the camera or gallery sends it: no file name)."""
        image = {"id": media.id, "mime_type": media.mime_type, "sha256": media.sha256_base64}
        return self._value({"type": "image", "image": image}, None)

    def _value(self, content: dict[str, Any], at: datetime | None) -> dict[str, Any]:
        message_id = f"wamid.in{next(_message_ids)}"
        self.sent_ids.append(message_id)
        message: dict[str, Any] = {"id": message_id, **content}
        if at is not None:  # without one the bot takes its own clock's time
            message["timestamp"] = str(int(at.timestamp()))
        contact: dict[str, Any] = {"profile": {"name": self.name}}
        if self.wa_id:
            message["from"] = contact["wa_id"] = self.wa_id
        if self.bsuid:
            message["from_user_id"] = contact["user_id"] = self.bsuid
        return {
            "messaging_product": "whatsapp",
            "metadata": {
                "display_phone_number": DISPLAY_PHONE_NUMBER,
                "phone_number_id": self.phone_number_id,
            },
            "contacts": [contact],
            "messages": [message],
        }


async def post(
    url: str, body: bytes, *, signature: str | None = "valid", secret: str = APP_SECRET
) -> tuple[int, str]:
    """POST `body` to the webhook; `signature` "valid" signs it, None sends none, any other
    text is sent as the header as is. The answer's status and text."""
    headers = {"Content-Type": "application/json"}
    if signature == "valid":
        headers["X-Hub-Signature-256"] = sign(body, secret)
    elif signature is not None:
        headers["X-Hub-Signature-256"] = signature
    async with (
        aiohttp.ClientSession() as session,
        session.post(url, data=body, headers=headers) as response,
    ):
        return response.status, await response.text()


async def get(url: str, params: dict[str, str]) -> tuple[int, str]:
    async with aiohttp.ClientSession() as session, session.get(url, params=params) as response:
        return response.status, await response.text()
