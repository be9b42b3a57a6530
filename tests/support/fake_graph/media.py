"""Files people send to the business number, as the Graph API hands them out.

A test stores a file (`FakeMedia.add`) and lets a `FakeUser` send it as a document; the
webhook message carries the media id, the file name and the SHA-256 (base64, as in
webhooks). Fetching takes two calls, both with the access token, as at Meta: GET
`/<media id>` answers the media URL, size, type and SHA-256 (hex), and GET on that URL (on
Meta's file host) answers the bytes. `url_requests` and `downloads` record the media ids
asked for, so a test can say a file was never fetched.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
from dataclasses import dataclass, field
from typing import Any

import httpx

MEDIA_HOST = "lookaside.fbsbx.com"


@dataclass(frozen=True, slots=True)
class StoredMedia:
    id: str
    content: bytes
    mime_type: str
    announced_size: int  # what the media URL answer says (Meta's own count, normally)

    @property
    def url(self) -> str:
        return f"https://{MEDIA_HOST}/whatsapp_business/attachments/?mid={self.id}&ext=1&hash=x"

    @property
    def sha256_base64(self) -> str:
        return base64.b64encode(hashlib.sha256(self.content).digest()).decode()

    @property
    def sha256_hex(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


@dataclass
class FakeMedia:
    files: dict[str, StoredMedia] = field(default_factory=dict)
    url_requests: list[str] = field(default_factory=list)
    downloads: list[str] = field(default_factory=list)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(7001))

    def add(
        self, content: bytes, mime_type: str = "text/csv", *, announced_size: int | None = None
    ) -> StoredMedia:
        """Keep `content` as a file a person sent; `announced_size` overrides its size."""
        media_id = str(next(self._ids))
        size = len(content) if announced_size is None else announced_size
        self.files[media_id] = StoredMedia(media_id, content, mime_type, size)
        return self.files[media_id]

    def url_answer(self, media_id: str) -> dict[str, Any] | None:
        """The answer to GET /<media id> (None: no such media)."""
        media = self.files.get(media_id)
        if media is None:
            return None
        self.url_requests.append(media_id)
        return {
            "messaging_product": "whatsapp",
            "url": media.url,
            "mime_type": media.mime_type,
            "sha256": media.sha256_hex,
            "file_size": media.announced_size,
            "id": media.id,
        }

    def content_at(self, url: httpx.URL) -> bytes | None:
        """The bytes a media URL serves (None: no such file)."""
        media = self.files.get(url.params.get("mid", ""))
        if media is None or url.path != "/whatsapp_business/attachments/":
            return None
        self.downloads.append(media.id)
        return media.content
