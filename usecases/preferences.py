"""What a person chose in the chat: their language, the coop they act for, and a question
the bot is waiting to hear answered (kept in SQLite, so it survives a restart)."""

from __future__ import annotations

from storage.encoding import JsonObject
from storage.people import conversations, preferences
from usecases.context import UseCaseContext


async def choose_language(ctx: UseCaseContext, platform: str, user_id: str, language: str) -> None:
    await preferences.set_language(ctx.db, platform, user_id, language)


async def act_for_coop(ctx: UseCaseContext, platform: str, user_id: str, coop_code: str) -> None:
    """From now on this person orders for `coop_code` (the caller checked they represent it)."""
    await preferences.set_acting_coop(ctx.db, platform, user_id, coop_code)


async def wait_for_answer(
    ctx: UseCaseContext, platform: str, user_id: str, state: JsonObject
) -> None:
    """Remember what the next message of this person answers (e.g. a quantity to type)."""
    await conversations.set_state(ctx.db, platform, user_id, state, ctx.now())


async def stop_waiting(ctx: UseCaseContext, platform: str, user_id: str) -> None:
    await conversations.clear_state(ctx.db, platform, user_id)
