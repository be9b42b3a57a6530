"""Group chats: linking the JUK group, and sending ordering to the private chat.

An admin links a group with `/hubungkan`; round announcements and progress posts then go
there (see `usecases.notices.announcements`). In a group nobody's order is ever shown or
changed: every command but linking and help, and every button pressed there, answers with a
button that opens the private chat with the bot instead (`redirect_to_private`, called by the
router).
"""

from __future__ import annotations

from handlers.contract.flow import Handler, Turn, error_reply
from handlers.contract.services import Services
from messages.buttons import Verb
from messages.replies import Option, Reply
from usecases import people


async def redirect_to_private(services: Services, turn: Turn) -> list[Reply]:
    """Answer a command that only works in private with a button into the private chat."""
    button = Option("buttons/group_open_private", open_private_chat=True, payload="")
    reply = turn.reply("group_use_private_chat")
    return [Reply(reply.template, reply.context, reply.language, ((button,),))]


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
