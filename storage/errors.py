"""Typed errors raised by storage use cases that the domain does not cover.

Like `purchasing.errors`, each carries a `key` (the template under
`messages/templates/<lang>/errors/<key>.j2`) and `params` for it; no sentences here.
"""

from __future__ import annotations

from typing import ClassVar


class StorageError(Exception):
    key: ClassVar[str] = "storage_error"

    def __init__(self, **params: object) -> None:
        super().__init__(f"{self.key} {params}")
        self.params: dict[str, object] = params


class InviteUnknown(StorageError):
    key = "invite_unknown"


class InviteExpired(StorageError):
    key = "invite_expired"


class InviteUsedUp(StorageError):
    key = "invite_used_up"


class UnknownRound(StorageError):
    key = "unknown_round"


class UnknownSupplier(StorageError):
    key = "unknown_supplier"
