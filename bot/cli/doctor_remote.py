"""The checks of `belanja-bareng doctor` that ask a platform: Telegram (token, webhook,
port), WhatsApp (access token, port) and the clock against the Bot API's; and the port of the
web dashboard, which the browsers ask. See `bot.cli.doctor`."""

from __future__ import annotations

from datetime import timedelta
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

import httpx
from telegram import WebhookInfo
from telegram.error import TelegramError

from bot.cli.context import CliContext
from bot.cli.errors import (
    DashboardCannotListen,
    DashboardPortInUse,
    TelegramTokenMalformed,
    WebhookCannotListen,
    WebhookPortInUse,
)
from bot.cli.findings import Finding, failed, fault, ok, warning
from bot.cli.startup import (
    TOKEN_FORM,
    check_dashboard_port,
    check_listen,
    check_telegram_token,
    explained,
)
from bot.config import Config, TelegramMode
from bot.delivery.transport import MessageRejected, RecipientUnreachable, TransientDeliveryError
from bot.logs import redact
from bot.telegram.application import TelegramTokenMissing
from bot.telegram.delivery import delivery_bot
from purchasing.errors import ExplainedError

CLOCK_WARNS_BEYOND = timedelta(seconds=60)
HTTP_TIMEOUT_SECONDS = 5.0


# -- Telegram -------------------------------------------------------------------------------


async def telegram_checks(context: CliContext) -> list[Finding]:
    config = context.config
    telegram = config.telegram
    if not telegram.token:
        if config.whatsapp.enabled:
            return [ok("telegram", "telegram_off")]
        return [fault("telegram", TelegramTokenMissing())]
    found = await _bot_api(config)
    if telegram.mode is TelegramMode.WEBHOOK:
        hook = telegram.webhook
        found += listening("telegram.webhook", hook.listen, hook.port)
    return found


async def _bot_api(config: Config) -> list[Finding]:
    """The token's form, getMe (while the Bot is initialized) and getWebhookInfo."""
    try:
        check_telegram_token(str(config.telegram.token))
        async with delivery_bot(config.telegram, connections=1) as bot:
            info = await bot.get_webhook_info()
            username = bot.username
    except TelegramTokenMalformed as error:
        return [fault("telegram", error)]
    except TelegramError as error:
        told = explained(error, config)  # the token rejected, the Bot API unreachable
        if isinstance(told, ExplainedError):
            return [fault("telegram", told)]
        return [failed("telegram", "telegram_failed", detail=redact(error.message, config))]
    return [ok("telegram", "telegram_ok", bot=username), webhook_check(config, info)]


def webhook_check(config: Config, info: WebhookInfo) -> Finding:
    url = redact(info.url or "", config)
    if config.telegram.mode is TelegramMode.POLLING:
        return warning("webhook", "webhook_left", url=url) if url else ok("webhook", "webhook_none")
    public_url = config.telegram.webhook.public_url
    if info.url != public_url:
        shown = redact(public_url, config)
        return failed("webhook", "webhook_mismatch", url=url, public_url=shown)
    if info.last_error_message:
        message = redact(info.last_error_message, config)
        return warning("webhook", "webhook_error", url=url, message=message)
    return ok("webhook", "webhook_ok", url=url)


def listening(section: str, listen: str, port: int) -> list[Finding]:
    """Whether the webhook's port can be bound now (nothing for port 0: any free port)."""
    if port == 0:
        return []
    try:
        check_listen(section, listen, port)
    except WebhookPortInUse as busy:
        return [warning("port", "port_in_use", **busy.params)]
    except WebhookCannotListen as error:
        return [fault("port", error)]
    return [ok("port", "port_free", setting=f"{section}.port", listen=listen, port=port)]


# -- WhatsApp -------------------------------------------------------------------------------


async def whatsapp_checks(context: CliContext) -> list[Finding]:
    whatsapp = context.config.whatsapp
    if not whatsapp.enabled:
        return []
    number = await business_number_check(context)
    return [number, *listening("whatsapp.webhook", whatsapp.webhook.listen, whatsapp.webhook.port)]


async def business_number_check(context: CliContext) -> Finding:
    """Read the business number with the access token, as `run` does for the invite link."""
    # Imported here: pywa (~21 MB) loads only where WhatsApp is enabled.
    from bot.whatsapp.client import GRAPH_TIMEOUT_SECONDS, whatsapp_client
    from bot.whatsapp.errors import WhatsAppTokenRejected
    from bot.whatsapp.running import display_phone_number

    config = context.config
    http = context.graph_session or httpx.AsyncClient(timeout=GRAPH_TIMEOUT_SECONDS)
    try:
        number = await display_phone_number(whatsapp_client(config.whatsapp, http))
    except WhatsAppTokenRejected as error:
        return fault("whatsapp", error)
    except (TransientDeliveryError, RecipientUnreachable, MessageRejected) as error:
        return failed(
            "whatsapp",
            "whatsapp_failed",
            phone_number_id=config.whatsapp.phone_number_id,
            detail=redact(str(error), config),
            address=urlsplit(config.whatsapp.api_url).hostname or config.whatsapp.api_url,
        )
    finally:
        if context.graph_session is None:
            await http.aclose()
    return ok("whatsapp", "whatsapp_ok", number=number)


# -- the web dashboard ----------------------------------------------------------------------


def dashboard_checks(context: CliContext) -> list[Finding]:
    """When the dashboard is enabled, whether its port can be bound now, as `run` checks it
    (nothing for port 0: any free port). In use is a warning: it may be the running bot."""
    dashboard = context.config.dashboard
    if not dashboard.enabled or dashboard.port == 0:
        return []
    try:
        check_dashboard_port(dashboard.listen, dashboard.port)
    except DashboardPortInUse as busy:
        return [warning("dashboard", "port_in_use", **busy.params)]
    except DashboardCannotListen as error:
        return [fault("dashboard", error)]
    address = {"listen": dashboard.listen, "port": dashboard.port}
    return [ok("dashboard", "dashboard_port_free", setting="dashboard.port", **address)]


# -- the clock ------------------------------------------------------------------------------


async def clock_check(context: CliContext) -> Finding:
    """This server's clock against the Date of the Bot API's answer (none: not compared)."""
    config = context.config
    zone = config.timezone
    shown = {"timezone": zone.key, "local_time": context.now().astimezone(zone)}
    token = str(config.telegram.token)
    if not token:
        return ok("clock", "clock_unchecked", reason="no_telegram", **shown)
    if not TOKEN_FORM.fullmatch(token):
        return ok("clock", "clock_unchecked", reason="unreachable", **shown)
    try:
        async with httpx.AsyncClient(timeout=HTTP_TIMEOUT_SECONDS) as http:
            response = await http.get(f"{config.telegram.base_url}{token}/getMe")
        here = context.now()
        there = parsedate_to_datetime(response.headers["date"])
        offset = here - there  # the Date header has whole seconds: up to 1 s more than it is
    except (httpx.HTTPError, KeyError, ValueError, TypeError):  # TypeError: a Date without zone
        return ok("clock", "clock_unchecked", reason="unreachable", **shown)
    seconds = abs(offset.total_seconds())
    if abs(offset) > CLOCK_WARNS_BEYOND:
        minutes = timedelta(minutes=round(seconds / 60))  # as `duration` shows it: no seconds
        return warning("clock", "clock_off", offset=minutes, ahead=offset > timedelta(0), **shown)
    return ok("clock", "clock_ok", seconds=round(seconds), **shown)
