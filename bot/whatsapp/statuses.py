"""Reading the "failed" statuses of a webhook update: Meta's word, after it took a message,
that the message could not be delivered after all.

A status names the message by the id the Graph API gave it when we sent it (the wamid),
the recipient (wa_id, or the business-scoped user id) and, in `errors`, Meta's error code
with a title and details. Statuses other than "failed" (sent, delivered, read) are not read.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bot.whatsapp.inbound import Json, list_of, values_for

UNKNOWN_CODE = 0


@dataclass(frozen=True, slots=True)
class FailedStatus:
    wamid: str
    recipient: str
    code: int
    title: str
    details: str

    @property
    def reason(self) -> str:
        """What the outbox row's `last_error` says: "131026: Message undeliverable"."""
        return f"{self.code}: {self.title}" if self.title else str(self.code)


def failed_statuses(update: Json, phone_number_id: str) -> list[FailedStatus]:
    """Every "failed" status in `update` about a message from `phone_number_id`."""
    found: list[FailedStatus] = []
    for value in values_for(update, phone_number_id):
        for status in list_of(value, "statuses"):
            if isinstance(status, dict) and status.get("status") == "failed" and status.get("id"):
                found.append(_failed(status))
    return found


def _failed(status: Json) -> FailedStatus:
    errors = [error for error in list_of(status, "errors") if isinstance(error, dict)]
    error: Mapping[str, object] = errors[0] if errors else {}
    data = error.get("error_data")
    details = data.get("details") if isinstance(data, dict) else None
    return FailedStatus(
        wamid=str(status["id"]),
        recipient=str(status.get("recipient_id") or status.get("recipient_user_id") or ""),
        code=_code(error.get("code")),
        title=str(error.get("title") or error.get("message") or ""),
        details=str(details or ""),
    )


def _code(value: object) -> int:
    try:
        return int(str(value))
    except ValueError:
        return UNKNOWN_CODE
