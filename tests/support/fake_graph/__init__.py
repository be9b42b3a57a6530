"""A fake WhatsApp Cloud API (Graph API) for tests that run pywa's real async client."""

from tests.support.fake_graph.api import (
    ACCESS_TOKEN,
    DISPLAY_PHONE_NUMBER,
    PHONE_NUMBER_ID,
    FakeGraph,
    Sent,
    approved_from,
)
from tests.support.fake_graph.media import FakeMedia, StoredMedia
from tests.support.fake_graph.statuses import failed_status
from tests.support.fake_graph.updates import APP_SECRET, VERIFY_TOKEN, FakeUser, sign, update_body

__all__ = [
    "ACCESS_TOKEN",
    "APP_SECRET",
    "DISPLAY_PHONE_NUMBER",
    "PHONE_NUMBER_ID",
    "VERIFY_TOKEN",
    "FakeGraph",
    "FakeMedia",
    "FakeUser",
    "Sent",
    "StoredMedia",
    "approved_from",
    "failed_status",
    "sign",
    "update_body",
]
