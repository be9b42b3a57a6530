"""One line of `belanja-bareng doctor`'s report: OK, WARNING or FAILED, the topic, and the
template that says it (cli/doctor/<name>, or a fault's own errors/<key>)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from messages.render import KeyedError


class Status(StrEnum):
    OK = "ok"
    WARNING = "warning"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class Finding:
    """One line of the report: `sentence` is the template that says it, `params` fill it."""

    status: Status
    topic: str
    sentence: str
    params: Mapping[str, object] = field(default_factory=dict)


def ok(topic: str, name: str, **params: object) -> Finding:
    return Finding(Status.OK, topic, f"cli/doctor/{name}", params)


def warning(topic: str, name: str, **params: object) -> Finding:
    return Finding(Status.WARNING, topic, f"cli/doctor/{name}", params)


def failed(topic: str, name: str, **params: object) -> Finding:
    return Finding(Status.FAILED, topic, f"cli/doctor/{name}", params)


def fault(topic: str, error: KeyedError) -> Finding:
    """A failed check told as `run` tells the same fault (errors/<key>)."""
    return Finding(Status.FAILED, topic, f"errors/{error.key}", error.params)
