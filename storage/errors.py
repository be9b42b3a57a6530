"""Typed errors raised by storage use cases that the domain does not cover.

Like `purchasing.errors`, each carries a `key` (the template under
`messages/templates/<lang>/errors/<key>.j2`) and `params` for it; no sentences here.
"""

from __future__ import annotations

from purchasing.errors import ExplainedError


class StorageError(ExplainedError):
    key = "storage_error"


class InviteUnknown(StorageError):
    key = "invite_unknown"


class UnknownRound(StorageError):
    key = "unknown_round"


class UnknownSupplier(StorageError):
    key = "unknown_supplier"


class CodeAmbiguous(StorageError):
    """A code typed for an invite or a list of reps names a coop AND a supplier.

    Params: code (str), coop_name (str), supplier_name (str)."""

    key = "code_ambiguous"


class UnknownProof(StorageError):
    """Params: proof_id (int)."""

    key = "unknown_proof"
