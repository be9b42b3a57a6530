"""Announcements: a round opened, moved (extended) or was cancelled; a product reached its MOQ
or a volume price; staff broadcast a message. Pure builders of `Post`s: the use case that
caused them reads the recipients and queues the posts in its own transaction.

Dedupe keys (one post per chat, however often it is queued):
"round_opened:<round>:<platform>:<chat>", "announce_round_extended|cancelled:<round>:<deadline>:…",
"progress:<round>:<product>:<milestone>:…", "broadcast:<id>:…" and "broadcast_progress:<id>".
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from messages.buttons import Verb, encode
from messages.replies import Option, Reply
from purchasing.model import CommitmentChange, Round, RoundStatus
from purchasing.progress import ProductProgress, product_progress
from usecases.notices.audience import Recipient
from usecases.notices.posts import Post


def round_opened_posts(round_: Round, readers: Iterable[Recipient]) -> list[Post]:
    """Tell the group and every treasurer that a round is open, with a way into its catalog."""
    context = round_opened_context(round_)
    posts = []
    for person in readers:
        button = (
            Option("buttons/group_open_private", open_private_chat=True, payload="")
            if person.is_group
            else Option("buttons/announce_catalog", payload=encode(Verb.CATALOG_PAGE, round_.id, 0))
        )
        in_group = {**context, "in_group": person.is_group}  # the group has no /katalog
        reply = Reply("announce_round_opened", in_group, person.language, ((button,),))
        key = f"round_opened:{round_.id}:{person.platform}:{person.chat_id}"
        posts.append(Post(person.platform, person.chat_id, "round_opened", key, reply))
    return posts


def round_opened_context(round_: Round) -> dict[str, object]:
    return {
        "round_id": round_.id,
        "round_name": round_.name,
        "closes_at": round_.closes_at,
        "product_count": len(round_.items),
        "delivery_note": round_.delivery_note,
    }


def round_moved_posts(before: Round, after: Round, readers: Iterable[Recipient]) -> list[Post]:
    """Staff extended (`after` has a later deadline) or cancelled a round: tell everyone."""
    cancelled = after.status is RoundStatus.CANCELLED
    template = "announce_round_cancelled" if cancelled else "announce_round_extended"
    context = {
        "round_name": after.name,
        "closes_at": after.closes_at,
        "previous_closes_at": None if cancelled else before.closes_at,
    }
    prefix = f"{template}:{after.id}:{after.closes_at:%Y%m%dT%H%M}"
    posts = []
    for person in readers:
        key = f"{prefix}:{person.platform}:{person.chat_id}"
        reply = Reply(template, context, person.language)
        posts.append(Post(person.platform, person.chat_id, template, key, reply))
    return posts


@dataclass(frozen=True, slots=True)
class Milestone:
    """A change that took its product to `step` (see `purchasing.progress.milestone`)."""

    change: CommitmentChange
    step: str


def progress_posts(
    round_id: int, reached: Sequence[Milestone], readers: Sequence[Recipient]
) -> list[Post]:
    """One post per milestone reached and group reader."""
    posts = []
    for milestone in reached:
        progress = product_progress(milestone.change.item, milestone.change.total)
        context = progress_context(progress, milestone.step)
        prefix = f"progress:{round_id}:{progress.product_code}:{milestone.step}"
        for person in readers:
            reply = Reply("announce_progress", context, person.language)
            key = f"{prefix}:{person.platform}:{person.chat_id}"
            posts.append(Post(person.platform, person.chat_id, "progress", key, reply))
    return posts


def progress_context(progress: ProductProgress, reached: str) -> dict[str, object]:
    following = progress.next_tier
    return {
        "name": progress.item.name,
        "unit": progress.item.unit,
        "total": progress.total,
        "moq": progress.moq,
        "milestone": "moq" if reached == "moq" else "tier",
        "unit_price": progress.unit_price,
        "next_min_total": None if following is None else following.min_total,
        "next_unit_price": None if following is None else following.unit_price,
    }


def broadcast_posts(
    broadcast_id: str, text: str, admin: Recipient, readers: Sequence[Recipient]
) -> list[Post]:
    """The broadcast to every reader, after the progress message for the admin's chat that
    the sender edits in place as the broadcast goes out ("Terkirim 40/100 · 2 gagal")."""
    prefix = f"broadcast:{broadcast_id}"
    start = {"sent": 0, "failed": 0, "total": len(readers), "done": False}
    progress = Post(
        admin.platform, admin.chat_id, "broadcast_progress", f"broadcast_progress:{broadcast_id}",
        Reply("delivery_progress", start, admin.language), progress_of=f"{prefix}:",
    )  # fmt: skip
    posts = [progress]
    for person in readers:
        key = f"{prefix}:{person.platform}:{person.chat_id}"
        reply = Reply("announce_broadcast", {"text": text}, person.language)
        posts.append(Post(person.platform, person.chat_id, "broadcast", key, reply))
    return posts
