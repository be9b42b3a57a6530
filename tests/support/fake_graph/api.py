"""`FakeGraph`: the WhatsApp Cloud API as a test sees it, behind `httpx.MockTransport`.

The bot's `httpx.AsyncClient` gets this transport (`fake.session()`): every request is
answered here, nothing leaves the process, and a request for anything but the Graph API
at `api_url` (the config's `[whatsapp] api_url`; any version) or Meta's file host fails the
test; `requests` records the path of every Graph API call. `server.served(fake)` serves the
same fake over HTTP on 127.0.0.1 instead. Sent messages are recorded (`sent`,
`messages_to`); what Meta refuses (see rules.py) is answered with Meta's error JSON and
recorded in `refused`. `unreachable = True` makes every call fail like a dead network;
`fail_next(code)` makes the next message fail with that Meta error. Files people send are
kept in `media` (media.py) and served, to the right token only, like Meta's media URLs.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx

from bot.whatsapp.settings import DEFAULT_TEMPLATES, TemplateSpec
from tests.support.fake_graph.media import MEDIA_HOST, FakeMedia
from tests.support.fake_graph.rules import ApprovedTemplate, Refused, check_message

GRAPH_API_URL = "https://graph.facebook.com"
PHONE_NUMBER_ID = "106540352242922"
DISPLAY_PHONE_NUMBER = "+62 812-3456-7890"
ACCESS_TOKEN = "EAAG-fake-token"
THROTTLED = {130429, 131056, 80007, 4}


@dataclass(frozen=True, slots=True)
class Sent:
    to: str
    type: str
    body: Mapping[str, Any]
    id: str = ""  # the wamid the Graph API answered with

    @property
    def text(self) -> str:
        """The text a person reads: the body of a text or interactive message, a caption."""
        if self.type == "text":
            return str(self.body["text"]["body"])
        if self.type == "interactive":
            return str(self.body["interactive"]["body"]["text"])
        if self.type == "document":
            return str(self.body["document"].get("caption") or "")
        return ""

    @property
    def choices(self) -> dict[str, str]:
        """Title → id of the reply buttons or list rows."""
        if self.type != "interactive":
            return {}
        action = self.body["interactive"]["action"]
        if "buttons" in action:
            return {b["reply"]["title"]: b["reply"]["id"] for b in action["buttons"]}
        rows = [row for section in action["sections"] for row in section["rows"]]
        return {row["title"]: row["id"] for row in rows}

    @property
    def interactive_type(self) -> str | None:
        return str(self.body["interactive"]["type"]) if self.type == "interactive" else None

    @property
    def template(self) -> Mapping[str, Any]:
        return self.body["template"] if self.type == "template" else {}


def approved_from(specs: Mapping[str, TemplateSpec]) -> dict[tuple[str, str], ApprovedTemplate]:
    return {
        (spec.name, code): ApprovedTemplate(spec.name, code, len(spec.parameters), spec.quick_reply)
        for spec in specs.values()
        for code in spec.languages.values()
    }


@dataclass
class FakeGraph:
    phone_number_id: str = PHONE_NUMBER_ID
    display_phone_number: str = DISPLAY_PHONE_NUMBER
    token: str = ACCESS_TOKEN
    api_url: str = GRAPH_API_URL
    approved: dict[tuple[str, str], ApprovedTemplate] = field(
        default_factory=lambda: approved_from(DEFAULT_TEMPLATES)
    )
    sent: list[Sent] = field(default_factory=list)
    refused: list[tuple[Mapping[str, Any], int]] = field(default_factory=list)
    uploads: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    media: FakeMedia = field(default_factory=FakeMedia)
    unreachable: bool = False
    _failures: list[int] = field(default_factory=list)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def session(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(transport=httpx.MockTransport(self.handle))

    def fail_next(self, code: int) -> None:
        self._failures.append(code)

    def messages_to(self, to: str) -> list[Sent]:
        return [message for message in self.sent if message.to == to]

    def handle(self, request: httpx.Request) -> httpx.Response:
        if self.unreachable:
            raise httpx.ConnectError("graph.facebook.com unreachable", request=request)
        on_media_host = request.url.host == MEDIA_HOST
        path = [] if on_media_host else self._graph_path(request.url)
        if request.headers.get("Authorization") != f"Bearer {self.token}":
            return _error(401, 190, "Invalid OAuth access token")
        if on_media_host:
            content = self.media.content_at(request.url) if request.method == "GET" else None
            return httpx.Response(404) if content is None else httpx.Response(200, content=content)
        if request.method == "GET" and path == [self.phone_number_id]:
            number = {"id": self.phone_number_id, "display_phone_number": self.display_phone_number}
            return httpx.Response(200, json=number)
        if request.method == "GET" and len(path) == 1:
            media = self.media.url_answer(path[0])
            if media is None:
                return _error(400, 100, f"Object with ID '{path[0]}' does not exist")
            return httpx.Response(200, json=media)
        if request.method == "POST" and path == [self.phone_number_id, "media"]:
            self.uploads.append(f"media-{next(self._ids)}")
            return httpx.Response(200, json={"id": self.uploads[-1]})
        if request.method == "POST" and path == [self.phone_number_id, "messages"]:
            return self._message(json.loads(request.content))
        raise AssertionError(f"unexpected Graph API call {request.method} {request.url}")

    def _graph_path(self, url: httpx.URL) -> list[str]:
        """The parts of `url`'s path after `api_url` and the version ("v21.0")."""
        base = httpx.URL(self.api_url)
        prefix = base.path.rstrip("/") + "/"
        assert (url.scheme, url.host, url.port) == (base.scheme, base.host, base.port), url
        assert url.path.startswith(prefix), url
        version, *path = url.path.removeprefix(prefix).split("/")
        assert re.fullmatch(r"v\d+\.\d+", version), url
        self.requests.append(url.path)
        return path

    def _message(self, body: dict[str, Any]) -> httpx.Response:
        if self._failures:
            code = self._failures.pop(0)
            return _error(429 if code in THROTTLED else 400, code, "planned failure")
        try:
            check_message(body, self.approved)
        except Refused as refusal:
            self.refused.append((body, refusal.code))
            return _error(400, refusal.code, refusal.details)
        to = str(body.get("to") or body.get("recipient"))
        wamid = f"wamid.fake{next(self._ids)}"
        self.sent.append(Sent(to, str(body["type"]), body, wamid))
        answer = {
            "messaging_product": "whatsapp",
            "contacts": [{"input": to, "wa_id": to}],
            "messages": [{"id": wamid}],
        }
        return httpx.Response(200, json=answer)


def _error(status: int, code: int, details: str) -> httpx.Response:
    error = {
        "message": f"(#{code}) {details}",
        "type": "OAuthException",
        "code": code,
        "error_data": {"messaging_product": "whatsapp", "details": details},
        "fbtrace_id": "AfakeTrace",
    }
    return httpx.Response(status, json={"error": error})
