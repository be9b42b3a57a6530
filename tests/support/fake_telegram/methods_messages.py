"""Bot API methods that send, edit and answer messages in a chat."""

from tests.support.fake_telegram.chats import MessageVersion, SentMessage
from tests.support.fake_telegram.rules import (
    check_callback_answer,
    check_reply_markup,
    parse_text,
)
from tests.support.fake_telegram.state import BotState
from tests.support.fake_telegram.wire import ApiRequest, UploadedFile, bad_request

NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)
QUERY_TOO_OLD = "query is too old and response timeout expired or query ID is invalid"


def chat_id_of(params: dict[str, object]) -> int:
    chat_id = params.get("chat_id")
    if chat_id is None or chat_id == "":
        raise bad_request("chat_id is empty")
    if not isinstance(chat_id, int):
        raise bad_request("chat not found")
    return chat_id


def markup_of(params: dict[str, object]) -> dict[str, object] | None:
    markup = params.get("reply_markup")
    check_reply_markup(markup)
    return markup if isinstance(markup, dict) else None


def _inline(markup: dict[str, object] | None) -> dict[str, object] | None:
    return markup if markup is not None and "inline_keyboard" in markup else None


async def send_message(state: BotState, request: ApiRequest) -> object:
    params = request.params
    chat_id = chat_id_of(params)
    parsed = parse_text(params)
    markup = markup_of(params)
    state.limits.take(chat_id)
    message = state.history.add(state.history.chat(chat_id), state.bot, state.now())
    message.text, message.entities = parsed.text, parsed.entities
    message.raw_text = str(params["text"])
    message.parse_mode = _parse_mode(params)
    message.reply_markup = markup
    return message.to_json()


async def send_document(state: BotState, request: ApiRequest) -> object:
    return _send_file(state, request, "document")


async def send_photo(state: BotState, request: ApiRequest) -> object:
    """A picture shown in the chat; the fake keeps the uploaded file as for a document."""
    return _send_file(state, request, "photo")


def _send_file(state: BotState, request: ApiRequest, kind: str) -> object:
    params = request.params
    chat_id = chat_id_of(params)
    document = request.files.get(kind)
    if document is None and isinstance(params.get(kind), str):
        document = UploadedFile(kind, str(params[kind]), b"", "")
    if document is None:
        raise bad_request(f"there is no {kind} in the request")
    parsed = parse_text(params, field="caption")
    markup = markup_of(params)
    state.limits.take(chat_id)
    message = state.history.add(state.history.chat(chat_id), state.bot, state.now())
    message.document = document
    message.photo = kind == "photo"
    state.files.add(document)
    if parsed.text:
        message.text, message.entities = parsed.text, parsed.entities
        message.raw_text = str(params["caption"])
    message.parse_mode = _parse_mode(params)
    message.reply_markup = markup
    return message.to_json()


def _parse_mode(params: dict[str, object]) -> str | None:
    mode = params.get("parse_mode")
    return mode if isinstance(mode, str) and mode else None


def _message_to_edit(state: BotState, params: dict[str, object]) -> SentMessage:
    chat_id = chat_id_of(params)
    message_id = params.get("message_id")
    if not isinstance(message_id, int):
        raise bad_request("message identifier is not specified")
    message = state.history.find(chat_id, message_id)
    if message is None:
        raise bad_request("message to edit not found")
    if message.sender != state.bot:
        raise bad_request("message can't be edited")
    return message


def _keep_version(message: SentMessage) -> None:
    message.versions.append(MessageVersion(message.text, message.raw_text, message.reply_markup))


async def edit_message_text(state: BotState, request: ApiRequest) -> object:
    return _edit_words(state, request.params, "text")


async def edit_message_caption(state: BotState, request: ApiRequest) -> object:
    return _edit_words(state, request.params, "caption")


def _edit_words(state: BotState, params: dict[str, object], field: str) -> object:
    """editMessageText (a text message) or editMessageCaption (a file's caption)."""
    message = _message_to_edit(state, params)
    if (message.document is None) != (field == "text"):
        raise bad_request(f"there is no {field} in the message to edit")
    parsed = parse_text(params, field=field)
    markup = _inline(markup_of(params))
    if (parsed.text, parsed.entities, markup) == (
        message.text,
        message.entities,
        _inline(message.reply_markup),
    ):
        raise bad_request(NOT_MODIFIED)
    state.limits.take(message.chat_id)
    _keep_version(message)
    message.text, message.entities = parsed.text, parsed.entities
    message.raw_text, message.parse_mode = str(params[field]), _parse_mode(params)
    message.reply_markup, message.edit_date = markup, state.now()
    return message.to_json()


async def edit_message_reply_markup(state: BotState, request: ApiRequest) -> object:
    message = _message_to_edit(state, request.params)
    markup = _inline(markup_of(request.params))
    if markup == _inline(message.reply_markup):
        raise bad_request(NOT_MODIFIED)
    state.limits.take(message.chat_id)
    _keep_version(message)
    message.reply_markup, message.edit_date = markup, state.now()
    return message.to_json()


async def delete_message(state: BotState, request: ApiRequest) -> object:
    chat_id = chat_id_of(request.params)
    message_id = request.params.get("message_id")
    message = state.history.find(chat_id, message_id) if isinstance(message_id, int) else None
    if message is None:
        raise bad_request("message to delete not found")
    message.deleted = True
    return True


async def answer_callback_query(state: BotState, request: ApiRequest) -> object:
    params = request.params
    check_callback_answer(params)
    query = state.callback_queries.get(str(params.get("callback_query_id", "")))
    if query is None or query.answered:
        raise bad_request(QUERY_TOO_OLD)
    query.answered, query.answer = True, dict(params)
    return True


async def send_chat_action(state: BotState, request: ApiRequest) -> object:
    chat_id_of(request.params)
    if not request.params.get("action"):
        raise bad_request("action is empty")
    return True


async def get_chat(state: BotState, request: ApiRequest) -> object:
    chat = state.history.chat(chat_id_of(request.params))
    no_gifts = dict.fromkeys(
        (
            "unlimited_gifts",
            "limited_gifts",
            "unique_gifts",
            "premium_subscription",
            "gifts_from_channels",
        ),
        False,
    )
    return {
        **chat.to_json(),
        "accent_color_id": 0,
        "max_reaction_count": 11,
        "accepted_gift_types": no_gifts,
    }
