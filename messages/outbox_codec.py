"""A `Reply` as the JSON object stored in an outbox row, and back.

Queued replies are sent later, maybe by another process, so their context must be plain
JSON values (dicts, lists, str, int, float, bool, None). The one exception is datetimes,
which templates format with `wib`: they are stored as `{"$dt": "<ISO 8601>"}` and come back
as aware datetimes. Anything else (a dataclass, a set) is refused when encoding, so a bad
context fails where it is queued, not minutes later in the sender.

A queued reply may ask the sender to attach a file of a round, made when it is sent: the
round's workbook, a coop's bill, a supplier's purchase order (`encode_reply(reply,
attach=FileRequest(...))`; the sender reads it back with `file_request_of`; rows queued
before file requests existed name only `export_round`, the workbook).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any, TypeGuard

from messages.replies import FileKind, FileRequest, Option, Reply

JsonObject = dict[str, Any]
_DATETIME = "$dt"
_EXPORT_ROUND = "export_round"  # written before file requests existed: the workbook
_ATTACH = "attach"


def encode_reply(reply: Reply, *, attach: FileRequest | None = None) -> JsonObject:
    data: JsonObject = {
        "template": reply.template,
        "language": reply.language,
        "context": _encode_mapping(reply.context),
        "options": [[_encode_option(option) for option in row] for row in reply.options],
        "attachment": None if reply.attachment is None else str(reply.attachment),
    }
    if reply.picture:
        data["picture"] = True
    if attach is not None:
        wanted: JsonObject = {
            "kind": attach.kind.value, "round": attach.round_id, "party": attach.party
        }  # fmt: skip
        if attach.supplier:
            wanted["supplier"] = attach.supplier
        data[_ATTACH] = wanted
    return data


def file_request_of(data: Mapping[str, Any]) -> FileRequest | None:
    """The file the sender must make and attach to this queued reply, if any."""
    wanted = data.get(_ATTACH)
    if isinstance(wanted, Mapping):
        try:
            kind, round_id = FileKind(wanted["kind"]), wanted["round"]
        except (KeyError, ValueError):
            return None
        party, supplier = wanted.get("party", ""), wanted.get("supplier", "")
        if _is_int(round_id) and isinstance(party, str) and isinstance(supplier, str):
            return FileRequest(kind, round_id, party, supplier)
        return None
    legacy = data.get(_EXPORT_ROUND)
    return FileRequest(FileKind.WORKBOOK, legacy) if _is_int(legacy) else None


def _is_int(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def decode_reply(data: Mapping[str, Any]) -> Reply:
    """The Reply that `encode_reply` stored; ValueError when `data` is not one."""
    try:
        attachment = data.get("attachment")
        return Reply(
            template=str(data["template"]),
            context=_decode_mapping(data["context"]),
            language=str(data["language"]),
            options=tuple(
                tuple(_decode_option(option) for option in row) for row in data["options"]
            ),
            attachment=None if attachment is None else Path(attachment),
            picture=data.get("picture") is True,
        )
    except (KeyError, TypeError, AttributeError) as error:
        raise ValueError(f"not an encoded reply: {error!r}") from error


def _encode_option(option: Option) -> JsonObject:
    return {
        "label": option.label,
        "label_context": _encode_mapping(option.label_context),
        "payload": option.payload,
        "open_private_chat": option.open_private_chat,
        "detail": option.detail,
    }


def _decode_option(data: Mapping[str, Any]) -> Option:
    return Option(
        label=str(data["label"]),
        label_context=_decode_mapping(data["label_context"]),
        payload=str(data["payload"]),
        open_private_chat=bool(data["open_private_chat"]),
        detail=str(data.get("detail", "")),  # rows queued before details existed lack it
    )


def _encode_mapping(mapping: Mapping[str, object]) -> JsonObject:
    return {str(key): _encode(value) for key, value in mapping.items()}


# A close queues a bill per coop, each with tens of lines: the exact built-in types are told
# apart first (a set lookup), before the isinstance checks that subclasses and datetimes need.
_PLAIN = frozenset({str, int, float, bool, type(None)})


def _encode(value: object) -> Any:
    kind = type(value)
    if kind in _PLAIN:
        return value
    if kind is dict:
        return {str(key): _encode(item) for key, item in value.items()}  # type: ignore[attr-defined]
    if kind is list:
        return [_encode(item) for item in value]  # type: ignore[attr-defined]
    if value is None or isinstance(value, str | bool | int | float):
        return value
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise TypeError(f"naive datetime {value!r} in a queued reply")
        return {_DATETIME: value.isoformat()}
    if isinstance(value, Mapping):
        return _encode_mapping(value)
    if isinstance(value, list | tuple):
        return [_encode(item) for item in value]
    raise TypeError(f"{type(value).__name__} is not a JSON value: build queued contexts plainly")


def _decode_mapping(data: Mapping[str, Any]) -> dict[str, object]:
    return {key: _decode(value) for key, value in data.items()}


def _decode(value: Any) -> object:
    if isinstance(value, dict):
        if set(value) == {_DATETIME}:
            return datetime.fromisoformat(value[_DATETIME])
        return _decode_mapping(value)
    if isinstance(value, list):
        return [_decode(item) for item in value]
    return value
