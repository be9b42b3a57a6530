"""The Bot API's limits, checked the way Telegram checks them, with Telegram's error texts.

Where Telegram's exact wording is unknown to us (more than 8 buttons in one row) the
nearest real message is used: "reply markup is too long".
"""

import re

from tests.support.fake_telegram.html_text import ParsedText, parse_html, utf16_len
from tests.support.fake_telegram.wire import bad_request

MAX_TEXT_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024
MAX_CALLBACK_DATA_BYTES = 64
MAX_INLINE_BUTTONS = 100
MAX_INLINE_BUTTONS_PER_ROW = 8
MAX_CALLBACK_ANSWER_LENGTH = 200
MAX_COMMANDS = 100
COMMAND_NAME = re.compile(r"[a-z0-9_]{1,32}")
BUTTON_ACTIONS = (
    "callback_data",
    "url",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "web_app",
    "callback_game",
    "pay",
    "copy_text",
)


def parse_text(params: dict[str, object], field: str = "text") -> ParsedText:
    """The visible text of a message and its entities, or the 400 Telegram would answer."""
    raw = params.get(field)
    source = raw if isinstance(raw, str) else ""
    if params.get("parse_mode") == "HTML":
        parsed = parse_html(source)
    elif params.get("parse_mode") in (None, ""):
        given = params.get("entities" if field == "text" else "caption_entities")
        parsed = ParsedText(source, given if isinstance(given, list) else [])
    else:
        parsed = ParsedText(source)
    parsed = _strip(parsed)
    limit = MAX_TEXT_LENGTH if field == "text" else MAX_CAPTION_LENGTH
    if field == "text" and not parsed.text:
        raise bad_request("message text is empty")
    if len(parsed.text) > limit:
        reason = "message is too long" if field == "text" else "message caption is too long"
        raise bad_request(reason)
    return parsed


def _strip(parsed: ParsedText) -> ParsedText:
    """Telegram trims surrounding whitespace and moves the entities along with the text."""
    text = parsed.text.strip()
    if text == parsed.text:
        return parsed
    shift = utf16_len(parsed.text[: len(parsed.text) - len(parsed.text.lstrip())])
    end = utf16_len(text)
    entities: list[dict[str, object]] = []
    for entity in parsed.entities:
        start = max(int(str(entity["offset"])) - shift, 0)
        stop = min(int(str(entity["offset"])) + int(str(entity["length"])) - shift, end)
        if stop > start:
            entities.append({**entity, "offset": start, "length": stop - start})
    return ParsedText(text, entities)


def check_reply_markup(markup: object) -> None:
    if not isinstance(markup, dict) or "inline_keyboard" not in markup:
        return
    rows = markup["inline_keyboard"]
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request('can\'t parse inline keyboard: field "inline_keyboard" must be an Array')
    buttons = [button for row in rows for button in row]
    if len(buttons) > MAX_INLINE_BUTTONS or any(
        len(row) > MAX_INLINE_BUTTONS_PER_ROW for row in rows
    ):
        raise bad_request("reply markup is too long")
    for button in buttons:
        _check_button(button)


def _check_button(button: object) -> None:
    if not isinstance(button, dict) or not isinstance(button.get("text"), str):
        raise bad_request(
            'can\'t parse inline keyboard button: Field "text" must be of type String'
        )
    if not any(action in button for action in BUTTON_ACTIONS):
        raise bad_request(
            "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
        )
    if "callback_data" in button:
        data = button["callback_data"]
        size = len(data.encode("utf-8")) if isinstance(data, str) else 0
        if not 1 <= size <= MAX_CALLBACK_DATA_BYTES:
            raise bad_request("BUTTON_DATA_INVALID")


def check_callback_answer(params: dict[str, object]) -> None:
    text = params.get("text")
    if isinstance(text, str) and len(text) > MAX_CALLBACK_ANSWER_LENGTH:
        raise bad_request("MESSAGE_TOO_LONG")


def check_commands(commands: object) -> list[dict[str, str]]:
    if not isinstance(commands, list):
        raise bad_request("can't parse commands JSON object")
    if len(commands) > MAX_COMMANDS:
        raise bad_request("too many commands")
    checked: list[dict[str, str]] = []
    for command in commands:
        if not isinstance(command, dict):
            raise bad_request("can't parse BotCommand: expected an Object")
        name, description = command.get("command"), command.get("description")
        if not isinstance(name, str) or COMMAND_NAME.fullmatch(name) is None:
            raise bad_request("BOT_COMMAND_INVALID")
        if not isinstance(description, str) or not description.strip():
            raise bad_request("command description must be non-empty")
        checked.append({"command": name, "description": description})
    return checked
