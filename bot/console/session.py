"""One demo conversation: each input line becomes a meta-command, a button press or chat text.

A number answers the options of the last reply in the active persona's chat (a button
press, sent as its payload); any other line is chat text, handled by `handlers.router`
exactly as a Telegram message would be. While the bot waits for a typed number (after
"type a quantity"), numbers are that text; `:tekan N` still presses option N. After every
turn the outbox is drained, so posts to the group and broadcasts show up in the chats.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace
from pathlib import Path

from bot.console.chats import Chat, Chats
from bot.console.meta import Meta, is_meta, parse_meta
from bot.console.personas import PLATFORM, Persona
from bot.console.screen import Screen
from bot.console.stage import Stage
from bot.console.transport import ConsoleTransport
from handlers.contract.events import ChatKind, IncomingDocument, IncomingEvent
from handlers.contract.services import Services
from handlers.router import handle
from storage.people import conversations

Drain = Callable[[], Awaitable[object]]
MAX_OPTION_DIGITS = 3


def find_file(wanted: str, examples: Path) -> Path | None:
    """The file `:kirim` names: as given (from the working directory), else in examples/."""
    if not wanted:
        return None
    for candidate in (Path(wanted).expanduser(), examples / wanted):
        if candidate.is_file():
            return candidate
    return None


class Session:
    def __init__(self, services: Services, screen: Screen, stage: Stage) -> None:
        self.services = services
        self.screen = screen
        self.stage = stage
        self.chats = Chats(stage.personas)
        first = self.chats.by_number(stage.personas[0].number)
        assert first is not None
        self.active: Chat = first
        self.transport = ConsoleTransport(self.chats, screen, lambda: self.active)
        self._drain: Drain | None = None
        self._seq = 0

    def attach_drain(self, drain: Drain) -> None:
        """How to send what the outbox holds (through `self.transport` for console chats)."""
        self._drain = drain

    async def begin(self) -> None:
        """The welcome, the cast, and the first persona's chat; then deliver queued posts."""
        round_ = self.stage.round
        self.screen.say("welcome", round=round_, invite_code=self.stage.invite_code)
        self.show_cast()
        self.become(self.active)
        await self.deliver()

    async def handle_line(self, line: str) -> bool:
        """Act on one input line; False when the demo should end."""
        text = line.strip()
        if not text or text.startswith("#"):
            return True
        if is_meta(text):
            return await self._meta(text)
        if text.isdigit() and len(text) <= MAX_OPTION_DIGITS and not await self._awaiting_text():
            await self.press(int(text))
        else:
            await self.send(text=text)
        return True

    async def _meta(self, text: str) -> bool:
        command = parse_meta(text)
        match command.meta:
            case Meta.QUIT:
                return False
            case Meta.WHO:
                self.show_cast()
            case Meta.HELP:
                self.screen.say("help")
            case Meta.BECOME:
                self._become_named(command.args)
            case Meta.PRESS if command.args.isdigit():
                await self.press(int(command.args))
            case Meta.PRESS:
                self.screen.say("press_usage")
            case Meta.SEND:
                await self.send_file(command.args)
            case None:
                self.screen.say("unknown_meta", command=command.name)
        return True

    def _become_named(self, wanted: str) -> None:
        if not wanted:
            self.show_cast()
            return
        chat = self._find_chat(wanted)
        if chat is None:
            self.screen.say("unknown_persona", wanted=wanted, count=len(self.chats))
            return
        self.become(chat)

    def _find_chat(self, wanted: str) -> Chat | None:
        if wanted.isdigit():
            return self.chats.by_number(int(wanted))
        key = wanted.casefold()
        matches = [chat for chat in self.chats if key and key in chat.persona.name.casefold()]
        return matches[0] if len(matches) == 1 else None

    def become(self, chat: Chat) -> None:
        self.active = chat
        persona = chat.persona
        coop = self.stage.coop_of(persona)
        supplier = self.stage.supplier_of(persona)
        speaker = self._speaker(persona)
        self.screen.say("now_as", persona=persona, coop=coop, supplier=supplier, speaker=speaker)
        for shown in chat.take_unread():
            self.screen.message(shown)

    def show_cast(self) -> None:
        people = [
            {
                "persona": chat.persona,
                "coop": self.stage.coop_of(chat.persona),
                "supplier": self.stage.supplier_of(chat.persona),
                "active": chat is self.active,
                "unread": chat.unread,
                "speaker": self._speaker(chat.persona),
            }
            for chat in self.chats
        ]
        self.screen.say("cast", people=people, invite_code=self.stage.invite_code)

    def _speaker(self, persona: Persona) -> str:
        """Who writes in this persona's chat: in the group, the member behind it."""
        private = self.chats.private_chat_of(persona.user_id)
        return private.persona.name if private is not None else persona.name

    async def press(self, number: int) -> None:
        options = self.active.options
        if not options:
            self.screen.say("no_options", number=number)
            return
        if not 1 <= number <= len(options):
            self.screen.say("option_out_of_range", number=number, count=len(options))
            return
        option = options[number - 1]
        if not option.open_private_chat:
            await self.send(payload=option.payload)
            return
        private = self.chats.private_chat_of(self.active.persona.user_id)
        if private is None:
            self.screen.say("no_private_chat")
            return
        self.become(private)
        await self.send(text=f"/start {option.payload}".strip())

    async def send(
        self,
        *,
        text: str | None = None,
        payload: str | None = None,
        document: IncomingDocument | None = None,
    ) -> None:
        """What the active persona typed, pressed or sent goes to the bot; the replies land in
        its chat."""
        persona = self.active.persona
        replies = await handle(self.services, self._event(persona, text, payload, document))
        if replies:
            batch = self.screen.show(replies)
            self.active.answered(batch)
            for shown in batch:
                self.screen.message(shown)
        elif persona.chat_kind is ChatKind.GROUP and not (text or "/").startswith("/"):
            self.screen.say("group_silent")
        await self.deliver()

    async def send_file(self, wanted: str) -> None:
        """`:kirim FILE`: the active persona sends the file, found as given or in examples/."""
        found = find_file(wanted, self.stage.examples)
        if found is None:
            self.screen.say("file_missing", wanted=wanted)
            return
        self.screen.say("file_sent", name=found.name)
        document = IncomingDocument(found.name, found.stat().st_size, found)
        await self.send(document=document)

    def _event(
        self,
        persona: Persona,
        text: str | None,
        payload: str | None,
        document: IncomingDocument | None = None,
    ) -> IncomingEvent:
        self._seq += 1
        language = self.screen.language
        event = persona.event(language, text=text, payload=payload, seq=self._seq)
        return replace(event, document=document) if document is not None else event

    async def deliver(self) -> None:
        """Send what the outbox holds; tell about new messages in the other chats."""
        if self._drain is None:
            return
        await self._drain()
        for persona, count in self.transport.notices():
            self.screen.say("new_messages", persona=persona, count=count)

    async def _awaiting_text(self) -> bool:
        persona = self.active.persona
        if persona.chat_kind is not ChatKind.PRIVATE:
            return False
        saved = await conversations.get_state(self.services.db, PLATFORM, persona.user_id)
        return saved is not None and saved.state.get("expect") == "quantity"
