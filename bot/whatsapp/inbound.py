"""Reading a WhatsApp webhook body: the messages it carries, as plain values.

One POST may carry several entries, changes and messages (Meta batches them), so every
message is read, not only the first. Only messages to our phone number id count
(`values_for`); status updates are read by `bot.whatsapp.statuses`. A text, a pressed
reply button, a chosen list row and a pressed template quick-reply button become an
`InboundMessage`; so does a document or an image (`InboundDocument`: its media id, file
name and hash; the event names the file, `bot.whatsapp.documents` fetches it: a catalog or
statement from an admin, a proof of transfer from a treasurer); any other kind (a sticker)
still counts as the person writing to us (it opens the 24-hour window) but carries nothing
for the handlers.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from handlers.contract.events import ChatKind, IncomingDocument, IncomingEvent

PLATFORM = "whatsapp"
DOCUMENT_WITHOUT_NAME = "dokumen"

Json = Mapping[str, Any]


class MalformedUpdate(ValueError):
    """The body is not a WhatsApp webhook update at all."""


@dataclass(frozen=True, slots=True)
class InboundDocument:
    """A document message's file as Meta describes it (fetched with `media_id`)."""

    name: str
    media_id: str | None = None
    sha256: str | None = None


@dataclass(frozen=True, slots=True)
class InboundMessage:
    message_id: str
    wa_id: str | None
    bsuid: str | None
    parent_bsuid: str | None
    display_name: str
    sent_at: datetime | None
    text: str | None = None
    payload: str | None = None
    document: InboundDocument | None = None

    def event(self, user_id: str) -> IncomingEvent | None:
        """The handlers' event, for the person the bot knows as `user_id` (None: nothing to
        handle, e.g. a photo)."""
        if self.text is None and self.payload is None and self.document is None:
            return None
        document = None if self.document is None else IncomingDocument(self.document.name)
        return IncomingEvent(
            platform=PLATFORM,
            user_id=user_id,
            display_name=self.display_name,
            chat_id=user_id,
            chat_kind=ChatKind.PRIVATE,
            text=self.text,
            payload=self.payload,
            message_id=self.message_id,
            document=document,
        )


def parse_update(body: bytes, phone_number_id: str) -> list[InboundMessage]:
    """Every message in the webhook `body` sent to `phone_number_id`."""
    return messages_in(load_update(body), phone_number_id)


def load_update(body: bytes) -> Json:
    """The webhook `body` read as an update (`MalformedUpdate` when it is none)."""
    try:
        update = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise MalformedUpdate(str(error)) from error
    if not isinstance(update, dict) or not isinstance(update.get("entry"), list):
        raise MalformedUpdate("no entry list")
    return update


def messages_in(update: Json, phone_number_id: str) -> list[InboundMessage]:
    found: list[InboundMessage] = []
    for value in values_for(update, phone_number_id):
        contacts = [c for c in list_of(value, "contacts") if isinstance(c, dict)]
        for message in list_of(value, "messages"):
            if isinstance(message, dict) and message.get("id"):
                found.append(_message(message, contacts))
    return found


def values_for(update: Json, phone_number_id: str) -> Iterator[Json]:
    """The `value` of every "messages" change of `update` for `phone_number_id`."""
    for entry in update["entry"]:
        for change in list_of(entry, "changes"):
            value = change.get("value") if isinstance(change, dict) else None
            if not isinstance(value, dict) or change.get("field") != "messages":
                continue
            metadata = value.get("metadata")
            if isinstance(metadata, dict) and metadata.get("phone_number_id") == phone_number_id:
                yield value


def _message(message: Json, contacts: Sequence[Json]) -> InboundMessage:
    wa_id = _text(message.get("from"))
    bsuid = _text(message.get("from_user_id"))
    contact: Json = next(
        (c for c in contacts if (wa_id and c.get("wa_id") == wa_id) or
         (bsuid and c.get("user_id") == bsuid)),
        contacts[0] if contacts else {},
    )  # fmt: skip
    found = contact.get("profile")
    profile: Json = found if isinstance(found, dict) else {}
    text, payload = _content(message)
    return InboundMessage(
        message_id=str(message["id"]),
        wa_id=wa_id or _text(contact.get("wa_id")),
        bsuid=bsuid or _text(contact.get("user_id")),
        parent_bsuid=_text(message.get("from_parent_user_id") or contact.get("parent_user_id")),
        display_name=_text(profile.get("name")) or _text(profile.get("username")) or "",
        sent_at=_timestamp(message.get("timestamp")),
        text=text,
        payload=payload,
        document=_document(message),
    )


def _document(message: Json) -> InboundDocument | None:
    """The file of a document message (named "dokumen" when the sender's app gave no name),
    or of an image, named "foto-<message id>.jpg" (.png for a PNG): treasurers send the
    transfer receipt as a picture."""
    if message.get("type") == "image":
        suffix = ".png" if _field(message, "image", "mime_type") == "image/png" else ".jpg"
        return InboundDocument(
            name=f"foto-{message['id']}{suffix}",
            media_id=_text(_field(message, "image", "id")),
            sha256=_text(_field(message, "image", "sha256")),
        )
    if message.get("type") != "document":
        return None
    return InboundDocument(
        name=_text(_field(message, "document", "filename")) or DOCUMENT_WITHOUT_NAME,
        media_id=_text(_field(message, "document", "id")),
        sha256=_text(_field(message, "document", "sha256")),
    )


def _content(message: Json) -> tuple[str | None, str | None]:
    """(text, payload) of the message; both None for kinds the handlers do not read."""
    kind = message.get("type")
    if kind == "text":
        return _text(_field(message, "text", "body")), None
    if kind == "interactive":
        interactive = message.get("interactive")
        if isinstance(interactive, dict):
            for reply_kind in ("button_reply", "list_reply"):
                payload = _field(interactive, reply_kind, "id")
                if payload:
                    return None, str(payload)
    if kind == "button":
        payload = _field(message, "button", "payload")
        if payload:
            return None, str(payload)
    return None, None


def _field(data: Json, outer: str, inner: str) -> object:
    value = data.get(outer)
    return value.get(inner) if isinstance(value, dict) else None


def list_of(data: object, key: str) -> list[Any]:
    value = data.get(key) if isinstance(data, dict) else None
    return value if isinstance(value, list) else []


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _timestamp(value: object) -> datetime | None:
    try:
        return datetime.fromtimestamp(int(str(value)), UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return None
