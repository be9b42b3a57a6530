"""A `Post` is one outbox row: who gets which reply, under a dedupe key that makes it happen
once however often the code that queues it runs. `queue_posts` writes posts in the use
case's own transaction, so they exist if and only if the change that caused them does."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from messages.outbox_codec import encode_reply
from messages.replies import FileRequest, Option, Reply
from storage.database import Connection
from storage.delivery import outbox
from storage.people.audience import Audience
from usecases.context import UseCaseContext


@dataclass(frozen=True, slots=True)
class Post:
    platform: str
    chat_id: str
    kind: str
    dedupe_key: str
    reply: Reply
    attach: FileRequest | None = None  # a file of the round the sender makes and attaches
    # A broadcast's progress message: the dedupe prefix of the rows it counts
    # (see `bot.delivery.progress`).
    progress_of: str | None = None


def to_treasurers(
    audience: Audience,
    coop_code: str,
    template: str,
    context: Mapping[str, object],
    key_prefix: str,
    default_language: str,
    options: tuple[tuple[Option, ...], ...] = (),
) -> list[Post]:
    """The same message (with the same buttons) to each treasurer of a coop, in their
    language; `template` is also the rows' kind, each row's key
    `key_prefix:<platform>:<user id>`."""
    posts = []
    for rep in audience.treasurers(coop_code):
        language = audience.language(rep.platform, rep.user_id, default_language)
        key = f"{key_prefix}:{rep.platform}:{rep.user_id}"
        reply = Reply(template, context, language, options)
        posts.append(Post(rep.platform, rep.user_id, template, key, reply))
    return posts


async def queue_posts(conn: Connection, posts: Iterable[Post], now: datetime) -> int:
    """Write every post in the caller's transaction; how many were new."""
    queued = 0
    for post in posts:
        payload = encode_reply(post.reply, attach=post.attach)
        if post.progress_of is not None:
            payload["progress_of"] = post.progress_of
        if await outbox.enqueue(
            conn, post.platform, post.chat_id, post.kind, payload, post.dedupe_key, now
        ):
            queued += 1
    return queued


async def queue_replies(
    ctx: UseCaseContext, platform: str, chat_id: str, delivery: str, replies: Sequence[Reply]
) -> int:
    """Replies the platform refused for now, queued to the chat in order (the sender paces
    and retries them); keyed by the `delivery` they answer, so a repeat queues them once.
    They go as new messages (nothing left to edit in place)."""
    posts = [
        Post(platform, chat_id, "reply", f"reply:{delivery}:{n}", replace(reply, replace=False))
        for n, reply in enumerate(replies)
    ]
    async with ctx.db.transaction() as tx:
        return await queue_posts(tx, posts, ctx.now())
