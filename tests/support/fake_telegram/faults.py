"""Failures a test asks for: the next call to a method fails, or a chat is gone for good."""

from collections import defaultdict, deque
from typing import Literal

from tests.support.fake_telegram.wire import ApiError, bad_request

FaultKind = Literal[
    "server_error", "timeout", "blocked", "chat_not_found", "proxy_page", "bad_webhook"
]
FAULT_KINDS: tuple[FaultKind, ...] = (
    "server_error", "timeout", "blocked", "chat_not_found", "proxy_page", "bad_webhook"
)  # fmt: skip
# What Telegram says to a webhook on a port it does not serve.
BAD_WEBHOOK = "Bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443"


class HoldRequest(Exception):
    """Raised for a "timeout" fault: the server keeps the request open and never answers."""


class ProxyPage(Exception):
    """Raised for a "proxy_page" fault: a proxy in front of the Bot API answers with its own
    HTML error page (502), not JSON."""

    page = b"<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>"


def fault_error(kind: FaultKind) -> Exception:
    if kind == "server_error":
        return ApiError(502, "Bad Gateway")
    if kind == "blocked":
        return ApiError(403, "Forbidden: bot was blocked by the user")
    if kind == "chat_not_found":
        return bad_request("chat not found")
    if kind == "bad_webhook":
        return bad_request(BAD_WEBHOOK)
    if kind == "proxy_page":
        return ProxyPage()
    return HoldRequest()


class FaultPlan:
    def __init__(self) -> None:
        self._next: defaultdict[str, deque[FaultKind]] = defaultdict(deque)
        self._blocked: set[int] = set()
        self._missing: set[int] = set()

    def fail_next(self, method: str, kind: FaultKind, times: int = 1) -> None:
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; use one of {FAULT_KINDS}")
        self._next[method.lower()].extend([kind] * times)

    def block_chat(self, chat_id: int) -> None:
        self._blocked.add(chat_id)

    def unblock_chat(self, chat_id: int) -> None:
        self._blocked.discard(chat_id)

    def lose_chat(self, chat_id: int) -> None:
        self._missing.add(chat_id)

    def check(self, method: str, chat_id: int | None) -> None:
        """Raise the failure planned for this call, if any."""
        planned = self._next.get(method.lower())
        if planned:
            raise fault_error(planned.popleft())
        if chat_id in self._missing:
            raise bad_request("chat not found")
        if chat_id in self._blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
