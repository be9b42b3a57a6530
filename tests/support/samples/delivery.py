"""Sample contexts for the sender's own messages: broadcast progress and undelivered notices."""

from __future__ import annotations

from tests.support.builders import NOW


def _recipient(name: str, chat_id: str, reason: str) -> dict[str, object]:
    return {"name": name, "platform": "telegram", "chat_id": chat_id, "reason": reason}


SAMPLES: dict[str, dict[str, object]] = {
    "delivery_progress": {"sent": 40, "failed": 2, "total": 100, "done": False},
    "delivery_undelivered": {
        "kind": "broadcast",
        "preview": "Rapat koperasi hari Jumat <jam 9>…",
        "queued_at": NOW,
        "total": 102,
        "count": 32,
        "recipients": [
            _recipient("Siti (KKPITB)", "111", "blocked"),
            _recipient("", "-100200", "chat_not_found"),
            _recipient("Budi", "333", "failed"),
            _recipient("", "6281", "chat moved to -100300"),
        ],
        "more": 28,
    },
}
