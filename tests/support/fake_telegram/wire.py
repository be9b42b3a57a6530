"""The Bot API wire format: decoding request parameters and encoding answers.

python-telegram-bot sends every parameter form-encoded as a string (objects such as
`reply_markup` JSON-encoded), switching to multipart when a file is attached. Other clients
send a JSON body. Both end up as one dict of decoded values here.
"""

import json
from dataclasses import dataclass, field

from aiohttp import web

JSON_FIELDS = frozenset(
    {
        "reply_markup",
        "entities",
        "caption_entities",
        "commands",
        "scope",
        "allowed_updates",
        "link_preview_options",
        "reply_parameters",
        "media",
    }
)
INT_FIELDS = frozenset(
    {
        "message_id",
        "offset",
        "limit",
        "timeout",
        "cache_time",
        "max_connections",
        "reply_to_message_id",
        "message_thread_id",
        "user_id",
    }
)
BOOL_FIELDS = frozenset(
    {
        "disable_notification",
        "protect_content",
        "show_alert",
        "drop_pending_updates",
        "disable_web_page_preview",
        "allow_sending_without_reply",
    }
)


@dataclass(frozen=True)
class UploadedFile:
    """A file the bot uploaded in a multipart request."""

    field: str
    filename: str
    content: bytes
    content_type: str


@dataclass(frozen=True)
class ApiRequest:
    """One decoded Bot API request."""

    params: dict[str, object]
    files: dict[str, UploadedFile] = field(default_factory=dict)


class ApiError(Exception):
    """An error answer, raised anywhere while serving a method and sent as Telegram would."""

    def __init__(
        self, status: int, description: str, parameters: dict[str, object] | None = None
    ) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.parameters = parameters

    def payload(self) -> dict[str, object]:
        body: dict[str, object] = {
            "ok": False,
            "error_code": self.status,
            "description": self.description,
        }
        if self.parameters is not None:
            body["parameters"] = self.parameters
        return body


def bad_request(reason: str) -> ApiError:
    return ApiError(400, f"Bad Request: {reason}")


def decode_value(name: str, value: str) -> object:
    """Turn one form value back into the value the caller meant."""
    try:
        if name in JSON_FIELDS:
            return json.loads(value)
        if name in INT_FIELDS or (name == "chat_id" and _looks_like_int(value)):
            return int(value)
    except ValueError as error:
        raise bad_request(f"can't parse {name}") from error
    if name in BOOL_FIELDS:
        return value.lower() in ("true", "1")
    return value


def _looks_like_int(value: str) -> bool:
    return value.lstrip("-").isdigit()


async def read_request(request: web.Request) -> ApiRequest:
    if request.content_type == "application/json":
        body = await request.json()
        if not isinstance(body, dict):
            raise bad_request("request body must be a JSON object")
        return ApiRequest(params=dict(body))
    params: dict[str, object] = {
        name: decode_value(name, value) for name, value in request.query.items()
    }
    files: dict[str, UploadedFile] = {}
    if request.method == "POST" and request.can_read_body:
        for name, value in (await request.post()).items():
            if isinstance(value, str):
                params[name] = decode_value(name, value)
            elif isinstance(value, bytes | bytearray):
                params[name] = decode_value(name, bytes(value).decode("utf-8"))
            else:
                files[name] = UploadedFile(
                    field=name,
                    filename=value.filename,
                    content=value.file.read(),
                    content_type=value.content_type,
                )
    return ApiRequest(params=params, files=files)


def ok_response(result: object) -> web.Response:
    return web.json_response({"ok": True, "result": result})


def error_response(error: ApiError) -> web.Response:
    return web.json_response(error.payload(), status=error.status)
