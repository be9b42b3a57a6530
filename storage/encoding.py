"""How values are written to and read from SQLite columns.

Times are stored as ISO-8601 text in UTC with a fixed width (always microseconds and
`+00:00`), so comparing the text in SQL compares the instants. JSON columns hold objects.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

JsonObject = dict[str, Any]


def to_db_time(moment: datetime) -> str:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"naive datetime {moment!r}: use timezone-aware UTC datetimes")
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def from_db_time(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo is UTC else moment.astimezone(UTC)


def optional_time(text: str | None) -> datetime | None:
    return None if text is None else from_db_time(text)


def optional_db_time(moment: datetime | None) -> str | None:
    return None if moment is None else to_db_time(moment)


def dump_json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


_AS_BUILT = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def dump_json_as_built(value: object) -> str:
    """`dump_json` with each object's keys in the order it has them, not sorted (the same
    value once read back): for JSON text made of pieces encoded apart and joined, which
    sorting would interleave (a close's bills, `usecases.notices.summary_contexts`). One
    encoder for every call, not one made per call as `json.dumps` makes it."""
    return _AS_BUILT.encode(value)


def load_json_object(text: str) -> JsonObject:
    value = json.loads(text)
    if not isinstance(value, dict):
        raise ValueError(f"expected a JSON object, got {type(value).__name__}")
    return value
