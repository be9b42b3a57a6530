"""Telegram's HTML parse mode, following tdlib's parser and its error messages.

Only the tags the Bot API documents are accepted; `&lt; &gt; &amp; &quot;` and numeric
entities are decoded, any other `&...;` stays literal text (as Telegram does). Errors read
exactly like Telegram's: "Bad Request: can't parse entities: <reason> at byte offset N".
"""

import re
from dataclasses import dataclass, field

from tests.support.fake_telegram.wire import ApiError, bad_request

ENTITY_TYPES = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "blockquote": "blockquote",
}
NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_ENTITY = re.compile(r"&(?:#(\d{1,7})|#x([0-9a-fA-F]{1,6})|([a-zA-Z]+));")
_SPACES = " \t\r\n"
_PLAIN_RUN = re.compile(r"[^<&\0]+")


@dataclass(frozen=True)
class ParsedText:
    """Message text as the user sees it, with its entities (offsets in UTF-16 units)."""

    text: str
    entities: list[dict[str, object]] = field(default_factory=list)


@dataclass
class _OpenTag:
    name: str
    argument: str
    utf16_start: int


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def cannot_parse(reason: str) -> ApiError:
    return bad_request(f"can't parse entities: {reason}")


def _decode_entity(text: str, pos: int) -> tuple[str, int] | None:
    match = _ENTITY.match(text, pos)
    if match is None:
        return None
    decimal, hexadecimal, name = match.groups()
    if name is not None:
        char = NAMED_ENTITIES.get(name)
        return None if char is None else (char, match.end())
    code = int(decimal) if decimal is not None else int(hexadecimal, 16)
    if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        return None
    return chr(code), match.end()


class _HtmlParser:
    def __init__(self, source: str) -> None:
        self.src = source + "\0"
        self.pos = 0
        self.out: list[str] = []
        self.utf16 = 0
        self.open: list[_OpenTag] = []
        self.entities: list[dict[str, object]] = []

    def byte_offset(self, pos: int) -> int:
        return len(self.src[:pos].encode("utf-8"))

    def emit(self, chars: str) -> None:
        self.out.append(chars)
        self.utf16 += utf16_len(chars)

    def skip_spaces(self) -> None:
        while self.src[self.pos] in _SPACES and self.src[self.pos] != "\0":
            self.pos += 1

    def parse(self) -> ParsedText:
        end = len(self.src) - 1
        while self.pos < end:
            char = self.src[self.pos]
            if char == "&" and (decoded := _decode_entity(self.src, self.pos)) is not None:
                self.emit(decoded[0])
                self.pos = decoded[1]
            elif char != "<":
                run = _PLAIN_RUN.match(self.src, self.pos)
                chars = char if run is None else run.group()
                self.emit(chars)
                self.pos += len(chars)
            elif self.src[self.pos + 1] == "/":
                self.end_tag()
            else:
                self.start_tag()
        if self.open:
            raise cannot_parse(
                f'Can\'t find end tag corresponding to start tag "{self.open[-1].name}"'
            )
        self.entities.sort(key=lambda entity: (entity["offset"], -int(str(entity["length"]))))
        return ParsedText("".join(self.out), self.entities)

    def start_tag(self) -> None:
        begin = self.pos
        self.pos += 1
        while self.src[self.pos] not in _SPACES + ">\0":
            self.pos += 1
        if self.src[self.pos] == "\0":
            raise cannot_parse(f"Unclosed start tag at byte offset {self.byte_offset(begin)}")
        name = self.src[begin + 1 : self.pos].lower()
        if name not in ENTITY_TYPES:
            raise cannot_parse(
                f'Unsupported start tag "{name}" at byte offset {self.byte_offset(begin)}'
            )
        argument = self.attributes(name, begin)
        if name == "span" and argument != "spoiler":
            raise cannot_parse(
                f'Tag "span" must have class "tg-spoiler" at byte offset {self.byte_offset(begin)}'
            )
        self.open.append(_OpenTag(name, argument, self.utf16))
        self.pos += 1

    def attributes(self, tag: str, begin: int) -> str:
        argument = ""
        while self.src[self.pos] != ">":
            self.skip_spaces()
            if self.src[self.pos] == ">":
                break
            name_start = self.pos
            while self.src[self.pos] not in _SPACES + "=\0":
                self.pos += 1
            name = self.src[name_start : self.pos]
            if not name:
                raise cannot_parse(
                    f'Empty attribute name in the tag "{tag}" at byte offset '
                    f"{self.byte_offset(begin)}"
                )
            self.skip_spaces()
            if self.src[self.pos] != "=":
                raise cannot_parse(
                    f'Expected equal sign in declaration of an attribute of the tag "{tag}" '
                    f"at byte offset {self.byte_offset(begin)}"
                )
            self.pos += 1
            self.skip_spaces()
            if self.src[self.pos] == "\0":
                raise cannot_parse(
                    f'Unclosed start tag "{tag}" at byte offset {self.byte_offset(begin)}'
                )
            value = self.attribute_value()
            if self.src[self.pos] == "\0":
                raise cannot_parse(f"Unclosed start tag at byte offset {self.byte_offset(begin)}")
            if tag == "a" and name == "href":
                argument = value
            elif tag == "span" and name == "class" and value.startswith("tg-"):
                argument = value[3:]
        return argument

    def attribute_value(self) -> str:
        quote = self.src[self.pos]
        if quote not in "'\"":
            start = self.pos
            while self.src[self.pos].isalnum() or self.src[self.pos] in ".-":
                self.pos += 1
            if self.src[self.pos] not in _SPACES + ">":
                raise cannot_parse(
                    f"Unexpected end of name token at byte offset {self.byte_offset(start)}"
                )
            return self.src[start : self.pos].lower()
        self.pos += 1
        value: list[str] = []
        while self.src[self.pos] not in (quote, "\0"):
            decoded = _decode_entity(self.src, self.pos)
            if decoded is not None:
                value.append(decoded[0])
                self.pos = decoded[1]
            else:
                value.append(self.src[self.pos])
                self.pos += 1
        if self.src[self.pos] == quote:
            self.pos += 1
        return "".join(value)

    def end_tag(self) -> None:
        begin = self.pos
        if not self.open:
            raise cannot_parse(f"Unexpected end tag at byte offset {self.byte_offset(begin)}")
        self.pos += 2
        while self.src[self.pos] not in _SPACES + ">\0":
            self.pos += 1
        name = self.src[begin + 2 : self.pos].lower()
        self.skip_spaces()
        if self.src[self.pos] != ">":
            raise cannot_parse(f"Unclosed end tag at byte offset {self.byte_offset(begin)}")
        tag = self.open.pop()
        if name and name != tag.name:
            raise cannot_parse(
                f"Unmatched end tag at byte offset {self.byte_offset(begin)}, "
                f'expected "</{tag.name}>", found "</{name}>"'
            )
        self.pos += 1
        self.add_entity(tag)

    def add_entity(self, tag: _OpenTag) -> None:
        length = self.utf16 - tag.utf16_start
        if length == 0:
            return
        entity: dict[str, object] = {
            "type": ENTITY_TYPES[tag.name],
            "offset": tag.utf16_start,
            "length": length,
        }
        if tag.name == "a":
            if not tag.argument:
                return
            entity["url"] = tag.argument
        self.entities.append(entity)


def parse_html(source: str) -> ParsedText:
    """Parse `source` in HTML parse mode, raising the 400 Telegram would answer."""
    return _HtmlParser(source).parse()
