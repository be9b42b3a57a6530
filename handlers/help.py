"""Help, language choice, and a friendly answer to what the bot does not understand."""

from __future__ import annotations

from handlers.contract.flow import Handler, Turn
from handlers.contract.services import Services
from handlers.groups import with_private_chat_button
from messages.buttons import Verb, encode
from messages.formatting import LANGUAGES
from messages.replies import Option, Reply, rows
from storage import rounds
from usecases import preferences
from usecases.notices.reminders import order_example


async def show_help(services: Services, turn: Turn) -> list[Reply]:
    """Help for who asks (a treasurer, a supplier's rep, Dinas staff); a treasurer's examples
    name a product of the open round. In a group: the group's short help."""
    if not turn.event.is_private:
        return [_group_help(turn, unknown=False)]
    round_ = None
    if turn.person.coop_codes:
        round_ = await rounds.current_round(services.db, services.now())
    example = None if round_ is None else order_example(round_)
    return [turn.reply("help", {**_who(turn), "in_group": False, "example": example})]


def _group_help(turn: Turn, *, unknown: bool) -> Reply:
    """What the bot does in a group (and, after a command it does not know, that it does
    not know it), with a button into the private chat where the rest is answered."""
    context = {**_who(turn), "in_group": True, "example": None, "unknown": unknown}
    return with_private_chat_button(turn.reply("help", context))


def _who(turn: Turn) -> dict[str, object]:
    person = turn.person
    return {
        "is_admin": person.is_admin,
        "is_rep": bool(person.coop_codes),
        "is_supplier": bool(person.supplier_codes),
    }


async def choose_language(services: Services, turn: Turn) -> list[Reply]:
    options = [
        Option(f"buttons/language_{lang}", payload=encode(Verb.LANGUAGE, lang))
        for lang in LANGUAGES
    ]
    reply = turn.reply("language_choose")
    return [Reply(reply.template, reply.context, reply.language, rows(options, 2))]


async def set_language(services: Services, turn: Turn) -> list[Reply]:
    assert turn.payload is not None
    language = turn.payload.str_arg(0)
    if language not in LANGUAGES:
        return await choose_language(services, turn)
    await preferences.choose_language(services, turn.event.platform, turn.event.user_id, language)
    return [Reply("language_set", {}, language, replace=True)]


async def unknown_command(services: Services, turn: Turn) -> list[Reply]:
    """A command the bot does not know: a pointer to /bantuan, or in a group the group's
    short help (README: "an unknown command gets the group's short help")."""
    if not turn.event.is_private:
        return [_group_help(turn, unknown=True)]
    return [turn.reply("unknown_command", {"in_group": False})]


COMMANDS: dict[str, Handler] = {
    "bantuan": show_help,
    "help": show_help,
    "bahasa": choose_language,
    "language": choose_language,
}
CALLBACKS: dict[Verb, Handler] = {Verb.LANGUAGE: set_language}
