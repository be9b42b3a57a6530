"""A file sent to the bot: fetched from Telegram for the handlers, then thrown away.

A photo (sent as a picture, not as a file) counts as a file named "foto-<message id>.jpg",
in its largest size: treasurers send the transfer receipt that way.

The size Telegram reports is checked first: a file over
`handlers.admin.catalog_upload.MAX_UPLOAD_BYTES` is never downloaded (the event carries its
name and size, and the handler says it is too big). Any other file is fetched with
`getFile` into a temporary folder that is removed when the `received_document` block ends,
whatever happened inside it.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from pathlib import Path

from telegram import Document, Message, PhotoSize
from telegram.error import BadRequest

from bot.telegram.adapter import event_from_document
from handlers.admin.catalog_upload import MAX_UPLOAD_BYTES
from handlers.contract.events import IncomingDocument, IncomingEvent

# Bots may download at most 20 MB from api.telegram.org; above it getFile says "too big".
TELEGRAM_DOWNLOAD_LIMIT = 20 * 1024 * 1024
UNNAMED = "berkas"
_UNSAFE = re.compile(r"[^\w.-]+")


@asynccontextmanager
async def received_document(
    message: Message, *, fetch: bool = True
) -> AsyncIterator[IncomingEvent | None]:
    """The event for `message` with its document fetched (None: nothing for the handlers).
    Without `fetch` (the sender is no admin) the event names the file but does not hold it."""
    event = event_from_document(message)
    document = message.document or (message.photo[-1] if message.photo else None)
    if event is None or document is None:
        yield None
        return
    name = file_name_of(message)
    if not fetch or (document.file_size or 0) > MAX_UPLOAD_BYTES:
        yield replace(event, document=IncomingDocument(name, document.file_size))
        return
    with tempfile.TemporaryDirectory(prefix="belanja-bareng-upload-") as folder:
        fetched = await _download(document, name, Path(folder) / saved_name(name))
        yield replace(event, document=fetched)


def file_name_of(message: Message) -> str:
    """The name the handlers see for the file of `message` (a photo has none: we give it one)."""
    if message.document is not None:
        return message.document.file_name or UNNAMED
    return f"foto-{message.message_id}.jpg"


async def _download(document: Document | PhotoSize, name: str, target: Path) -> IncomingDocument:
    try:
        telegram_file = await document.get_file()
    except BadRequest as error:
        if "too big" not in error.message.lower():
            raise
        return IncomingDocument(name, max(document.file_size or 0, TELEGRAM_DOWNLOAD_LIMIT))
    saved = await telegram_file.download_to_drive(target)
    return _saved(name, saved)


def _saved(name: str, path: Path) -> IncomingDocument:
    return IncomingDocument(name, path.stat().st_size, path)


def saved_name(name: str) -> str:
    """A file name safe to save under in our folder ("../x y.csv" → "x_y.csv")."""
    safe = _UNSAFE.sub("_", Path(name).name).lstrip(".")[-100:]
    return safe or UNNAMED
