"""The gate in front of every admin command and button: checked on the server, every time.

`Person.is_admin` comes from the admins table for each event (`handlers.contract.identity`), so a
forged button payload or a removed admin gets `errors/not_admin` and nothing changes. Admin
work happens in the private chat; in a group the command answers with a link there.
"""

from __future__ import annotations

from functools import wraps

from handlers.contract.flow import Handler, Turn, error_reply
from handlers.contract.services import Services
from handlers.groups import redirect_to_private
from messages.replies import Reply


def admin_only(handler: Handler) -> Handler:
    @wraps(handler)
    async def guarded(services: Services, turn: Turn) -> list[Reply]:
        if not turn.person.is_admin:
            return [error_reply(turn.person, "not_admin", {})]
        if not turn.event.is_private:
            return await redirect_to_private(services, turn)
        return await handler(services, turn)

    return guarded
