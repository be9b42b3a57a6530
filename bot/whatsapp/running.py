"""Running WhatsApp beside (or instead of) Telegram in `belanja-bareng run`.

`reach_whatsapp` opens the Graph API client once and learns the business number's display
phone number (for the `wa.me` invite link: no number in the config to keep in step), which
also tells whether Meta takes the access token; `whatsapp_connection` then gives what the
rest of `run` needs, over the database: the outbox `transport` for the sender, the
`deep_link` template for `Services.deep_links["whatsapp"]`, and the `messenger` that
`serve_whatsapp` answers with. `serve_whatsapp` serves the webhook until `stop` is set.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime

import httpx
from aiohttp import web
from pywa_async import errors as wa
from pywa_async.client import WhatsApp

from bot.config import Config
from bot.delivery.sender import Backoff
from bot.delivery.transport import TransientDeliveryError
from bot.whatsapp.adapter import Receiver
from bot.whatsapp.client import GRAPH_TIMEOUT_SECONDS, Messenger, whatsapp_client
from bot.whatsapp.errors import WhatsAppTokenRejected, delivery_error
from bot.whatsapp.failures import FailedStatuses
from bot.whatsapp.settings import WhatsAppSettings
from bot.whatsapp.transport import WhatsAppTransport, utc_now
from bot.whatsapp.webhook import webhook_app
from handlers.contract.services import Services
from messages.render import Renderer
from storage.database import Database

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class WhatsAppConnection:
    messenger: Messenger
    transport: WhatsAppTransport
    deep_link: str  # "https://wa.me/<number>?text=/start%20{code}"
    settings: WhatsAppSettings


@dataclass(frozen=True, slots=True)
class GraphReached:
    """The Graph API client, its access token taken by Meta, and the invite link it gave."""

    client: WhatsApp
    deep_link: str  # "" while the API was unreachable: invites without a link


@asynccontextmanager
async def reach_whatsapp(
    config: Config, *, session: httpx.AsyncClient | None = None
) -> AsyncIterator[GraphReached]:
    """The Graph API client for `config.whatsapp`, closed when the block ends. An access token
    Meta refuses stops here (WhatsAppTokenRejected), before anything needs the database."""
    http = session or httpx.AsyncClient(timeout=GRAPH_TIMEOUT_SECONDS)
    try:
        client = whatsapp_client(config.whatsapp, http)
        yield GraphReached(client, await _deep_link(client))
    finally:
        await http.aclose()


def whatsapp_connection(
    graph: GraphReached,
    config: Config,
    db: Database,
    renderer: Renderer,
    *,
    settings: WhatsAppSettings | None = None,
    clock: Callable[[], datetime] = utc_now,
) -> WhatsAppConnection:
    """What `run` needs of the reached Graph API: the messenger, the outbox transport, the link.

    `settings`: templates and pace (default: `config.whatsapp.settings`). `clock` tells the
    transport the time (the window).
    """
    chosen = settings or config.whatsapp.settings
    messenger = Messenger(graph.client, renderer, db)
    transport = WhatsAppTransport(
        db,
        messenger,
        chosen,
        daily_limit=config.whatsapp.business_daily_limit,
        default_language=config.default_language,
        clock=clock,
        zone=config.timezone,
    )
    return WhatsAppConnection(messenger, transport, graph.deep_link, chosen)


@asynccontextmanager
async def connect_whatsapp(
    config: Config,
    db: Database,
    renderer: Renderer,
    *,
    settings: WhatsAppSettings | None = None,
    session: httpx.AsyncClient | None = None,
    clock: Callable[[], datetime] = utc_now,
) -> AsyncIterator[WhatsAppConnection]:
    """`reach_whatsapp` and `whatsapp_connection` at once, for a database already open."""
    async with reach_whatsapp(config, session=session) as graph:
        yield whatsapp_connection(graph, config, db, renderer, settings=settings, clock=clock)


async def _deep_link(client: WhatsApp) -> str:
    """The invite link template; "" (no link, the code alone) while the API is unreachable.
    An access token Meta refuses stops the start (WhatsAppTokenRejected): nothing could be
    sent with it."""
    try:
        return deep_link_template(await display_phone_number(client))
    except TransientDeliveryError as error:
        log.error("could not read the WhatsApp business number (%s): invites without a link", error)
        return ""


async def display_phone_number(client: WhatsApp) -> str:
    """The business number as Meta shows it. Raises WhatsAppTokenRejected for an access
    token Meta refuses, else the sender's error for the failed call (`delivery_error`)."""
    try:
        number = await client.get_business_phone_number()
    except wa.AuthorizationError as error:
        raise WhatsAppTokenRejected(code=error.code) from error
    except (wa.WhatsAppError, httpx.HTTPError) as error:
        raise delivery_error(error) from error
    return number.display_phone_number or ""


def deep_link_template(display_phone_number: str) -> str:
    """The `wa.me` link that opens a chat with the business number, "/start <code>" typed."""
    digits = re.sub(r"\D", "", display_phone_number)
    return f"https://wa.me/{digits}?text=/start%20{{code}}"


async def serve_whatsapp(
    config: Config,
    services: Services,
    connection: WhatsAppConnection,
    stop: asyncio.Event,
    *,
    notify: Callable[[], None] | None = None,
    on_ready: Callable[[int], None] | None = None,
) -> None:
    """Answer the webhook on config.whatsapp.webhook's address until `stop` is set.

    `notify` wakes the outbox sender (replies queued for retry, held replies released,
    messages Meta reported failed queued again);
    `on_ready` gets the port once the server listens (useful with port 0 in tests).
    """
    receiver = Receiver(services, connection.messenger, notify)
    failures = FailedStatuses(
        services.db,
        backoff=Backoff(max_attempts=config.sending.max_attempts),
        default_language=services.default_language,
        clock=services.now,
        notify=notify,
    )
    hook = config.whatsapp.webhook
    app = webhook_app(config.whatsapp, receiver, failures)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    try:
        site = web.TCPSite(runner, hook.listen, hook.port)
        await site.start()
        port = _bound_port(runner, hook.port)
        log.info("WhatsApp webhook listening on %s:%s/%s", hook.listen, port, hook.url_path)
        if on_ready is not None:
            on_ready(port)
        await stop.wait()
    finally:
        await runner.cleanup()


def _bound_port(runner: web.AppRunner, configured: int) -> int:
    for address in runner.addresses:
        if isinstance(address, tuple) and len(address) >= 2:
            return int(address[1])
    return configured
