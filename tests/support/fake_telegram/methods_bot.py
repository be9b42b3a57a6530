"""Bot API methods about the bot itself: identity, updates, webhook and command menus."""

import json

from tests.support.fake_telegram.rules import check_commands
from tests.support.fake_telegram.state import BotState
from tests.support.fake_telegram.wire import ApiError, ApiRequest

WEBHOOK_ACTIVE = (
    "Conflict: can't use getUpdates method while webhook is active; "
    "use deleteWebhook to delete the webhook first"
)


async def get_me(state: BotState, request: ApiRequest) -> object:
    return {
        **state.bot.to_json(),
        "can_join_groups": True,
        "can_read_all_group_messages": False,
        "supports_inline_queries": False,
    }


async def get_updates(state: BotState, request: ApiRequest) -> object:
    if state.webhook.url:
        raise ApiError(409, WEBHOOK_ACTIVE)
    params = request.params
    return await state.updates.fetch(
        offset=_int(params.get("offset"), 0),
        limit=_int(params.get("limit"), 100),
        wait_seconds=float(_int(params.get("timeout"), 0)),
    )


def _int(value: object, default: int) -> int:
    return value if isinstance(value, int) else default


async def set_webhook(state: BotState, request: ApiRequest) -> object:
    params = request.params
    url = params.get("url")
    state.webhook.url = url if isinstance(url, str) else ""
    secret = params.get("secret_token")
    state.webhook.secret_token = secret if isinstance(secret, str) and secret else None
    allowed = params.get("allowed_updates")
    state.webhook.allowed_updates = allowed if isinstance(allowed, list) else None
    state.webhook.max_connections = _int(params.get("max_connections"), 40)
    if params.get("drop_pending_updates") is True:
        state.updates.drop_all()
    return True


async def delete_webhook(state: BotState, request: ApiRequest) -> object:
    state.webhook.url = ""
    state.webhook.secret_token = None
    if request.params.get("drop_pending_updates") is True:
        state.updates.drop_all()
    return True


async def get_webhook_info(state: BotState, request: ApiRequest) -> object:
    info: dict[str, object] = {
        "url": state.webhook.url,
        "has_custom_certificate": False,
        "pending_update_count": len(state.updates.pending),
    }
    if state.webhook.url:
        info["max_connections"] = state.webhook.max_connections
        if state.webhook.allowed_updates is not None:
            info["allowed_updates"] = state.webhook.allowed_updates
        if state.webhook.last_error_message is not None:
            info["last_error_message"] = state.webhook.last_error_message
            info["last_error_date"] = state.webhook.last_error_date or state.now()
    return info


def menu_key(scope: object, language_code: object) -> tuple[str, str]:
    """Command menus are kept per scope and per language, as in Telegram."""
    scope_json = json.dumps(scope or {"type": "default"}, sort_keys=True)
    return scope_json, language_code if isinstance(language_code, str) else ""


def _menu_key(params: dict[str, object]) -> tuple[str, str]:
    return menu_key(params.get("scope"), params.get("language_code"))


async def set_my_commands(state: BotState, request: ApiRequest) -> object:
    commands = check_commands(request.params.get("commands"))
    state.commands[_menu_key(request.params)] = commands
    return True


async def delete_my_commands(state: BotState, request: ApiRequest) -> object:
    state.commands.pop(_menu_key(request.params), None)
    return True


async def get_my_commands(state: BotState, request: ApiRequest) -> object:
    return state.commands.get(_menu_key(request.params), [])


async def get_file(state: BotState, request: ApiRequest) -> object:
    return state.files.get_file(request.params.get("file_id"))


async def accept(state: BotState, request: ApiRequest) -> object:
    return True
