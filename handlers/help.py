"""Help, language choice, and a friendly answer to what the bot does not understand."""

from __future__ import annotations

from handlers.contract.flow import Handler, Turn
from handlers.contract.services import Services
from messages.buttons import Verb, encode
from messages.formatting import LANGUAGES
from messages.replies import Option, Reply, rows
from purchasing.model import RepRole
from storage import rounds
from usecases import preferences
from usecases.notices.reminders import order_example


async def show_help(services: Services, turn: Turn) -> list[Reply]:
    """Help for who asks (a treasurer, a supplier's rep, Dinas staff); a treasurer's examples
    name a product of the open round."""
    person = turn.person
    is_rep, in_group = bool(person.coop_codes), not turn.event.is_private
    example = None
    if is_rep and not in_group:
        round_ = await rounds.current_round(services.db, services.now())
        example = None if round_ is None else order_example(round_)
    context = {
        "is_admin": person.is_admin,
        "is_rep": is_rep,
        "is_supplier": any(rep.role is RepRole.SUPPLIER for rep in person.reps),
        "in_group": in_group,
        "example": example,
    }
    return [turn.reply("help", context)]


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
    return [turn.reply("unknown_command", {"in_group": not turn.event.is_private})]


COMMANDS: dict[str, Handler] = {
    "bantuan": show_help,
    "help": show_help,
    "bahasa": choose_language,
    "language": choose_language,
}
CALLBACKS: dict[Verb, Handler] = {Verb.LANGUAGE: set_language}
