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


class CodeAmbiguous(StorageError):
    """A code typed for an invite or a list of reps names a coop AND a supplier.

    Params: code (str), coop_name (str), supplier_name (str)."""

    key = "code_ambiguous"


class AnotherRoundOpen(StorageError):
    """One round is open at a time (treasurers see "this round's catalog"): another cannot
    open until it closes or is cancelled. Params: round_id (int), round_name (str),
    closes_at (datetime) of the round that is open."""

    key = "another_round_open"
