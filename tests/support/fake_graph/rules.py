"""What the Cloud API refuses in a message, with the error Meta answers.

Checked: text 1–4096 characters; interactive body 1–1024; reply buttons 1–3, titles 1–20
and different from each other, ids up to 256; lists: button text 1–20, 1–10 sections, 1–10
rows in total, row titles 1–24, descriptions up to 72, row ids up to 200 and unique, a
section title when there are several; templates: only the approved ones, with exactly the
parameters and buttons they were created with, no parameter empty or holding a line break,
a tab or more than four spaces in a row.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

Json = Mapping[str, Any]
INVALID_PARAMETER = 131009
TEMPLATE_MISSING = 132001
TEMPLATE_PARAMETERS = 132000
TEMPLATE_PARAMETER_FORMAT = 132018
_BAD_PARAMETER = re.compile(r"[\n\t]| {5,}")


class Refused(Exception):
    def __init__(self, code: int, details: str) -> None:
        super().__init__(details)
        self.code = code
        self.details = details


@dataclass(frozen=True, slots=True)
class ApprovedTemplate:
    name: str
    language: str
    parameters: int
    quick_reply: bool = True


def check_message(body: Json, approved: Mapping[tuple[str, str], ApprovedTemplate]) -> None:
    if body.get("messaging_product") != "whatsapp":
        raise Refused(100, "messaging_product must be whatsapp")
    if not body.get("to") and not body.get("recipient"):
        raise Refused(100, "to is required")
    kind = body.get("type")
    if kind == "text":
        _length(body["text"].get("body", ""), 1, 4096, "text.body")
    elif kind == "interactive":
        _interactive(body["interactive"])
    elif kind == "template":
        _template(body["template"], approved)
    elif kind == "document":
        if not (body["document"].get("id") or body["document"].get("link")):
            raise Refused(100, "document needs an id or a link")
        _length(body["document"].get("caption") or "x", 1, 1024, "document.caption")
    else:
        raise Refused(100, f"unsupported message type {kind!r}")


def _interactive(interactive: Json) -> None:
    _length(interactive.get("body", {}).get("text", ""), 1, 1024, "interactive.body.text")
    action = interactive.get("action", {})
    if interactive.get("type") == "button":
        buttons = action.get("buttons", [])
        if not 1 <= len(buttons) <= 3:
            raise Refused(INVALID_PARAMETER, f"buttons: {len(buttons)}; 1 to 3 allowed")
        titles = [button["reply"]["title"] for button in buttons]
        for title in titles:
            _length(title, 1, 20, "button title")
        for button in buttons:
            _length(button["reply"]["id"], 1, 256, "button id")
        if len(set(titles)) != len(titles):
            raise Refused(INVALID_PARAMETER, "button titles must be unique")
    elif interactive.get("type") == "list":
        _list(action)
    else:
        raise Refused(100, f"unsupported interactive type {interactive.get('type')!r}")


def _list(action: Json) -> None:
    _length(action.get("button", ""), 1, 20, "list button")
    sections = action.get("sections", [])
    if not 1 <= len(sections) <= 10:
        raise Refused(INVALID_PARAMETER, "sections: 1 to 10 allowed")
    rows = [row for section in sections for row in section.get("rows", [])]
    if not 1 <= len(rows) <= 10:
        raise Refused(INVALID_PARAMETER, f"rows: {len(rows)}; 1 to 10 allowed in total")
    for section in sections:
        if len(sections) > 1 or "title" in section:
            _length(section.get("title", ""), 1, 24, "section title")
    for row in rows:
        _length(row.get("title", ""), 1, 24, "row title")
        _length(row.get("description") or "x", 1, 72, "row description")
        _length(row.get("id", ""), 1, 200, "row id")
    ids = [row["id"] for row in rows]
    if len(set(ids)) != len(ids):
        raise Refused(INVALID_PARAMETER, "row ids must be unique")


def _template(template: Json, approved: Mapping[tuple[str, str], ApprovedTemplate]) -> None:
    known = approved.get((template.get("name", ""), template.get("language", {}).get("code")))
    if known is None:
        raise Refused(TEMPLATE_MISSING, "template name does not exist in the translation")
    components = template.get("components", [])
    body = [c for c in components if c.get("type") == "body"]
    values = [p.get("text", "") for c in body for p in c.get("parameters", [])]
    buttons = [c for c in components if c.get("type") == "button"]
    if len(values) != known.parameters or len(buttons) != int(known.quick_reply):
        raise Refused(TEMPLATE_PARAMETERS, "number of parameters does not match")
    for value in values:
        if not value or _BAD_PARAMETER.search(value):
            raise Refused(TEMPLATE_PARAMETER_FORMAT, f"parameter {value!r} has a bad format")


def _length(text: object, low: int, high: int, what: str) -> None:
    size = len(str(text).encode("utf-16-le")) // 2 if isinstance(text, str) else -1
    if not low <= size <= high:
        raise Refused(INVALID_PARAMETER, f"{what}: {size} characters; {low} to {high} allowed")
