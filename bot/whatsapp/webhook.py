"""The web server Meta calls: the verify-token challenge and signed message updates.

Our own small aiohttp server rather than pywa's FastAPI or Flask integration (see
docs/whatsapp.md): it runs inside the event loop `belanja-bareng run` already runs,
needs no ASGI server, and keeps in our hands the three things that must not go wrong:

- GET with hub.mode=subscribe and our verify token (compared in constant time) answers
  hub.challenge; anything else 403.
- Every POST must carry `X-Hub-Signature-256: sha256=<HMAC-SHA256 of the raw body with the
  app secret>`, compared in constant time: missing → 401, wrong → 403, before the body is
  even parsed. There is no way to turn this off: without an app secret the server refuses
  to start (pywa would silently skip the check).
- The messages of a valid update are handled before answering 200, so a message is
  recorded once Meta hears "ok"; a body that is not an update → 400. Its "failed"
  statuses are handled next (`bot.whatsapp.failures`); without a handler, logged.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from collections.abc import Awaitable, Callable
from typing import Protocol

from aiohttp import web

from bot.config import WhatsAppConfig
from bot.config_reading import ConfigError
from bot.whatsapp.failures import StatusBeforeSent
from bot.whatsapp.inbound import InboundMessage, MalformedUpdate, load_update, messages_in
from bot.whatsapp.statuses import FailedStatus, failed_statuses

log = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Hub-Signature-256"
_PREFIX = "sha256="
MAX_BODY_BYTES = 1024 * 1024


Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class Receives(Protocol):
    async def receive(self, message: InboundMessage) -> None: ...


class HearsFailures(Protocol):
    async def failed(self, status: FailedStatus) -> None: ...


def signature_valid(app_secret: str, body: bytes, header: str | None) -> bool:
    """Whether `header` is the HMAC-SHA256 of `body` under `app_secret` (constant time)."""
    if not header or not header.startswith(_PREFIX):
        return False
    expected = hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected.encode(), header[len(_PREFIX) :].lower().encode())


def webhook_app(
    config: WhatsAppConfig, receiver: Receives, failures: HearsFailures | None = None
) -> web.Application:
    """The aiohttp application serving `/<url_path>`; refuses to exist without secrets."""
    for key, value, env in (
        ("app_secret", config.app_secret, "WHATSAPP_APP_SECRET"),
        ("verify_token", config.verify_token, "WHATSAPP_VERIFY_TOKEN"),
    ):
        if not value:
            raise ConfigError(
                "config_required",
                path=f"whatsapp.{key}",
                when_path="whatsapp.enabled",
                when_value="true",
                env=env,
            )
    app = web.Application(client_max_size=MAX_BODY_BYTES)
    path = "/" + config.webhook.url_path.strip("/")
    app.router.add_get(path, _challenge(str(config.verify_token)))
    app.router.add_post(path, _updates(config, receiver, failures))
    return app


def _challenge(verify_token: str) -> Handler:
    async def answer(request: web.Request) -> web.StreamResponse:
        query = request.query
        token = query.get("hub.verify_token", "")
        if query.get("hub.mode") == "subscribe" and hmac.compare_digest(
            token.encode(), verify_token.encode()
        ):
            return web.Response(text=query.get("hub.challenge", ""))
        log.warning("WhatsApp webhook verification with a wrong token refused")
        return web.Response(status=403, text="Forbidden")

    return answer


def _updates(config: WhatsAppConfig, receiver: Receives, failures: HearsFailures | None) -> Handler:
    app_secret = str(config.app_secret)

    async def receive(request: web.Request) -> web.StreamResponse:
        body = await request.read()
        header = request.headers.get(SIGNATURE_HEADER)
        if not signature_valid(app_secret, body, header):
            log.warning(
                "WhatsApp webhook call %s signature refused",
                "without" if not header else "with a wrong",
            )
            return web.Response(status=401 if not header else 403, text="Unauthorized")
        try:
            update = load_update(body)
        except MalformedUpdate as error:
            log.warning("WhatsApp webhook body is not an update: %s", error)
            return web.Response(status=400, text="Bad Request")
        failed = 0
        for message in messages_in(update, config.phone_number_id):
            try:
                await receiver.receive(message)
            except Exception:
                log.exception("WhatsApp message %s failed", message.message_id)
                failed += 1
        for status in failed_statuses(update, config.phone_number_id):
            try:
                await _hear(failures, status)
            except StatusBeforeSent:
                log.info("status of WhatsApp message %s came before it was marked sent; "
                         "asking Meta to deliver it again", status.wamid)  # fmt: skip
                failed += 1
            except Exception:
                log.exception("WhatsApp status of message %s failed", status.wamid)
                failed += 1
        if failed:  # Meta delivers the call again; the messages handled meanwhile are skipped
            return web.Response(status=500, text="Retry")
        return web.Response(text="ok")

    return receive


async def _hear(failures: HearsFailures | None, status: FailedStatus) -> None:
    if failures is not None:
        await failures.failed(status)
    else:
        log.warning("WhatsApp could not deliver message %s: %s", status.wamid, status.reason)
