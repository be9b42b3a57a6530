"""What the sender should make of a failed Cloud API call (see `bot.delivery.transport`).

- the network, a timeout, a 5xx, an error Meta marks transient, or an access token that
  must be renewed → `TransientDeliveryError` (tried again later; nothing is dropped while
  the staff fix the token);
- throttling → `TransientDeliveryError` with `retry_after`: a minute for the account's
  rate limits, `PAIR_RATE_SECONDS` when one person got too many messages too quickly
  (131056), an hour for the spam rate limit;
- a person who cannot get messages (131026 undeliverable, 131030 not in the test number's
  allowed list, 131049/131050 Meta or the person declines) → `RecipientUnreachable`;
- anything else Meta refuses (a bad parameter, a template that does not exist) →
  `MessageRejected`.
"""

from __future__ import annotations

import logging

import httpx
from pywa_async import errors as wa

from bot.delivery.transport import MessageRejected, RecipientUnreachable, TransientDeliveryError
from purchasing.errors import ExplainedError

log = logging.getLogger(__name__)


class WhatsAppTokenRejected(ExplainedError):
    """Meta refused the access token when the bot started (the number could not be read).
    Params: code (int, Meta's error code)."""

    key = "cli_whatsapp_token_rejected"


PAIR_RATE_SECONDS = 6.0
RATE_LIMIT_SECONDS = 60.0
SPAM_LIMIT_SECONDS = 3600.0
_UNREACHABLE = (
    wa.MessageUndeliverable,
    wa.RecipientNotInAllowedList,
    wa.MessageUndeliverableDueToHealthyEcosystemEngagement,
    wa.UserStoppedMarketingMessages,
)
_TRANSIENT = (wa.UnknownError, wa.ServiceUnavailable, wa.GenericError, wa.AccountInMaintenanceMode)


def delivery_error(error: Exception) -> Exception:
    if isinstance(error, httpx.HTTPError):
        return TransientDeliveryError(f"graph api unreachable: {type(error).__name__}")
    if not isinstance(error, wa.WhatsAppError):
        return error
    reason = f"{error.code}: {error.message}"
    if isinstance(error, wa.ThrottlingError):
        return TransientDeliveryError(reason, retry_after=_pause(error))
    if isinstance(error, wa.AuthorizationError):
        log.error("the WhatsApp access token was refused (%s); messages wait until fixed", reason)
        return TransientDeliveryError(reason)
    if isinstance(error, _UNREACHABLE):
        return RecipientUnreachable(reason)
    status = error.status_code
    if isinstance(error, _TRANSIENT) or error.is_transient or (status or 0) >= 500:
        return TransientDeliveryError(reason)
    return MessageRejected(reason)


def _pause(error: wa.ThrottlingError) -> float:
    if isinstance(error, wa.TooManyMessages):
        return PAIR_RATE_SECONDS
    if isinstance(error, wa.SpamRateLimitHit):
        return SPAM_LIMIT_SECONDS
    return RATE_LIMIT_SECONDS
