"""Status updates as Meta posts them about a message it took: here, "failed" ones.

`failed_status(sent, code)` is the webhook `value` Meta posts when the message `sent`
(as the fake Graph API recorded it, with its wamid) could not be delivered after all;
post it with `RunningWhatsApp.send` like any user's update.
"""

from __future__ import annotations

from typing import Any

from tests.support.fake_graph.api import DISPLAY_PHONE_NUMBER, PHONE_NUMBER_ID, Sent

TITLES = {
    131026: "Message undeliverable",
    131047: "Re-engagement message",
    131048: "Spam rate limit hit",
    131049: "This message was not delivered to maintain healthy ecosystem engagement.",
    131050: "Unable to deliver the message. This recipient has chosen to stop receiving "
    "marketing messages on WhatsApp from your business.",
    131056: "(Business Account, Consumer Account) pair rate limit hit",
    130429: "Rate limit hit",
}
DETAILS = {
    131047: "Message failed to send because more than 24 hours have passed since the "
    "customer last replied to this number.",
}


def failed_status(sent: Sent, code: int, *, timestamp: int = 1764662400) -> dict[str, Any]:
    """The `value` of a "messages" change reporting that `sent` failed with `code`."""
    title = TITLES.get(code, "Something went wrong")
    error = {
        "code": code,
        "title": title,
        "message": title,
        "error_data": {"details": DETAILS.get(code, title)},
        "href": "https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/",
    }
    status = {
        "id": sent.id,
        "status": "failed",
        "timestamp": str(timestamp),
        "recipient_id": sent.to,
        "errors": [error],
    }
    return {
        "messaging_product": "whatsapp",
        "metadata": {
            "display_phone_number": DISPLAY_PHONE_NUMBER,
            "phone_number_id": PHONE_NUMBER_ID,
        },
        "statuses": [status],
    }
