"""Group chats: linking the JUK group, and sending ordering to the private chat.

An admin links a group with `/hubungkan`; round announcements and progress posts then go
there (see `usecases.notices.announcements`). In a group nobody's order is ever shown or
changed: every command but linking and help, and every button pressed there, answers with a
button that opens the private chat with the bot instead (`redirect_to_private`, called by the
router); help, and an unknown command, get the group's short help with that button
(`handlers.help`).
"""

from __future__ import annotations

from handlers.contract.flow import Handler, Turn, error_reply
from handlers.contract.services import Services
from messages.buttons import Verb
from messages.replies import Option, Reply
from usecases import people


def with_private_chat_button(reply: Reply) -> Reply:
    """`reply` with a button that opens the private chat with the bot."""
    button = Option("buttons/group_open_private", open_private_chat=True, payload="")
    return Reply(reply.template, reply.context, reply.language, ((button,),))


async def redirect_to_private(services: Services, turn: Turn) -> list[Reply]:
    """Answer a command or a button that only works in private with a button into the
    private chat (the text says which of the two it was, not that it was about ordering)."""
    pressed = turn.event.payload is not None
    return [with_private_chat_button(turn.reply("group_use_private_chat", {"pressed": pressed}))]


async def link_group(services: Services, turn: Turn) -> list[Reply]:
    event = turn.event
    if event.is_private:
        return [turn.reply("group_link_only_in_group", {"platform": event.platform})]
    if not turn.person.is_admin:
        return [error_reply(turn.person, "not_admin", {})]
    added = await people.link_group(services, event.platform, event.chat_id, event.actor)
    return [turn.reply("group_linked", {"already": not added})]


COMMANDS: dict[str, Handler] = {"hubungkan": link_group, "link": link_group}
CALLBACKS: dict[Verb, Handler] = {}
