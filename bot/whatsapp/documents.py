"""A file sent to the bot on WhatsApp: fetched from Meta for the handlers, then thrown away.

A document message names its file by a media id. Only an admin's file is fetched (the
caller says so with `fetch`); anyone else's event names the file only, and the handler
refuses it. For an admin, the media URL is asked for first (`WhatsApp.get_media_url`): its
answer gives the size, and a file over `handlers.admin.catalog_upload.MAX_UPLOAD_BYTES` is
never downloaded (the event carries its size; the handler says it is too big). Any other
file is streamed from that URL with the access token (`WhatsApp.stream_media`) into a
temporary folder that is removed when the `received_document` block ends, whatever
happened inside it. The SHA-256 that the message and the media URL give must match the
bytes: a file that does not, or one Meta would not hand out, counts as not fetched (the
handler answers `upload_unavailable`).
"""

from __future__ import annotations

import base64
import hashlib
import logging
import tempfile
from collections.abc import AsyncIterator
from contextlib import aclosing, asynccontextmanager
from dataclasses import replace
from pathlib import Path

import httpx
from pywa_async.client import WhatsApp
from pywa_async.errors import WhatsAppError

from bot.telegram.documents import saved_name
from bot.whatsapp.inbound import InboundDocument
from handlers.admin.catalog_upload import MAX_UPLOAD_BYTES
from handlers.contract.events import IncomingDocument, IncomingEvent

log = logging.getLogger(__name__)


@asynccontextmanager
async def received_document(
    client: WhatsApp, event: IncomingEvent, document: InboundDocument | None, *, fetch: bool
) -> AsyncIterator[IncomingEvent]:
    """`event` with its document fetched when `fetch` (the sender is an admin); as it is
    for any other message."""
    if document is None or not fetch:
        yield event
        return
    with tempfile.TemporaryDirectory(prefix="belanja-bareng-upload-") as folder:
        fetched = await _fetch(client, document, Path(folder) / saved_name(document.name))
        yield replace(event, document=fetched)


async def _fetch(client: WhatsApp, document: InboundDocument, target: Path) -> IncomingDocument:
    name = document.name
    if document.media_id is None:
        return IncomingDocument(name)
    try:
        media = await client.get_media_url(document.media_id)
        if media.file_size > MAX_UPLOAD_BYTES:
            return IncomingDocument(name, media.file_size)
        size, digest = await _download(client, media.url, target)
    except (WhatsAppError, httpx.HTTPError) as error:
        log.warning("the WhatsApp file %r could not be fetched: %s", name, error)
        return IncomingDocument(name)
    if size > MAX_UPLOAD_BYTES:  # more bytes came than the media URL announced
        return IncomingDocument(name, size)
    expected = [given for given in (document.sha256, media.sha256) if given]
    if not all(_same_hash(digest, given) for given in expected):
        log.warning("the WhatsApp file %r does not match its SHA-256; not loaded", name)
        return IncomingDocument(name, size)
    return IncomingDocument(name, size, target)


async def _download(client: WhatsApp, url: str, target: Path) -> tuple[int, bytes]:
    """Save the bytes at `url` to `target`, stopping past the limit: (size, SHA-256)."""
    digest, size = hashlib.sha256(), 0
    with target.open("wb") as file:
        async with aclosing(client.stream_media(url)) as chunks:
            async for chunk in chunks:
                size += len(chunk)
                if size > MAX_UPLOAD_BYTES:
                    break
                digest.update(chunk)
                file.write(chunk)
    return size, digest.digest()


def _same_hash(digest: bytes, given: str) -> bool:
    """Meta writes a SHA-256 as hex in some answers and as base64 in others."""
    text = given.strip()
    return text.lower() == digest.hex() or text == base64.b64encode(digest).decode()
